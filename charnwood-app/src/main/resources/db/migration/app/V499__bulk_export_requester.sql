-- Who started a bulk export, beyond the client: the token's subject and fhirUser, and the scopes it was granted.
-- A job's status, files and cancellation are for the same requester only, presenting a token whose scopes still
-- cover the read scopes the export was started with (a narrower token of the same client may not fetch them).
-- Jobs started before this have no requester recorded; they are refused (404) and must be started again.
alter table bulk_export_job add column subject text;
alter table bulk_export_job add column fhir_user text;
alter table bulk_export_job add column scopes text[];
