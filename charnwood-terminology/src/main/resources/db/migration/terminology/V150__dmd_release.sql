-- dm+d (Dictionary of medicines and devices) releases, in their own schema.
--
-- Every data row carries the release it came from. A release is loaded beside the one being served and
-- becomes the served one by moving the single pointer row in dmd.serving, in the same transaction that
-- finishes the load; readers therefore never see half a release. The rows of replaced releases are
-- deleted afterwards. Product and substance ids are SNOMED CT ids (UK drug extension), kept as bigint.
-- No foreign keys between the data tables: the importer checks every link while it streams the files
-- (so it can name the file and line of a broken one) and COPY stays fast.

create schema if not exists dmd;

create table dmd.release (
    id          serial primary key,
    name        text        not null,                 -- from the file names, e.g. 3260821
    checksum    text        not null,                 -- SHA-256 over the release files, for idempotent loads
    source      text        not null,                 -- where it was loaded from
    state       text        not null check (state in ('loading', 'serving', 'retired', 'failed')),
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    message     text,                                 -- why a load failed
    counts      text                                  -- rows per table, for operators
);

-- The current-release pointer: at most one row.
create table dmd.serving (
    only_row   boolean primary key default true check (only_row),
    release_id integer not null references dmd.release (id)
);

-- Every product of every level, so a code's level is one lookup and no id is used at two levels.
create table dmd.product (
    release_id integer not null,
    id         bigint  not null,
    level      text    not null check (level in ('VTM', 'VMP', 'AMP', 'VMPP', 'AMPP')),
    primary key (release_id, id)
);

-- All code tables of f_lookup2 (FORM, ROUTE, UNIT_OF_MEASURE, SUPPLIER, CONTROL_DRUG_CATEGORY, ...).
create table dmd.lookup (
    release_id    integer not null,
    type          text    not null,
    code          text    not null,
    description   text,
    previous_code text,
    code_date     date,
    invalid       boolean not null default false,
    primary key (release_id, type, code)
);

create table dmd.ingredient (
    release_id  integer not null,
    id          bigint  not null,
    name        text    not null,
    invalid     boolean not null,
    previous_id bigint,
    primary key (release_id, id)
);

create table dmd.vtm (
    release_id       integer not null,
    id               bigint  not null,
    name             text    not null,
    abbreviated_name text,
    invalid          boolean not null,
    previous_id      bigint,
    primary key (release_id, id)
);

create table dmd.vtm_ingredient (
    release_id    integer not null,
    vtm_id        bigint  not null,
    ingredient_id bigint  not null
);

create table dmd.vmp (
    release_id                 integer not null,
    id                         bigint  not null,
    vtm_id                     bigint,
    name                       text    not null,
    abbreviated_name           text,
    invalid                    boolean not null,
    previous_id                bigint,
    basis_of_name_code         text,
    prescribing_status_code    text    not null,
    non_availability_code      text,
    combination_product_code   text,
    dose_form_indicator_code   text,
    unit_dose_form_size        numeric,
    unit_dose_form_units_code  text,
    unit_dose_units_code       text,
    sugar_free                 boolean not null,
    gluten_free                boolean not null,
    preservative_free          boolean not null,
    cfc_free                   boolean not null,
    primary key (release_id, id)
);

create table dmd.vmp_ingredient (
    release_id                 integer not null,
    vmp_id                     bigint  not null,
    ingredient_id              bigint  not null,
    basis_of_strength_code     text,
    basis_substance_id         bigint,
    strength_numerator         numeric,
    strength_numerator_units   text,
    strength_denominator       numeric,
    strength_denominator_units text
);

create table dmd.vmp_form (                -- DRUG_FORM: the formulation (SNOMED CT dose form)
    release_id integer not null,
    vmp_id     bigint  not null,
    form_code  text    not null
);

create table dmd.vmp_ontology_form_route ( -- ONT_DRUG_FORM: form and route combined
    release_id integer not null,
    vmp_id     bigint  not null,
    code       text    not null
);

create table dmd.vmp_route (
    release_id integer not null,
    vmp_id     bigint  not null,
    route_code text    not null
);

create table dmd.vmp_control_info (
    release_id             integer not null,
    vmp_id                 bigint  not null,
    category_code          text    not null,
    category_date          date,
    previous_category_code text
);

create table dmd.amp (
    release_id                    integer not null,
    id                            bigint  not null,
    vmp_id                        bigint  not null,
    name                          text    not null,
    abbreviated_name              text,
    description                   text    not null,
    invalid                       boolean not null,
    supplier_code                 text    not null,
    licensing_authority_code      text,
    combination_product_code      text,
    flavour_code                  text,
    availability_restriction_code text,
    parallel_import               boolean not null,
    ema_additional_monitoring     boolean not null,
    primary key (release_id, id)
);

create table dmd.amp_ingredient (
    release_id    integer not null,
    amp_id        bigint  not null,
    ingredient_id bigint  not null,
    strength      numeric,
    units_code    text
);

create table dmd.amp_licensed_route (
    release_id integer not null,
    amp_id     bigint  not null,
    route_code text    not null
);

create table dmd.vmpp (
    release_id            integer not null,
    id                    bigint  not null,
    vmp_id                bigint  not null,
    name                  text    not null,
    abbreviated_name      text,
    invalid               boolean not null,
    quantity              numeric,
    quantity_units_code   text,
    combination_pack_code text,
    primary key (release_id, id)
);

create table dmd.vmpp_drug_tariff (
    release_id            integer not null,
    vmpp_id               bigint  not null,
    payment_category_code text    not null,
    price_pence           bigint,
    valid_from            date,
    previous_price_pence  bigint
);

create table dmd.vmpp_component (          -- COMB_CONTENT: the packs a combination pack holds
    release_id integer not null,
    pack_id    bigint  not null,
    content_id bigint  not null
);

create table dmd.ampp (
    release_id              integer not null,
    id                      bigint  not null,
    vmpp_id                 bigint  not null,
    amp_id                  bigint  not null,
    name                    text    not null,
    abbreviated_name        text,
    invalid                 boolean not null,
    combination_pack_code   text,
    legal_category_code     text    not null,
    subpack_info            text,
    discontinued_code       text,
    discontinued_date       date,
    primary key (release_id, id)
);

create table dmd.ampp_price (
    release_id           integer not null,
    ampp_id              bigint  not null,
    price_pence          bigint,
    price_date           date,
    previous_price_pence bigint,
    price_basis_code     text
);

create table dmd.ampp_component (
    release_id integer not null,
    pack_id    bigint  not null,
    content_id bigint  not null
);

create table dmd.gtin (
    release_id integer not null,
    ampp_id    bigint  not null,
    gtin       text    not null,
    start_date date,
    end_date   date
);

create table dmd.bnf (                     -- f_bnf1 bonus file: BNF, ATC and defined daily dose per VMP/AMP
    release_id     integer not null,
    product_id     bigint  not null,
    bnf_code       text,
    atc_code       text,
    ddd            numeric,
    ddd_units_code text
);

-- HISTORIC_CODES bonus file plus the *IDPREV columns: an id that was replaced points at its current id.
create table dmd.historic_code (
    release_id  integer not null,
    kind        text    not null,              -- VTM, VMP, AMP, ING, SUPP, FORM, ROUTE, UOM, ...
    previous_id bigint  not null,
    current_id  bigint  not null,
    start_date  date,
    end_date    date
);
