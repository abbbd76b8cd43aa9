-- A copy of each resource's meta.security codings on its own row, so the access filter can hide labelled
-- resources with a test on the row (see SecurityLabels) instead of a join to the _security token rows,
-- which PostgreSQL had to plan again in every search. Null for the many resources without labels.
-- Entries: system US code (the system empty when absent), and RS code for "this code in any system".
alter table fhir_resource add column security text[];

update fhir_resource r set security = l.entries
  from (select res_pk, array_agg(distinct e) as entries
          from (select res_pk, coalesce(system, '') || chr(31) || code as e
                  from idx_token where param = '_security' and code is not null
                union all
                select res_pk, chr(30) || code
                  from idx_token where param = '_security' and code is not null) s
         group by res_pk) l
 where r.res_pk = l.res_pk;
