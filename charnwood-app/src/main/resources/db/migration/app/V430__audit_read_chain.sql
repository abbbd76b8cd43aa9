-- Reads get a hash chain of their own. Chain 0 is extended by audit.append under the chain lock, inside
-- the transactions of writes, sign-ins and the like. Chain 1 holds the records of reads (searches, reads,
-- $everything) and is extended by one appender at a time: the one holding the session advisory lock
-- (2100, 1). It keeps the chain's last row in memory and hashes in Java (AuditChain), so a read costs one
-- plain insert rather than a locked function call that reads the tail and hashes row by row. Each chain
-- is verified on its own, in seq order; the canonical content of a row is unchanged, and moving a row to
-- the other chain breaks both.
alter table audit.event add column chain smallint not null default 0;

-- Where each chain ends: the last row of one chain is found without stepping over the other's rows.
create index audit_event_chain on audit.event (chain, seq);

-- Appends to chain 0, as before, but chains from chain 0's last row (or its purge anchor).
create or replace function audit.append(recorded timestamptz[], type text[], subtype text[], action text[],
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
    select e.hash into prev from audit.event e where e.chain = 0 order by e.seq desc limit 1;
    if prev is null then
        select p.last_hash into prev from audit.purge p where p.chain = 0 order by p.purged_through desc limit 1;
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

-- Purge anchors are per chain: the hash the first remaining row of that chain follows from.
alter table audit.purge add column chain smallint not null default 0;

-- Retention, as before (the whole prefix of rows recorded before the cut-off, in seq order), leaving an
-- anchor for each chain that lost rows.
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
    insert into audit.purge (purged_through, last_hash, chain)
    select distinct on (e.chain) last_seq, e.hash, e.chain
      from audit.event e where e.seq <= last_seq order by e.chain, e.seq desc;
    perform set_config('charnwood.audit_purge', 'on', true);
    delete from audit.event_patient where seq <= last_seq;
    delete from audit.event where seq <= last_seq;
    get diagnostics removed = row_count;
    perform set_config('charnwood.audit_purge', 'off', true);
    return removed;
end $$;
revoke all on function audit.purge_before(timestamptz) from public;
