-- Bulk load of a cell database for the scale scenario of bench/run: :tenants shops named
-- :'prefix'-<i> (host <handle>.shops.localhost), each with :products active products p-0..p-<n-1>
-- of one variant and one stock row. Run by psql as the database superuser after the cell's own
-- migrations have created the schema: a superuser is not bound by the row-level security that
-- binds the application and the owner role to one tenant per transaction, so one INSERT ... SELECT
-- per table loads every tenant at once. Ids are derived from the names (md5), so a reload is
-- the same data.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';
SET work_mem = '64MB';

BEGIN;
CREATE TEMP TABLE bench_tenant ON COMMIT DROP AS
  SELECT i, md5(:'prefix' || '-' || i)::uuid AS tenant_id
  FROM generate_series(0, :tenants - 1) AS i;

INSERT INTO tenancy_tenant (tenant_id, handle, status, plan)
  SELECT tenant_id, :'prefix' || '-' || i, 'active', 'basic' FROM bench_tenant ORDER BY i;
INSERT INTO tenancy_host (host, tenant_id)
  SELECT :'prefix' || '-' || i || '.shops.localhost', tenant_id FROM bench_tenant ORDER BY i;

INSERT INTO catalog_product (tenant_id, product_id, handle, title, description, status)
  SELECT t.tenant_id, md5(t.tenant_id::text || '/p/' || p)::uuid, 'p-' || p, 'Product ' || p,
         'A product of benchmark shop ' || t.i || '.', 'active'
  FROM bench_tenant t CROSS JOIN generate_series(0, :products - 1) AS p
  ORDER BY t.i, p;
INSERT INTO catalog_variant (tenant_id, variant_id, product_id, sku, title, price_minor, currency, position)
  SELECT t.tenant_id, md5(t.tenant_id::text || '/v/' || p)::uuid, md5(t.tenant_id::text || '/p/' || p)::uuid,
         'SKU-' || p, 'Default', 1000 + p, 'EUR', 0
  FROM bench_tenant t CROSS JOIN generate_series(0, :products - 1) AS p
  ORDER BY t.i, p;
INSERT INTO catalog_inventory (tenant_id, variant_id, available)
  SELECT t.tenant_id, md5(t.tenant_id::text || '/v/' || p)::uuid, 100
  FROM bench_tenant t CROSS JOIN generate_series(0, :products - 1) AS p
  ORDER BY t.i, p;
COMMIT;

ANALYZE tenancy_tenant, tenancy_host, catalog_product, catalog_variant, catalog_inventory;
