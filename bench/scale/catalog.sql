-- Scale scenario of bench/run, step 2 of 2: for every shop of tenants.sql, :products active products
-- p-0..p-<n-1> with one variant and one stock row each. :table names the one table this session
-- loads (catalog_product, catalog_variant or catalog_inventory): bench/run loads the three at once
-- in three sessions, one INSERT ... SELECT each, in the order of the tables' keys (tenant first).
\set ON_ERROR_STOP on
SET work_mem = '64MB';
SELECT :'table' = 'catalog_product' AS is_product, :'table' = 'catalog_variant' AS is_variant,
       :'table' = 'catalog_inventory' AS is_inventory \gset
\if :is_product
INSERT INTO catalog_product (tenant_id, product_id, handle, title, description, status)
  SELECT t, md5(t::text || '/p/' || p)::uuid, 'p-' || p, 'Product ' || p, 'A product of benchmark shop ' || i || '.', 'active'
  FROM generate_series(0, :tenants - 1) AS i CROSS JOIN LATERAL (SELECT md5(:'prefix' || '-' || i)::uuid AS t) AS x
       CROSS JOIN generate_series(0, :products - 1) AS p;
\elif :is_variant
INSERT INTO catalog_variant (tenant_id, variant_id, product_id, sku, title, price_minor, currency, position)
  SELECT t, md5(t::text || '/v/' || p)::uuid, md5(t::text || '/p/' || p)::uuid, 'SKU-' || p, 'Default', 1000 + p, 'EUR', 0
  FROM generate_series(0, :tenants - 1) AS i CROSS JOIN LATERAL (SELECT md5(:'prefix' || '-' || i)::uuid AS t) AS x
       CROSS JOIN generate_series(0, :products - 1) AS p;
\elif :is_inventory
INSERT INTO catalog_inventory (tenant_id, variant_id, available)
  SELECT t, md5(t::text || '/v/' || p)::uuid, 100
  FROM generate_series(0, :tenants - 1) AS i CROSS JOIN LATERAL (SELECT md5(:'prefix' || '-' || i)::uuid AS t) AS x
       CROSS JOIN generate_series(0, :products - 1) AS p;
\else
SELECT ('unknown table ' || :'table')::int;
\endif
ANALYZE :"table";
