-- An event whose listeners keep failing is set aside on its own row instead of being marked delivered, so that its
-- derived data (a NEWS2 score, an escalation, a board update, a relationship cache) can be replayed once the fault
-- is fixed. Its failed attempts are counted here too, so the count survives a restart and is the same on every node.
-- last_failure holds the exception's class name only: an exception's message could quote patient data.
alter table fhir_outbox
    add column attempts     integer not null default 0,
    add column set_aside_at timestamptz,
    add column last_failure text;

-- The relay's pending query skips set-aside rows, so the pending index leaves them out as well: it stays as small as
-- the backlog, and the query's predicate still implies the index's.
drop index fhir_outbox_pending;
create index fhir_outbox_pending on fhir_outbox (bulk, seq) where delivered_at is null and set_aside_at is null;

-- The set-aside rows, for the operations API and the gauge of them; normally none.
create index fhir_outbox_set_aside on fhir_outbox (seq) where set_aside_at is not null;
