-- A launch id is good only for the app it was minted for: the staff page or patient picker names it. Null for a
-- launch minted without naming one (the launch API's callers may leave it out): any app the same person authorises.
alter table auth.smart_launch add column client_id text;
