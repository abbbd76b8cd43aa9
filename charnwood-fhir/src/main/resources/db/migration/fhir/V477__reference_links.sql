-- Every local resource that the current version of each resource refers to, wherever in it the reference is:
-- elements no search parameter indexes, extensions (those of primitive values too) and contained resources
-- included. Deleting a resource is refused while a row here names it; idx_reference, which holds only what search
-- parameters index, let a delete through that left such references dangling. Rows are written, replaced and
-- deleted with the resource's index rows, in the same statement or COPY. A resource's references to itself are
-- left out. See docs/decisions/0017-reference-links-kept-for-the-delete-check.md.
create table fhir_link (
    res_pk       bigint not null,
    target_type  text   not null,
    target_id    text   not null
);
create index fhir_link_target on fhir_link (target_type, target_id) include (res_pk);
create index fhir_link_pk on fhir_link (res_pk);

-- Resources already stored: every string "reference" member of the current version that is a relative
-- Type/id (optionally /_history/n), which is what the write path takes as local; and the local targets already
-- in idx_reference, which adds the indexed absolute references to this server's own base URLs (a base the
-- migration cannot know). An absolute reference to this server outside the index is counted from the next
-- time its resource is written.
insert into fhir_link (res_pk, target_type, target_id)
select r.res_pk, m.parts[1], m.parts[2]
  from fhir_resource r
  join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
 cross join lateral jsonb_path_query(v.content::jsonb, 'lax $.**.reference') as ref(value)
 cross join lateral regexp_match(ref.value #>> '{}', '^([^/:?#]+)/([^/:?]+)(/_history/[^/]+)?$') as m(parts)
 where not r.deleted and jsonb_typeof(ref.value) = 'string' and m.parts is not null
   and not (m.parts[1] = r.res_type and m.parts[2] = r.res_id)
union
select x.res_pk, x.target_type, x.target_id
  from idx_reference x join fhir_resource r on r.res_pk = x.res_pk
 where x.target_type is not null and x.target_id is not null
   and not (x.target_type = r.res_type and x.target_id = r.res_id);
