-- A number parameter whose element holds a Range (RiskAssessment probability, a decimal or a Range) had no row for
-- the Range, so such an assessment was missing from every probability search and counted as having none. It now has
-- one row as a quantity's Range has (org.charnwood.fhir.search.IndexValues): the ends in lo and hi, an open end as
-- -Infinity or Infinity, and the low end in value (the high end when there is no low). This writes them for the
-- assessments already stored, as the indexer would.

insert into idx_number (res_pk, res_type, param, value, lo, hi)
select distinct q.res_pk, q.res_type, 'probability', coalesce(q.low, q.high), coalesce(q.low, '-Infinity'::numeric),
       coalesce(q.high, 'Infinity'::numeric)
  from (select r.res_pk, r.res_type,
               (case when jsonb_typeof(p.prediction -> 'probabilityRange' -> 'low' -> 'value') = 'number'
                     then (p.prediction -> 'probabilityRange' -> 'low' ->> 'value')::numeric end) as low,
               (case when jsonb_typeof(p.prediction -> 'probabilityRange' -> 'high' -> 'value') = 'number'
                     then (p.prediction -> 'probabilityRange' -> 'high' ->> 'value')::numeric end) as high
          from fhir_resource r
          join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
         cross join lateral jsonb_array_elements(case when jsonb_typeof(v.content::jsonb -> 'prediction') = 'array'
                                                      then v.content::jsonb -> 'prediction' else '[]'::jsonb end)
                            as p(prediction)
         where not r.deleted and r.res_type = 'RiskAssessment'
           and jsonb_typeof(p.prediction -> 'probabilityRange') = 'object') q
 where q.low is not null or q.high is not null;
