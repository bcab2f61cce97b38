-- Analytics views over the read side. Each is documented with example queries in docs/SQL.md
-- and served as JSON under /analytics. Re-created at every start (CREATE OR REPLACE).

-- Every time a shopper added more than 2 units of one product in one go: a new cart line of
-- 3 or more, or a line raised by 3 or more.
CREATE OR REPLACE VIEW large_cart_adds AS
SELECT e.cart_id, e.user_id, e.product_id, e.event_time,
       e.quantity_after - e.quantity_before AS units_added
FROM cart_item_events e
WHERE e.operation_code IN (2, 4)
  AND e.quantity_after - e.quantity_before > 2;

-- How many carts hold each product right now (any status), and how many of those are active.
CREATE OR REPLACE VIEW product_cart_presence AS
SELECT ci.product_id,
       count(*) AS carts,
       count(*) FILTER (WHERE c.status = 'active') AS active_carts
FROM cart_items ci
JOIN carts c ON c.cart_id = ci.cart_id
GROUP BY ci.product_id;

-- Per product: units sold and revenue in completed orders, and how often it was put in a cart.
CREATE OR REPLACE VIEW product_popularity AS
SELECT p.product_id, p.name, c.name AS category,
       COALESCE(s.units_sold, 0) AS units_sold,
       COALESCE(s.orders, 0) AS orders,
       COALESCE(s.revenue, 0) AS revenue,
       COALESCE(a.times_added, 0) AS times_added_to_carts
FROM products p
JOIN categories c ON c.category_id = p.category_id
LEFT JOIN (
  SELECT oi.product_id, sum(oi.quantity) AS units_sold, count(*) AS orders,
         sum(oi.quantity * oi.price) AS revenue
  FROM order_items oi
  JOIN orders o ON o.order_id = oi.order_id
  WHERE o.order_status = 'completed'
  GROUP BY oi.product_id
) s ON s.product_id = p.product_id
LEFT JOIN (
  SELECT product_id, count(*) AS times_added
  FROM cart_item_events
  WHERE operation_code = 2
  GROUP BY product_id
) a ON a.product_id = p.product_id;

-- Active carts with items, with how long they have been idle; filter on idle_for for a threshold.
CREATE OR REPLACE VIEW abandoned_carts AS
SELECT c.cart_id, c.user_id, c.region, c.created_at,
       c.updated_at AS last_activity,
       now() - c.updated_at AS idle_for,
       count(*) AS lines,
       sum(ci.quantity) AS units,
       sum(ci.quantity * ci.price) AS cart_value
FROM carts c
JOIN cart_items ci ON ci.cart_id = c.cart_id
WHERE c.status = 'active'
GROUP BY c.cart_id, c.user_id, c.region, c.created_at, c.updated_at;

-- Completed orders per region and hour (of placing the order).
CREATE OR REPLACE VIEW sales_by_region_hour AS
SELECT o.region,
       date_trunc('hour', o.created_at) AS hour,
       count(*) AS orders,
       sum(i.units) AS units,
       sum(o.total_amount) AS revenue
FROM orders o
JOIN LATERAL (
  SELECT sum(quantity) AS units FROM order_items WHERE order_id = o.order_id
) i ON true
WHERE o.order_status = 'completed'
GROUP BY o.region, date_trunc('hour', o.created_at);

-- The cart funnel: carts created → given items → checked out → order completed.
CREATE OR REPLACE VIEW cart_funnel AS
SELECT count(*) AS carts_created,
       count(*) FILTER (
         WHERE EXISTS (SELECT 1 FROM cart_item_events e WHERE e.cart_id = c.cart_id)
       ) AS carts_with_items,
       count(*) FILTER (WHERE c.order_id IS NOT NULL) AS checked_out,
       count(*) FILTER (WHERE c.status = 'inactive') AS completed,
       count(*) FILTER (WHERE c.status = 'canceled' AND c.order_id IS NULL) AS given_up,
       count(*) FILTER (WHERE c.status = 'canceled' AND c.order_id IS NOT NULL) AS order_failed
FROM carts c;

-- Stock per product over all warehouses; filter on available for "low on stock".
CREATE OR REPLACE VIEW product_stock_levels AS
SELECT i.product_id, p.name,
       sum(i.quantity) AS available,
       sum(i.reserved) AS reserved,
       sum(i.sold) AS sold,
       count(*) AS warehouses,
       max(i.last_updated) AS last_updated
FROM inventory i
LEFT JOIN products p ON p.product_id = i.product_id
GROUP BY i.product_id, p.name;
