-- Accounts whose password an administrator gave them (./charnwood account add or password): they choose their own
-- at their next sign-in, before reaching any page or authorising any app. Accounts that existed already are not
-- asked; the demo accounts never are (their shared password is published).
alter table auth.account add column password_change_required boolean not null default false;
