-- The FHIR resource store: one row per logical resource, one row per version,
-- and typed search-index tables filled from the R4 SearchParameter definitions.
-- See docs/decisions/0002-storage-design.md.

create table fhir_resource (
    res_pk        bigint generated always as identity primary key,
    res_type      text        not null,
    res_id        text        not null,
    version       integer     not null,
    last_updated  timestamptz not null,
    deleted       boolean     not null default false,
    constraint fhir_resource_type_id unique (res_type, res_id)
);
create index fhir_resource_type_updated on fhir_resource (res_type, last_updated);
create index fhir_resource_updated on fhir_resource (last_updated);

-- Every version, including the current one; content is the resource as JSON text
-- (text, not jsonb, so a read returns exactly what was stored, in FHIR element order).
create table fhir_resource_version (
    res_pk        bigint      not null references fhir_resource (res_pk),
    version       integer     not null,
    last_updated  timestamptz not null,
    method        char(1)     not null check (method in ('C', 'U', 'D')),
    content       text,
    primary key (res_pk, version)
);
create index fhir_resource_version_updated on fhir_resource_version (last_updated);

-- Search indexes: rows for the current, non-deleted version only.
create table idx_string (
    res_pk      bigint not null,
    res_type    text   not null,
    param       text   not null,
    value_norm  text   not null,   -- lower case, accents removed: default and :contains matching
    value_exact text   not null    -- as written: :exact matching
);
create index idx_string_lookup on idx_string (res_type, param, value_norm text_pattern_ops);
create index idx_string_pk on idx_string (res_pk);

create table idx_token (
    res_pk     bigint not null,
    res_type   text   not null,
    param      text   not null,
    system     text,
    code       text,
    display    text                -- coding display / CodeableConcept text / identifier type text: :text matching
);
create index idx_token_lookup on idx_token (res_type, param, code, system);
create index idx_token_pk on idx_token (res_pk);

create table idx_date (
    res_pk    bigint      not null,
    res_type  text        not null,
    param     text        not null,
    lo        timestamptz not null,  -- inclusive start of the instant, date or period
    hi        timestamptz not null   -- inclusive end
);
create index idx_date_lookup on idx_date (res_type, param, lo, hi);
create index idx_date_pk on idx_date (res_pk);

create table idx_number (
    res_pk    bigint  not null,
    res_type  text    not null,
    param     text    not null,
    value     numeric not null,
    lo        numeric not null,      -- implicit precision range of the stored value
    hi        numeric not null
);
create index idx_number_lookup on idx_number (res_type, param, value);
create index idx_number_pk on idx_number (res_pk);

create table idx_quantity (
    res_pk    bigint  not null,
    res_type  text    not null,
    param     text    not null,
    value     numeric not null,
    lo        numeric not null,
    hi        numeric not null,
    system    text,
    code      text,
    unit      text
);
create index idx_quantity_lookup on idx_quantity (res_type, param, code, value);
create index idx_quantity_pk on idx_quantity (res_pk);

create table idx_reference (
    res_pk       bigint not null,
    res_type     text   not null,
    param        text   not null,
    target_type  text,              -- null for references that are not to a local resource
    target_id    text,
    target_url   text               -- the reference as written when absolute or canonical
);
create index idx_reference_lookup on idx_reference (res_type, param, target_id, target_type);
create index idx_reference_target on idx_reference (target_type, target_id);
create index idx_reference_url on idx_reference (target_url) where target_url is not null;
create index idx_reference_pk on idx_reference (res_pk);

create table idx_uri (
    res_pk    bigint not null,
    res_type  text   not null,
    param     text   not null,
    uri       text   not null
);
create index idx_uri_lookup on idx_uri (res_type, param, uri text_pattern_ops);
create index idx_uri_pk on idx_uri (res_pk);

-- Composite parameters (for example Observation code-value-quantity): one row per
-- element instance holding the values of its components, so both must match together.
create table idx_composite (
    res_pk     bigint not null,
    res_type   text   not null,
    param      text   not null,
    components jsonb  not null      -- array, one entry per component, in definition order
);
create index idx_composite_lookup on idx_composite (res_type, param);
create index idx_composite_pk on idx_composite (res_pk);

-- Transactional outbox: written in the same transaction as the change it records,
-- relayed as ResourceChanged events after commit, at least once.
create table fhir_outbox (
    seq           bigint generated always as identity primary key,
    res_type      text        not null,
    res_id        text        not null,
    version       integer     not null,
    method        char(1)     not null,
    occurred_at   timestamptz not null,
    delivered_at  timestamptz
);
create index fhir_outbox_pending on fhir_outbox (seq) where delivered_at is null;
