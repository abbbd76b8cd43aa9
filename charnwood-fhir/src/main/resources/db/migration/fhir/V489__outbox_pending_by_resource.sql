-- The pending events of each resource in order, for the relay's claim: it takes an event only when no earlier event of
-- the same resource is still pending, so that a relay on another node, skipping the rows one relay has claimed and not
-- yet delivered, cannot deliver a resource's later change before its earlier one.
create index fhir_outbox_pending_by_resource on fhir_outbox (res_type, res_id, seq)
    where delivered_at is null and set_aside_at is null;
