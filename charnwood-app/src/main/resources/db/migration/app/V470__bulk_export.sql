-- FHIR Bulk Data export ($export). A job is what a backend client asked for; its files are the NDJSON it produced,
-- kept here until they expire. Only the client that started a job may see its status and fetch its files.
create table bulk_export_job (
    id               uuid        primary key,
    client           text        not null,   -- the requesting client's id (the token's client)
    level            text        not null check (level in ('system', 'patient', 'group')),
    group_id         text,
    types            text[]      not null,
    since            timestamptz,
    request          text        not null,   -- the kick-off request's URL, echoed in the manifest
    status           text        not null check (status in ('accepted', 'running', 'completed', 'failed',
                                                          'cancelled')),
    transaction_time timestamptz not null,   -- nothing changed after this instant is exported
    exported         bigint      not null default 0,
    progress         text,
    error            text,
    created          timestamptz not null,
    heartbeat        timestamptz not null,   -- last sign of life from the server running (or holding) the job
    finished         timestamptz,
    expires          timestamptz             -- when a finished job and its files are removed
);
create index bulk_export_job_expires on bulk_export_job (expires) where expires is not null;
create index bulk_export_job_unfinished on bulk_export_job (heartbeat) where status in ('accepted', 'running');

create table bulk_export_file (
    job      uuid    not null references bulk_export_job (id) on delete cascade,
    n        integer not null,
    type     text    not null,
    count    integer not null,
    patients text,                -- the patients whose data the file holds, sorted, comma-separated
    content  text    not null,    -- NDJSON: one resource per line
    primary key (job, n)
);
