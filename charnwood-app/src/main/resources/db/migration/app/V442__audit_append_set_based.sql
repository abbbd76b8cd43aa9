-- audit.append, as in V430, but writing its rows with one insert per table instead of one per record. A
-- transaction bundle audits each of its entries, so a Synthea patient's bundle of 2,000 entries appended 2,000
-- rows one statement at a time inside the function (47 µs each, plus 9 µs for each patient index row), while
-- holding the chain lock that other writers wait for. The hashes are still computed one after another (each
-- needs the one before); only the inserts are gathered. Same canonical form, same rows, same result.
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
        doc := '{"resourceType":"AuditEvent","id":"' || s || '"'
               || case when length(body[i]) <= 2 then '}' else ',' || substr(body[i], 2) end;
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
