-- SMART launch ids minted for staff (EHR launch and the patient picker), kept in PostgreSQL so that the instance
-- serving the app's token request can use a launch minted at another one. A launch is good for one token, for the
-- account that minted it, for ten minutes: using it deletes its row in the same statement, and rows past
-- expires_at are deleted with the expired grants. Only the SHA-256 of the launch id is stored, so a copy of this
-- table cannot be used to open an app on a patient.
create table auth.smart_launch (
    launch_hash  text primary key,
    patient      text,
    encounter    text,
    minted_by    text not null,
    expires_at   timestamptz not null
);

create index smart_launch_expires on auth.smart_launch (expires_at);
