-- Scale scenario of bench/run, step 1 of 2: :tenants shops named :'prefix'-<i> (host
-- <handle>.shops.localhost) in the cell's tenant directory. Run by psql as the database superuser
-- after the cell's own migrations have created the schema: a superuser is not bound by the
-- row-level security that binds the application and the owner role to one tenant per transaction,
-- so one INSERT ... SELECT per table loads every tenant at once. Ids are derived from the names
-- (md5), so a reload is the same data, and catalog.sql derives the same tenant ids.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO tenancy_tenant (tenant_id, handle, status, plan)
  SELECT md5(:'prefix' || '-' || i)::uuid, :'prefix' || '-' || i, 'active', 'basic'
  FROM generate_series(0, :tenants - 1) AS i;
INSERT INTO tenancy_host (host, tenant_id)
  SELECT :'prefix' || '-' || i || '.shops.localhost', md5(:'prefix' || '-' || i)::uuid
  FROM generate_series(0, :tenants - 1) AS i;
COMMIT;
ANALYZE tenancy_tenant, tenancy_host;
