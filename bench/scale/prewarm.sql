-- Reads what a storefront product read touches (the plan in ADR 0015: the product by handle, its
-- variants by product, their inventory by primary key) into PostgreSQL's shared buffers, every hash
-- partition of each. Scenario 6 runs it on each cell's database after loading, so that its figures
-- are those of a database held in memory, as a cell's is sized to be, not of this machine's disk.
-- Prints the relations and blocks read.
create extension if not exists pg_prewarm;
select count(*) as relations, coalesce(sum(pg_prewarm(c.oid)), 0) as blocks
  from pg_class c
  join pg_inherits i on i.inhrelid = c.oid
 where i.inhparent in ('catalog_product'::regclass, 'catalog_product_handle'::regclass,
                       'catalog_variant'::regclass, 'catalog_variant_product'::regclass,
                       'catalog_inventory'::regclass, 'catalog_inventory_pkey'::regclass);
