-- E-rostering and the staff bank (docs/rostering.md, decision 0006). Shifts, bookings and staff requests are
-- workforce records, not clinical ones: they live in their own schema, where row locks and constraints can
-- enforce "one person per place" and "one place per person at a time" directly.
create schema if not exists rostering;

-- Staff as the rosters and the bank need them: grade, registration, contract, and whether they are on the bank.
-- Ward staff without a row take their grade from their PractitionerRole's job title and work full time.
create table rostering.staff_member (
    practitioner_id  text primary key,
    display_name     text not null,
    band             int not null check (band between 2 and 9),
    registered       boolean not null,
    contracted_hours numeric(4, 1) not null default 37.5 check (contracted_hours >= 0),
    bank             boolean not null default false
);

-- A planned roster period for a team: a draft until the manager publishes it.
create table rostering.roster (
    id            bigserial primary key,
    care_team_id  text not null,
    unit_name     text not null,
    first_day     date not null,
    days          int not null check (days between 7 and 42),
    planned_at    timestamptz not null,
    planned_by    text,
    score         text not null,
    feasible      boolean not null,
    report        text not null,
    status        text not null check (status in ('DRAFT', 'PUBLISHED')),
    published_at  timestamptz
);
create index roster_team on rostering.roster (care_team_id, first_day);

-- One place on one shift. DRAFT places belong to an unpublished roster; published places are ROSTERED (filled by
-- the roster), VACANT (offered to the bank) or BOOKED (taken by bank staff).
create table rostering.shift (
    id               bigserial primary key,
    roster_id        bigint references rostering.roster (id) on delete cascade,
    care_team_id     text not null,
    unit_name        text not null,
    shift_date       date not null,
    kind             text not null check (kind in ('EARLY', 'LATE', 'NIGHT', 'LONG_DAY')),
    starts_at        timestamptz not null,
    ends_at          timestamptz not null check (ends_at > starts_at),
    senior_required  boolean not null,
    practitioner_id  text,
    status           text not null check (status in ('DRAFT', 'ROSTERED', 'VACANT', 'BOOKED')),
    booked_at        timestamptz,
    check (status = 'DRAFT' or (status = 'VACANT') = (practitioner_id is null))
);
create index shift_person on rostering.shift (practitioner_id, starts_at) where practitioner_id is not null;
create index shift_vacant on rostering.shift (starts_at) where status = 'VACANT';
-- The last line of defence against double booking: one person never holds two places starting at once.
create unique index shift_one_start_per_person on rostering.shift (practitioner_id, starts_at)
    where practitioner_id is not null and status <> 'DRAFT';

-- Annual leave and shift preferences asked for by staff, decided by a manager.
create table rostering.staff_request (
    id              bigserial primary key,
    practitioner_id text not null,
    kind            text not null check (kind in ('LEAVE', 'WANT', 'AVOID')),
    first_day       date not null,
    last_day        date not null,
    shift_kind      text check (shift_kind in ('EARLY', 'LATE', 'NIGHT', 'LONG_DAY')),
    note            text,
    status          text not null default 'PENDING' check (status in ('PENDING', 'APPROVED', 'DECLINED')),
    requested_at    timestamptz not null,
    decided_by      text,
    decided_at      timestamptz,
    check (last_day >= first_day)
);
create index staff_request_person on rostering.staff_request (practitioner_id, first_day);

-- What happened to shifts and requests, for the workforce audit: who did what when. No patient data.
create table rostering.shift_event (
    id              bigserial primary key,
    at              timestamptz not null,
    event           text not null,
    shift_id        bigint,
    request_id      bigint,
    roster_id       bigint,
    practitioner_id text,
    actor           text not null,
    detail          text
);
create index shift_event_shift on rostering.shift_event (shift_id);
