-- Refresh tokens replaced by rotation, by hash, with the grant they belonged to: one presented again means it was
-- copied (RFC 9700 section 4.14.2), and the whole grant is ended. Kept until the grant would have expired.
create table auth.retired_refresh_token (
    token_hash        text primary key,
    authorization_id  text not null,
    expires_at        timestamptz not null
);
create index retired_refresh_token_expiry on auth.retired_refresh_token (expires_at);
