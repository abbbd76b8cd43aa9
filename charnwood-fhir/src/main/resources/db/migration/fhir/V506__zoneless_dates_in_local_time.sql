-- Dates without a time zone (birthDate, an effectiveDateTime of "2024-07-01", a dateTime to the month or year, a
-- Period's date-only end) were indexed as UTC days; they are now read in the server's local zone, Europe/London
-- unless charnwood.fhir.local-time-zone says otherwise (R4 search.html, "date"; org.charnwood.fhir.search.DateRange).
-- This moves the rows already written. A row does not record whether its value had a zone, so an end is taken as
-- zone-less when it lies on a UTC day boundary, as such a value was indexed, and the resource holds a date string
-- of that day, month or year ("2024-07-01", "2024-07", "2024"). A value with a zone is never to the day alone, so an
-- end of one lies on a boundary only when written at exactly midnight UTC (such as "2024-07-01T00:00:00Z") while the
-- resource also holds that date without a zone; in winter London time is UTC and nothing moves either way.
-- A database set to another zone than Europe/London needs its resources written again to be indexed in it.

with ends as (
    select d.ctid as row_id, d.lo, d.hi, v.content,
           -- the first instant and the instant after the inclusive last, as UTC wall-clock times
           d.lo at time zone 'UTC' as first,
           (d.hi + interval '1 microsecond') at time zone 'UTC' as after
      from idx_date d
      join fhir_resource r on r.res_pk = d.res_pk
      join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
     where (isfinite(d.lo) and (d.lo at time zone 'UTC') = date_trunc('day', d.lo at time zone 'UTC'))
        or (isfinite(d.hi) and ((d.hi + interval '1 microsecond') at time zone 'UTC')
                               = date_trunc('day', (d.hi + interval '1 microsecond') at time zone 'UTC'))),
moved as (
    select row_id,
           case when isfinite(lo) and first = date_trunc('day', first)
                     and (content like '%"' || to_char(first, 'YYYY-MM-DD') || '"%'
                          or (extract(day from first) = 1
                              and content like '%"' || to_char(first, 'YYYY-MM') || '"%')
                          or (extract(day from first) = 1 and extract(month from first) = 1
                              and content like '%"' || to_char(first, 'YYYY') || '"%'))
                then first at time zone 'Europe/London'
                else lo end as lo,
           case when isfinite(hi) and after = date_trunc('day', after)
                     and (content like '%"' || to_char(after - interval '1 day', 'YYYY-MM-DD') || '"%'
                          or (extract(day from after) = 1
                              and content like '%"' || to_char(after - interval '1 day', 'YYYY-MM') || '"%')
                          or (extract(day from after) = 1 and extract(month from after) = 1
                              and content like '%"' || to_char(after - interval '1 day', 'YYYY') || '"%'))
                then (after at time zone 'Europe/London') - interval '1 microsecond'
                else hi end as hi
      from ends)
update idx_date d
   set lo = m.lo, hi = m.hi
  from moved m
 where d.ctid = m.row_id
   and (d.lo <> m.lo or d.hi <> m.hi);
