-- Audit rows store the facts of an event (AuditEventBuilder's EventFacts: who, what, when, which patients, the
-- query, the outcome) instead of the rendered AuditEvent, which is made from them when the row is read. The
-- rendering repeated long system URLs, fixed codings and the requester's agents in every row: about 3,600
-- characters for a search against about 930 as facts, small enough that PostgreSQL stores them uncompressed.
-- audit.append, as in V442, now stores the body as given: it no longer splices the AuditEvent's resourceType and
-- id into it (the id is the row's seq, added when the event is rendered). Rows written before keep their
-- AuditEvent JSON and are served as they are; the canonical form that the hash covers is unchanged (the stored
-- content, whatever it holds).
create or replace function audit.append(recorded timestamptz[], type text[], subtype text[], action text[],
                             outcome smallint[], who text[], purpose text[], patients text[], body text[])
    returns bigint[] language plpgsql as $$
declare
    n       int := coalesce(array_length(body, 1), 0);
    prev    bytea;
    h       bytea;
    s       bigint;
    doc     text;
    seqs    bigint[] := '{}';
    docs    text[] := '{}';
    prevs   bytea[] := '{}';
    hashes  bytea[] := '{}';
begin
    perform pg_advisory_xact_lock(2100, 0);
    select e.hash into prev from audit.event e where e.chain = 0 order by e.seq desc limit 1;
    if prev is null then
        select p.last_hash into prev from audit.purge p where p.chain = 0 order by p.purged_through desc limit 1;
    end if;
    prev := coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    for i in 1 .. n loop
        s := nextval('audit.event_seq');
        doc := body[i];
        h := sha256(convert_to(
                 encode(prev, 'hex') || E'\n' || s || E'\n'
                 || (extract(epoch from recorded[i]) * 1000)::bigint || E'\n'
                 || coalesce(type[i], '') || E'\n' || coalesce(subtype[i], '') || E'\n'
                 || coalesce(action[i], '') || E'\n' || outcome[i] || E'\n'
                 || coalesce(who[i], '') || E'\n' || coalesce(purpose[i], '') || E'\n'
                 || coalesce(patients[i], '') || E'\n' || doc, 'UTF8'));
        seqs := seqs || s;
        docs := docs || doc;
        prevs := prevs || prev;
        hashes := hashes || h;
        prev := h;
    end loop;
    if n > 0 then
        insert into audit.event (seq, recorded, type, subtype, action, outcome, who, purpose, patients, content,
                                 prev_hash, hash)
        select u.seq, u.recorded, u.type, u.subtype, u.action, u.outcome, u.who, u.purpose, u.patients, u.doc,
               u.prev, u.hash
          from unnest(seqs, recorded, type, subtype, action, outcome, who, purpose, patients, docs, prevs, hashes)
               as u(seq, recorded, type, subtype, action, outcome, who, purpose, patients, doc, prev, hash);
        insert into audit.event_patient (patient, seq)
        select p, u.seq
          from unnest(seqs, patients) as u(seq, patients)
               cross join lateral unnest(string_to_array(u.patients, ',')) p
         where u.patients is not null;
    end if;
    return seqs;
end $$;

-- Where each chain ends. audit.append looks up chain 0's last row in every write transaction; the read chain's
-- owner reads its chain's end only when it takes the chain (ReadChain.lastHash), walking back in seq order. So
-- the index on (chain, seq), which every read's row paid an entry for, now covers chain 0 alone.
drop index audit.audit_event_chain;
create index audit_event_chain0 on audit.event (seq) where chain = 0;
