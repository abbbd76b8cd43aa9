-- The jti of every client assertion (private_key_jwt) a client has used, kept until the assertion expires:
-- SMART Backend Services allows one token request per assertion, and a replay must be refused after a restart
-- and at every instance. Rows past expires_at are deleted with the expired grants.
create table auth.used_client_assertion (
    client_id   text not null,
    jti         text not null,
    expires_at  timestamptz not null,
    primary key (client_id, jti)
);

create index used_client_assertion_expires on auth.used_client_assertion (expires_at);
