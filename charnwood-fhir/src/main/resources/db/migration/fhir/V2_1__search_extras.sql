-- Search additions to the V1 index tables. See org.charnwood.fhir.search.

-- Identifier.type of identifier tokens, so identifier:of-type=system|code|value can be answered.
alter table idx_token add column type_system text, add column type_code text;

-- Lookup indexes that also carry res_pk: a search condition becomes an index-only scan that
-- yields the matching keys without visiting the table (V1's lookups had to fetch every row).
drop index idx_string_lookup;
create index idx_string_lookup on idx_string (res_type, param, value_norm text_pattern_ops) include (res_pk);
drop index idx_token_lookup;
create index idx_token_lookup on idx_token (res_type, param, code, system) include (res_pk);
drop index idx_date_lookup;
create index idx_date_lookup on idx_date (res_type, param, lo, hi) include (res_pk);
drop index idx_number_lookup;
create index idx_number_lookup on idx_number (res_type, param, value) include (res_pk);
drop index idx_quantity_lookup;
create index idx_quantity_lookup on idx_quantity (res_type, param, code, value) include (res_pk);
drop index idx_reference_lookup;
create index idx_reference_lookup on idx_reference (res_type, param, target_id, target_type) include (res_pk);
drop index idx_uri_lookup;
create index idx_uri_lookup on idx_uri (res_type, param, uri text_pattern_ops) include (res_pk);

-- Composite searches almost always fix the first component, a code (code-value-quantity and the
-- like): start from that instead of every row of the parameter. Replaces the (res_type, param) index.
drop index idx_composite_lookup;
create index idx_composite_lookup on idx_composite (res_type, param, (components -> 0 ->> 'code')) include (res_pk);

-- Per-resource indexes keyed by (res_pk, param): the probes for :not, :missing, sorting and
-- semi-joins driven from another condition look at one parameter's rows, not all of a
-- resource's. Deleting a resource's rows still uses the res_pk prefix.
drop index idx_string_pk;
create index idx_string_pk on idx_string (res_pk, param);
drop index idx_token_pk;
create index idx_token_pk on idx_token (res_pk, param);
drop index idx_date_pk;
create index idx_date_pk on idx_date (res_pk, param) include (lo, hi);
drop index idx_number_pk;
create index idx_number_pk on idx_number (res_pk, param);
drop index idx_quantity_pk;
create index idx_quantity_pk on idx_quantity (res_pk, param);
drop index idx_reference_pk;
create index idx_reference_pk on idx_reference (res_pk, param);
drop index idx_uri_pk;
create index idx_uri_pk on idx_uri (res_pk, param);
drop index idx_composite_pk;
create index idx_composite_pk on idx_composite (res_pk, param);

-- System-level searches on meta have no resource type to lead the lookup indexes with.
-- Partial indexes stay small: few resources carry tags, security labels or profiles.
create index idx_token_meta on idx_token (param, code, system) include (res_pk) where param in ('_tag', '_security');
create index idx_uri_meta on idx_uri (param, uri text_pattern_ops) include (res_pk) where param in ('_profile', '_source');

-- Searches are short OLTP statements; JIT compilation of the occasional high-cost plan (a count
-- over a large table) adds tens of milliseconds and never pays back. Left alone where the
-- migration may not change database settings.
do $$
begin
    execute format('alter database %I set jit = off', current_database());
exception when insufficient_privilege then
    raise notice 'jit left as configured: %', sqlerrm;
end $$;
