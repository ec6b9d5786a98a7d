-- Scenario 11 of bench/run: a big shop for the data lifecycle (export, import, purge): :products active products,
-- each with one variant and its stock, :customers customers and :orders orders of one line each (a customer's
-- counts kept as the checkout keeps them), for the shop :tenant (a uuid) that bench/run provisioned. Ids derive from
-- the tenant and the row's number, so that a rerun for the same shop changes nothing. Run as the superuser
-- (row-level security does not apply to it).
\set ON_ERROR_STOP on
SET work_mem = '64MB';
INSERT INTO catalog_product (tenant_id, product_id, handle, title, description, status)
  SELECT :'tenant'::uuid, md5(:'tenant' || '/p/' || p)::uuid, 'l-' || p, 'Lifecycle item ' || p,
         'A product of the lifecycle benchmark shop, number ' || p || '.', 'active'
  FROM generate_series(0, :products - 1) AS p
  ON CONFLICT DO NOTHING;
INSERT INTO catalog_variant (tenant_id, variant_id, product_id, sku, title, price_minor, currency, options, position)
  SELECT :'tenant'::uuid, md5(:'tenant' || '/v/' || p)::uuid, md5(:'tenant' || '/p/' || p)::uuid, 'L-' || p, 'One',
         500 + p % 5000, 'EUR', jsonb_build_object('size', 'one'), 0
  FROM generate_series(0, :products - 1) AS p
  ON CONFLICT DO NOTHING;
INSERT INTO catalog_inventory (tenant_id, variant_id, available)
  SELECT :'tenant'::uuid, md5(:'tenant' || '/v/' || p)::uuid, 1000
  FROM generate_series(0, :products - 1) AS p
  ON CONFLICT DO NOTHING;
INSERT INTO orders_customer (tenant_id, customer_id, email, name, orders, spent_minor, currency)
  SELECT :'tenant'::uuid, md5(:'tenant' || '/c/' || c)::uuid, 'shopper' || c || '@example.com', 'Shopper ' || c,
         CASE WHEN c < :orders THEN (:orders - 1 - c) / :customers + 1 ELSE 0 END, 0, 'EUR'
  FROM generate_series(0, :customers - 1) AS c
  ON CONFLICT DO NOTHING;
INSERT INTO orders_order (tenant_id, order_id, number, status, currency, total_minor, email, customer_id, status_token)
  SELECT :'tenant'::uuid, md5(:'tenant' || '/o/' || o)::uuid, 1001 + o, 'placed', 'EUR', 500 + (o % :products) % 5000,
         'shopper' || (o % :customers) || '@example.com', md5(:'tenant' || '/c/' || (o % :customers))::uuid,
         md5(:'tenant' || '/t/' || o)
  FROM generate_series(0, :orders - 1) AS o
  ON CONFLICT DO NOTHING;
INSERT INTO orders_order_line (tenant_id, order_id, line_no, variant_id, sku, title, unit_price_minor, quantity)
  SELECT :'tenant'::uuid, md5(:'tenant' || '/o/' || o)::uuid, 1, md5(:'tenant' || '/v/' || (o % :products))::uuid,
         'L-' || (o % :products), 'Lifecycle item ' || (o % :products), 500 + (o % :products) % 5000, 1
  FROM generate_series(0, :orders - 1) AS o
  ON CONFLICT DO NOTHING;
INSERT INTO orders_counter (tenant_id, next_number) VALUES (:'tenant'::uuid, 1001 + :orders)
  ON CONFLICT (tenant_id) DO UPDATE SET next_number = greatest(orders_counter.next_number, excluded.next_number);
ANALYZE;
CHECKPOINT;
