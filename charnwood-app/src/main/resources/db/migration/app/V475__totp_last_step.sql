-- The last one-time-password time step each account signed in with: a code is accepted once (RFC 6238 5.2).
alter table auth.account add column totp_last_step bigint;
