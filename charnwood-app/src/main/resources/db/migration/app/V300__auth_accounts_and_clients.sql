-- Identity and authorisation: local accounts (staff, patients, carers) and registered OAuth clients.
-- Kept in their own schema so that clinical-table housekeeping never touches sign-in state.
create schema if not exists auth;

create table auth.account (
    id               text primary key,
    username         text not null unique,
    kind             text not null check (kind in ('STAFF', 'PATIENT', 'CARER')),
    display_name     text not null,
    -- Argon2id hash in Spring Security's encoded form; null for accounts that only sign in through federation.
    password_hash    text,
    fhir_user        text,
    -- The Patient a patient account is, or the Patient a carer account cares for.
    patient_id       text,
    nhs_number       text,
    roles            text not null default '',
    organisation     text,
    totp_secret      text,
    totp_required    boolean not null default false,
    failed_attempts  integer not null default 0,
    locked_until     timestamptz,
    enabled          boolean not null default true,
    created_at       timestamptz not null default now()
);

create index account_nhs_number on auth.account (nhs_number) where nhs_number is not null;

-- A person signed in through an external identity provider, linked to the account it maps to.
create table auth.federated_identity (
    issuer      text not null,
    subject     text not null,
    account_id  text not null references auth.account (id) on delete cascade,
    primary key (issuer, subject)
);

create table auth.client (
    client_id     text primary key,
    -- 'configuration' for clients declared in settings (re-applied at each start), 'admin' for the admin API.
    source        text not null,
    registration  jsonb not null,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
