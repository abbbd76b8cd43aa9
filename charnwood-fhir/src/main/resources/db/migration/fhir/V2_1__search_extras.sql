-- Search additions to the V1 index tables.

-- Identifier.type of identifier tokens, so identifier:of-type=system|code|value can be answered.
alter table idx_token add column type_system text, add column type_code text;

-- Composite searches almost always fix the first component, a code (code-value-quantity and the
-- like): let them start from that instead of every row of the parameter.
create index idx_composite_first on idx_composite (res_type, param, (components -> 0 ->> 'code'));

-- System-level searches on meta have no resource type to lead the V1 lookup indexes with.
-- Partial indexes stay small: few resources carry tags, security labels or profiles.
create index idx_token_meta on idx_token (param, code, system) where param in ('_tag', '_security');
create index idx_uri_meta on idx_uri (param, uri text_pattern_ops) where param in ('_profile', '_source');

-- Superseded by idx_composite_first, whose leading columns are the same: one index less to
-- maintain on every write.
drop index idx_composite_lookup;
