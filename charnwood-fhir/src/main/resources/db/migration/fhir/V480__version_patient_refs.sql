-- The patients each stored version refers to (PatientReferences.referredTo: every reference to a Patient, anywhere
-- in the resource, a Patient's own id not counted), kept beside its content. A search's page load reports from
-- them whose data it returned (its audit record names those patients) without reading the JSON again. Null when
-- the version refers to no patient, and for deletions.
alter table fhir_resource_version add column patient_refs text[];

-- The versions written before: the same rule, applied to the stored JSON. Either form of a Patient reference counts
-- ("Patient/p1" and ".../Patient/p1/_history/2"); an empty id or a contained reference ("#...") does not.
update fhir_resource_version v
   set patient_refs = s.refs
  from (select x.res_pk, x.version, array_agg(distinct p.id) as refs
          from fhir_resource_version x
               cross join lateral jsonb_path_query(x.content::jsonb, 'lax $.**.reference ? (@.type() == "string")') r
               cross join lateral (select coalesce(substring(r #>> '{}' from '^Patient/([^/]*)'),
                                                   substring(r #>> '{}' from '^.*/Patient/([^/]*)')) as id) p
         where x.content like '%Patient/%'
           and p.id <> '' and p.id not like '#%'
         group by x.res_pk, x.version) s
 where v.res_pk = s.res_pk and v.version = s.version;
