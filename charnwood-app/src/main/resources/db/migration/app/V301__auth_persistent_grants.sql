-- Grants of the authorisation server (authorisation codes, access, refresh and ID tokens, consents), kept in
-- PostgreSQL so that a restart, or another instance behind the load balancer, honours them. Token values are
-- never stored: only their SHA-256 hashes, so a copy of this table cannot be replayed against the server.
create table auth.authorization (
    id                 text primary key,
    registered_client  text not null,
    principal          text not null,
    state_hash         text,
    code_hash          text,
    access_hash        text,
    refresh_hash       text,
    id_token_hash      text,
    -- When the last token of the grant stops being usable; the row is deleted after it.
    expires_at         timestamptz not null,
    -- The grant (principal, request, scopes, token metadata) with every token value replaced by its hash.
    content            bytea not null
);

create unique index authorization_state on auth.authorization (state_hash) where state_hash is not null;
create unique index authorization_code on auth.authorization (code_hash) where code_hash is not null;
create unique index authorization_access on auth.authorization (access_hash) where access_hash is not null;
create unique index authorization_refresh on auth.authorization (refresh_hash) where refresh_hash is not null;
create index authorization_expires on auth.authorization (expires_at);

-- Access tokens revoked before they expired. Access tokens are self-contained JWTs checked without a database
-- look-up; every instance keeps this list in memory and picks up new rows by their sequence number.
create table auth.revoked_access_token (
    seq         bigserial primary key,
    token_hash  text not null unique,
    expires_at  timestamptz not null
);

create table auth.authorization_consent (
    registered_client  text not null,
    principal          text not null,
    authorities        text not null,
    primary key (registered_client, principal)
);
