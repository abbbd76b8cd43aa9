-- Identity confirmations of self-referrals that linked the referral to an existing patient's record, on
-- information governance's review list beside emergency access. See org.charnwood.app.security.breakglass
-- and docs/access-control.md.
create table access_identity_confirmation (
    confirmation_id      text        primary key,
    referral_id          text        not null,   -- the self-referral (ServiceRequest id)
    referral_reference   text,                   -- the reference people quote for it
    patient_id           text        not null,   -- the existing record it was linked to
    provisional_id       text        not null,   -- the provisional record made from the details given
    how                  text        not null,   -- 'matched' or 'existing' (named by NHS number)
    matched              text        not null,   -- what of the details given matched the record
    confirmed_by_subject text        not null,   -- the triager's account (Requester.subject)
    confirmed_by         text        not null,   -- Practitioner/... or PractitionerRole/...
    confirmed_at         timestamptz not null,
    reviewed_at          timestamptz,
    reviewed_by          text,
    review_note          text
);
create index access_identity_confirmation_unreviewed on access_identity_confirmation (confirmed_at)
    where reviewed_at is null;
