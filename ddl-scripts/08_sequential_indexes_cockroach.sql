-- Read-side indexes whose keys grow with time (CockroachDB flavour): hash-sharded, so that the
-- newest entries spread over 16 ranges instead of all landing on the last one. Same names and
-- columns as 08_sequential_indexes_postgres.sql. Needs CockroachDB v22.1+ (USING HASH without the
-- experimental setting). Applied at every start; every statement is idempotent.

CREATE INDEX IF NOT EXISTS orders_status_idx ON orders (order_status, created_at)
  USING HASH WITH (bucket_count = 16);
CREATE INDEX IF NOT EXISTS carts_status_idx ON carts (status, updated_at)
  USING HASH WITH (bucket_count = 16);
CREATE INDEX IF NOT EXISTS cart_item_events_time_idx ON cart_item_events (event_time)
  USING HASH WITH (bucket_count = 16);
CREATE INDEX IF NOT EXISTS notifications_time_idx ON notifications (created_at, notification_id)
  USING HASH WITH (bucket_count = 16);
