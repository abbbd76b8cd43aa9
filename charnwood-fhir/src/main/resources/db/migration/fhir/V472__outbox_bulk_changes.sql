-- Changes written by a bulk import are marked, so that the relay delivers every other change first: a migration
-- of a million historical resources must not hold a ward's live observations (and their NEWS2 escalations) in
-- the queue behind it. The pending index follows the relay's order: live changes by seq, then bulk ones by seq.
alter table fhir_outbox add column bulk boolean not null default false;
drop index fhir_outbox_pending;
create index fhir_outbox_pending on fhir_outbox (bulk, seq) where delivered_at is null;
