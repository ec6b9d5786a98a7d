-- Scenario 5c of bench/run: :count active products for the shop :tenant (a uuid), with titles of about
-- 150 characters and descriptions of about 1,500 (what a merchant's catalogue looks like), so that a
-- search of titles and descriptions, which no index serves, reads the whole catalogue. One INSERT ...
-- SELECT; run as the superuser (row-level security does not apply to it). bench/run deletes the
-- catalogue again after the scenario, so that it weighs on nothing else.
\set ON_ERROR_STOP on
SET work_mem = '64MB';
-- the catalogue of an earlier run's searching shop, if one was left behind (a run cut short)
DELETE FROM catalog_product WHERE handle LIKE 'c-%' AND description LIKE 'A product of the admin-search benchmark shop.%';
INSERT INTO catalog_product (tenant_id, product_id, handle, title, description, status)
  SELECT :'tenant'::uuid, md5(:'tenant' || '/c/' || p)::uuid, 'c-' || p,
         'Catalogue item ' || p || ' - ' || repeat(substr(md5(p::text), 1, 16) || ' ', 8),
         'A product of the admin-search benchmark shop. ' || repeat('Soft organic cotton, pre-washed for a relaxed fit;'
           || ' machine washable at 30 degrees, tumble dry low. ' || substr(md5(p::text), 17, 8) || ' ', 14), 'active'
  FROM generate_series(0, :count - 1) AS p
  ON CONFLICT DO NOTHING;
-- set the rows' hint bits and the visibility map now, as an established catalogue has them, rather than in the
-- first searches of the measurement (which would otherwise write the whole table back)
VACUUM (ANALYZE) catalog_product;
-- and write the load's dirty pages out now, not in a checkpoint during the measurement
CHECKPOINT;
