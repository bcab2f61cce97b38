-- Read-side indexes whose keys grow with time (PostgreSQL flavour). CockroachDB hash-shards the
-- same indexes (08_sequential_indexes_cockroach.sql); the columns and names are the same.
-- Applied at every start; every statement is idempotent.

-- Orders by status, oldest first (operators' queries, docs/SQL.md).
CREATE INDEX IF NOT EXISTS orders_status_idx ON orders (order_status, created_at);
-- Carts by status and last change.
CREATE INDEX IF NOT EXISTS carts_status_idx ON carts (status, updated_at);
-- The change log by time, for incremental readers ("every change since t").
CREATE INDEX IF NOT EXISTS cart_item_events_time_idx ON cart_item_events (event_time);
-- Notifications by time, for every notification since t (operators, the live stream's resume).
CREATE INDEX IF NOT EXISTS notifications_time_idx ON notifications (created_at, notification_id);
