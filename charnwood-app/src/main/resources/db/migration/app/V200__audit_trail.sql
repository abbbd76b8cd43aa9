-- The audit trail: one row per FHIR AuditEvent, in a schema of its own so that it is never mistaken
-- for (or searched as) clinical data. Rows form a hash chain in seq order: each row's hash is
-- SHA-256 over its canonical content and the previous row's hash (see AuditChain). Only the columns
-- searched are broken out of the JSON; everything else is in the AuditEvent itself.
create schema if not exists audit;

create sequence audit.event_seq;

create table audit.event (
    seq       bigint      primary key,
    recorded  timestamptz not null,
    type      text        not null,   -- system|code of AuditEvent.type
    subtype   text,                   -- code of the first subtype (restful interaction or login/logout)
    action    char(1),
    outcome   smallint    not null,
    who       text,                   -- the requesting agent: fhirUser reference, else account or client id
    purpose   text,                   -- purposeOfEvent codes, space-separated (BTG for break-glass)
    patients  text,                   -- Patient ids in the entities, sorted, comma-separated (hashed)
    content   text        not null,   -- the AuditEvent JSON
    prev_hash bytea       not null,
    hash      bytea       not null
);

-- Who looked at a patient's record: one row per patient an event names.
create table audit.event_patient (
    patient text   not null,
    seq     bigint not null,
    primary key (patient, seq)
);

-- All access by one user, newest first.
create index audit_event_who on audit.event (who, seq);
-- Date ranges: rows arrive in time order, so a BRIN index is enough and nearly free to maintain.
create index audit_event_recorded on audit.event using brin (recorded);
-- The break-glass review list: the few rows that carry a purpose of use.
create index audit_event_purpose on audit.event (seq) where purpose is not null;

-- Appends records to the chain in one call, so an appender costs one round trip: takes the chain lock
-- (held to the end of the transaction, so appenders take turns and each sees the rows before it), numbers
-- the rows, gives each AuditEvent its id (= seq), and hashes each row over its canonical content and the
-- previous row's hash. The canonical form must match AuditChain.hash in Java, which verification uses.
-- Relies on READ COMMITTED: the tail is read after the lock is taken.
create function audit.append(recorded timestamptz[], type text[], subtype text[], action text[],
                             outcome smallint[], who text[], purpose text[], patients text[], body text[])
    returns bigint[] language plpgsql as $$
declare
    prev    bytea;
    h       bytea;
    s       bigint;
    doc     text;
    seqs    bigint[] := '{}';
begin
    perform pg_advisory_xact_lock(2100, 0);
    select e.hash into prev from audit.event e order by e.seq desc limit 1;
    if prev is null then
        select p.last_hash into prev from audit.purge p order by p.purged_through desc limit 1;
    end if;
    prev := coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    for i in 1 .. coalesce(array_length(body, 1), 0) loop
        s := nextval('audit.event_seq');
        doc := '{"resourceType":"AuditEvent","id":"' || s || '"'
               || case when length(body[i]) <= 2 then '}' else ',' || substr(body[i], 2) end;
        h := sha256(convert_to(
                 encode(prev, 'hex') || E'\n' || s || E'\n'
                 || (extract(epoch from recorded[i]) * 1000)::bigint || E'\n'
                 || coalesce(type[i], '') || E'\n' || coalesce(subtype[i], '') || E'\n'
                 || coalesce(action[i], '') || E'\n' || outcome[i] || E'\n'
                 || coalesce(who[i], '') || E'\n' || coalesce(purpose[i], '') || E'\n'
                 || coalesce(patients[i], '') || E'\n' || doc, 'UTF8'));
        insert into audit.event (seq, recorded, type, subtype, action, outcome, who, purpose, patients, content,
                                 prev_hash, hash)
        values (s, recorded[i], type[i], subtype[i], action[i], outcome[i], who[i], purpose[i], patients[i], doc,
                prev, h);
        if patients[i] is not null then
            insert into audit.event_patient (patient, seq)
            select p, s from unnest(string_to_array(patients[i], ',')) p;
        end if;
        prev := h;
        seqs := seqs || s;
    end loop;
    return seqs;
end $$;

-- Retention purges leave an anchor: the hash the first remaining row chains from.
create table audit.purge (
    purged_through bigint      not null,
    last_hash      bytea       not null,
    purged_at      timestamptz not null default now(),
    purged_by      text        not null default current_user
);

-- Audit rows are never changed or removed, except by audit.purge_before (below).
create function audit.refuse_change() returns trigger language plpgsql as $$
begin
    if current_setting('charnwood.audit_purge', true) = 'on' and tg_op = 'DELETE' then
        return old;
    end if;
    raise exception 'audit rows cannot be changed or deleted (%)', tg_op using errcode = '42501';
end $$;

create trigger audit_event_immutable before update or delete on audit.event
    for each row execute function audit.refuse_change();
create trigger audit_event_patient_immutable before update or delete on audit.event_patient
    for each row execute function audit.refuse_change();
create trigger audit_event_no_truncate before truncate on audit.event
    for each statement execute function audit.refuse_change();
create trigger audit_event_patient_no_truncate before truncate on audit.event_patient
    for each statement execute function audit.refuse_change();

-- Retention: removes the rows recorded before the cut-off (whole prefix of the chain) and records
-- where the remaining chain starts. Grant EXECUTE only to the records manager's database role.
create function audit.purge_before(cutoff timestamptz) returns bigint
    language plpgsql security definer set search_path = audit, pg_temp as $$
declare
    last_seq  bigint;
    last_h    bytea;
    removed   bigint;
begin
    perform pg_advisory_xact_lock(2100, 0);
    select seq, hash into last_seq, last_h from audit.event
     where seq < coalesce((select min(seq) from audit.event where recorded >= cutoff), 9223372036854775807)
     order by seq desc limit 1;
    if last_seq is null then
        return 0;
    end if;
    perform set_config('charnwood.audit_purge', 'on', true);
    delete from audit.event_patient where seq <= last_seq;
    delete from audit.event where seq <= last_seq;
    get diagnostics removed = row_count;
    perform set_config('charnwood.audit_purge', 'off', true);
    insert into audit.purge (purged_through, last_hash) values (last_seq, last_h);
    return removed;
end $$;
revoke all on function audit.purge_before(timestamptz) from public;
