-- Emergency (break-glass) access grants and their information governance review.
-- See org.charnwood.app.security.breakglass and docs/access-control.md.
create table access_break_glass (
    grant_id      text        primary key,
    subject       text        not null,   -- the account that asked (Requester.subject)
    fhir_user     text        not null,   -- Practitioner/... or PractitionerRole/...
    patient_id    text        not null,
    reason        text        not null,
    granted_at    timestamptz not null,
    expires_at    timestamptz not null,
    source_address text,
    reviewed_at   timestamptz,
    reviewed_by   text,
    review_note   text
);
-- Every request of a member of staff asks for their grants still in force.
create index access_break_glass_active on access_break_glass (fhir_user, expires_at);
create index access_break_glass_unreviewed on access_break_glass (granted_at) where reviewed_at is null;
