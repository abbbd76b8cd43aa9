-- Quantity searches compare a Range's rows as ranges: those rows hold the Range's ends in lo and hi and one of them
-- in value, which a single quantity's row never does (its lo and hi are the precision either side of its value).
-- Range rows are few; this index finds them without visiting the single quantities of the parameter.
create index idx_quantity_range on idx_quantity (res_type, param, code) where value = lo or value = hi;
