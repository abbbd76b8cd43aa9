-- Audit rows can be removed only by a purge that is itself on the record (decision 18). Until now the immutability
-- trigger let a delete through whenever the custom setting charnwood.audit_purge was 'on', which any session may
-- set, and audit.purge (the anchors each chain restarts from after a purge) took any row and could be changed, so
-- a prefix removed by hand behind a forged anchor verified as whole. Now:
--
-- * a row of audit.event or audit.event_patient may be deleted only by the transaction that recorded a purge anchor
--   covering it. The anchor's trigger stamps it with that transaction's id, which no setting can fake, and accepts
--   it only when it names the purge's own record on chain 0 and holds the hash of its chain's last row in the
--   prefix while that row is still there;
-- * audit.purge refuses update, delete and truncate;
-- * audit.purge_before (still the only way in for anyone but the tables' owner) first appends that record, an
--   AuditEvent stating the purge and each chain's anchor, so the purge sits in the hash chain and verification
--   compares the anchors it starts from with what the record says (ChainVerifier).
--
-- A superuser, or the tables' owner, can still switch triggers off; what they remove or forge that way is found by
-- verification, not prevented (docs/audit.md).

alter table audit.purge add column event_seq bigint;  -- the purge's record on chain 0; null for purges made before
alter table audit.purge add column xact bigint;       -- the transaction that made the purge

-- Audit rows are never changed; a row is deleted only by the transaction that recorded a purge anchor covering it.
create or replace function audit.refuse_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        if exists (select 1 from audit.purge p where p.xact = txid_current() and p.purged_through >= old.seq) then
            return old;
        end if;
    end if;
    raise exception 'audit rows cannot be changed or deleted (%)', tg_op using errcode = '42501';
end $$;

create function audit.refuse_purge_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit purge anchors cannot be changed or deleted (%)', tg_op using errcode = '42501';
end $$;

-- An anchor is taken only as audit.record_purge writes it: after its record on chain 0, at or beyond the last purge,
-- and with the hash the chain's next row really follows from. Who and when are stamped here, not taken as given.
create function audit.check_purge() returns trigger language plpgsql as $$
declare
    expected bytea;
begin
    new.xact := txid_current();
    new.purged_at := now();
    new.purged_by := session_user;
    if new.purged_through < (select coalesce(max(p.purged_through), new.purged_through) from audit.purge p) then
        raise exception 'a purge cannot reach back behind an earlier one' using errcode = '42501';
    end if;
    if new.event_seq is null or not exists (
            select 1 from audit.event e
             where e.seq = new.event_seq and e.chain = 0 and e.subtype = 'audit-purge'
               and e.seq > new.purged_through) then
        raise exception 'a purge anchor must name the purge''s record on chain 0' using errcode = '42501';
    end if;
    expected := coalesce(
        (select e.hash from audit.event e
          where e.chain = new.chain and e.seq <= new.purged_through order by e.seq desc limit 1),
        (select p.last_hash from audit.purge p where p.chain = new.chain order by p.purged_through desc limit 1),
        '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    if new.last_hash is distinct from expected then
        raise exception 'a purge anchor must hold the hash of its chain''s last row in the purged prefix'
            using errcode = '42501';
    end if;
    return new;
end $$;

create trigger audit_purge_checked before insert on audit.purge
    for each row execute function audit.check_purge();
create trigger audit_purge_immutable before update or delete on audit.purge
    for each row execute function audit.refuse_purge_change();
create trigger audit_purge_no_truncate before truncate on audit.purge
    for each statement execute function audit.refuse_purge_change();

-- Puts a purge through seq `through` on the record: appends to chain 0 an AuditEvent (DICOM 110101 Audit Log Used,
-- subtype audit-purge, action D) whose facts state the purge and the anchor of every chain, each chain's last hash
-- in the prefix or, for a chain that loses nothing, the anchor it already had; then records those anchors in
-- audit.purge, naming the event. Returns the event's seq. The facts are written as EventFacts writes them (the
-- "purge" member is read by verification only), so the event renders like any other.
create function audit.record_purge(through bigint, detail text) returns bigint
    language plpgsql set search_path = audit, pg_temp as $$
declare
    stamp   timestamptz := date_trunc('milliseconds', clock_timestamp());
    who     text := 'database:' || session_user;
    chains  smallint[];
    hashes  bytea[];
    anchors text := '';
    facts   text;
    event   bigint;
begin
    perform pg_advisory_xact_lock(2100, 0);
    select array_agg(a.chain order by a.chain), array_agg(a.hash order by a.chain) into chains, hashes
      from (select c.chain, coalesce(
                   (select e.hash from audit.event e
                     where e.chain = c.chain and e.seq <= through order by e.seq desc limit 1),
                   (select p.last_hash from audit.purge p where p.chain = c.chain order by p.purged_through desc limit 1))
                   as hash
              from (select distinct e.chain from audit.event e where e.seq <= through
                    union select p.chain from audit.purge p) c) a
     where a.hash is not null;
    for i in 1 .. coalesce(array_length(chains, 1), 0) loop
        anchors := anchors || case when i > 1 then ',' else '' end
                   || '{"chain":' || chains[i] || ',"hash":"' || encode(hashes[i], 'hex') || '"}';
    end loop;
    facts := '{"facts":1,"recorded":' || to_json(to_char(stamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
             || ',"type":["http://dicom.nema.org/resources/ontology/DCM","110101","Audit Log Used"]'
             || ',"subtype":[["https://charnwood.nhs.example/fhir/CodeSystem/audit-subtype","audit-purge",'
             || '"Audit records purged"]],"action":"D","outcome":0'
             || ',"agent":{"kind":"SYSTEM","subject":' || to_json(who)::text || '},"direction":"DELETE"'
             || ',"detail":' || to_json(detail)::text
             || ',"purge":{"through":' || through || ',"anchors":[' || anchors || ']}}';
    event := (audit.append(array[stamp], array['http://dicom.nema.org/resources/ontology/DCM|110101'],
                           array['audit-purge'], array['D'], array[0]::smallint[], array[who], array[null]::text[],
                           array[null]::text[], array[facts]))[1];
    insert into audit.purge (purged_through, last_hash, chain, event_seq)
    select through, u.hash, u.chain, event from unnest(chains, hashes) as u(chain, hash);
    return event;
end $$;
revoke all on function audit.record_purge(bigint, text) from public;

-- Retention, as before (the whole prefix of rows recorded before the cut-off, in seq order), now put on the record
-- before anything is deleted; the deletes pass the trigger because this transaction recorded the anchors.
create or replace function audit.purge_before(cutoff timestamptz) returns bigint
    language plpgsql security definer set search_path = audit, pg_temp as $$
declare
    last_seq  bigint;
    removed   bigint;
begin
    perform pg_advisory_xact_lock(2100, 0);
    select seq into last_seq from audit.event
     where seq < coalesce((select min(seq) from audit.event where recorded >= cutoff), 9223372036854775807)
     order by seq desc limit 1;
    if last_seq is null then
        return 0;
    end if;
    select count(*) into removed from audit.event where seq <= last_seq;
    perform audit.record_purge(last_seq, 'Retention: purged ' || removed || ' audit records (seq ' || last_seq
        || ' and before) recorded before ' || to_char(cutoff at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
    delete from audit.event_patient where seq <= last_seq;
    delete from audit.event where seq <= last_seq;
    get diagnostics removed = row_count;
    return removed;
end $$;
revoke all on function audit.purge_before(timestamptz) from public;

-- Purges made before this migration are put on the record once, as they stand, so verification can hold the anchors
-- it starts from to a record in the chain from now on.
do $$
begin
    if exists (select 1 from audit.purge) then
        perform audit.record_purge((select max(purged_through) from audit.purge),
                                   'purge anchors in effect when purges were first put on the record');
    end if;
end $$;
