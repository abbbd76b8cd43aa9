-- Accounts whose signed-in sessions must end: disabled, given a new password by an administrator, or their
-- authenticator reset (./charnwood account ...). The command writes a row with its change; every running server
-- reads new rows by sequence within a second and ends the account's sessions signed in before ended_at. Kept for
-- as long as a session could last (the absolute timeout), then purged.
create table auth.account_ending (
    seq         bigserial primary key,
    account_id  text not null,
    reason      text not null,
    ended_at    timestamptz not null default clock_timestamp()
);
create index account_ending_time on auth.account_ending (ended_at);
