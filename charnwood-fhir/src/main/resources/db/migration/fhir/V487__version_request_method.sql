-- The HTTP method of the request that made each version, for the request element of a history bundle: the change
-- method alone cannot tell a create by POST from a create-on-update by PUT, nor an update by PUT from a PATCH.
-- Versions stored before this column existed keep it null, and history works their method out from the change
-- method, version and id (see StoredResource.requestMethod). Adding a nullable column rewrites no rows.
alter table fhir_resource_version
    add column request_method text check (request_method in ('POST', 'PUT', 'PATCH', 'DELETE'));
