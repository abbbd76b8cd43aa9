-- A string index row's value_norm is cut to 256 characters, so that its b-tree entry stays small; :contains and a
-- search value longer than that were answered from the cut value alone (a word after the cut was not found, and a
-- long value matched any that began with its first 256 characters). value_long holds the whole normalised value
-- when it was cut, null otherwise, and those searches read it (org.charnwood.fhir.search.ValueConditions).
alter table idx_string add column value_long text;

-- Rows already stored: a value of ASCII characters alone is normalised by lower-casing, as the indexer does; one with
-- other characters (accents to strip) has its whole value from the next time its resource is written.
update idx_string set value_long = lower(value_exact)
 where length(value_norm) >= 255 and length(value_exact) > length(value_norm)
   and octet_length(value_exact) = length(value_exact);
