-- An event whose listeners failed waits before it is tried again (1 s after the first failure, 5 s after the second),
-- so that a fault that passes (a lock timeout, a restarting service) is outlived instead of setting the event aside
-- within half a second. While it waits, the other events of its resource wait with it, so that they are not delivered
-- ahead of it; every other resource's events go on.
alter table fhir_outbox add column retry_at timestamptz;

-- The resources waiting to be retried, which the relay's claim leaves out: normally none.
create index fhir_outbox_retrying on fhir_outbox (res_type, res_id)
    where retry_at is not null and delivered_at is null and set_aside_at is null;
