-- SNOMED CT releases. Every content table is partitioned by release, so a new release is loaded into its own
-- partitions beside the one being served, and the old release is dropped as whole partitions afterwards
-- instead of being deleted row by row.
create schema if not exists snomed;

create table snomed.release (
    release_id   integer primary key,
    label        text        not null,
    fingerprint  text        not null,
    -- false for a partial release such as the demo code list: codes it does not hold cannot be judged
    complete     boolean     not null,
    effective_time integer   not null,
    loaded_at    timestamptz not null default now(),
    concepts     integer     not null,
    descriptions integer     not null,
    relationships integer    not null
);

create sequence snomed.release_seq;

-- The one row naming the release that is served. Switching release is an update of this row, in the same
-- transaction that loaded the new release, so readers see either the old release or the whole new one.
create table snomed.current_release (
    singleton  boolean primary key default true check (singleton),
    release_id integer not null references snomed.release (release_id)
);

create table snomed.concept (
    release_id         integer not null,
    id                 bigint  not null,
    effective_time     integer not null,
    active             boolean not null,
    module_id          bigint  not null,
    definition_status_id bigint not null,
    primary key (release_id, id)
) partition by list (release_id);

create table snomed.description (
    release_id       integer not null,
    id               bigint  not null,
    effective_time   integer not null,
    active           boolean not null,
    module_id        bigint  not null,
    concept_id       bigint  not null,
    language_code    text    not null,
    type_id          bigint  not null,
    term             text    not null,
    case_significance_id bigint not null
) partition by list (release_id);
create index description_concept on snomed.description (release_id, concept_id);

-- Active language refset members only: which descriptions are preferred or acceptable in which dialect.
create table snomed.language_member (
    release_id       integer not null,
    refset_id        bigint  not null,
    description_id   bigint  not null,
    acceptability_id bigint  not null
) partition by list (release_id);

-- Inferred relationships only (stated ones are not served).
create table snomed.relationship (
    release_id      integer not null,
    id              bigint  not null,
    effective_time  integer not null,
    active          boolean not null,
    module_id       bigint  not null,
    source_id       bigint  not null,
    destination_id  bigint  not null,
    rel_group       integer not null,
    type_id         bigint  not null
) partition by list (release_id);

create table snomed.concrete_value (
    release_id      integer not null,
    id              bigint  not null,
    effective_time  integer not null,
    active          boolean not null,
    module_id       bigint  not null,
    source_id       bigint  not null,
    value           text    not null,
    rel_group       integer not null,
    type_id         bigint  not null
) partition by list (release_id);

-- Active members of simple refsets.
create table snomed.refset_member (
    release_id  integer not null,
    refset_id   bigint  not null,
    referenced_component_id bigint not null
) partition by list (release_id);

-- Active historical associations (SAME AS, REPLACED BY, POSSIBLY EQUIVALENT TO ...).
create table snomed.association (
    release_id  integer not null,
    refset_id   bigint  not null,
    source_id   bigint  not null,
    target_id   bigint  not null
) partition by list (release_id);

-- Active simple, complex and extended map refset members (Read v2, CTV3, ICD-10 ...).
create table snomed.map_member (
    release_id     integer not null,
    refset_id      bigint  not null,
    referenced_component_id bigint not null,
    map_target     text    not null,
    map_group      integer,
    map_priority   integer,
    map_rule       text,
    map_advice     text,
    correlation_id bigint
) partition by list (release_id);
create index map_member_source on snomed.map_member (release_id, referenced_component_id);
create index map_member_target on snomed.map_member (release_id, refset_id, map_target);
