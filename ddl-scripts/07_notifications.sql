-- Notifications, each stored once (docs/SQL.md): written by the read sides in the transaction of the
-- events that caused them, under an id derived from the event (its persistence id, sequence number
-- and the notification's kind), so that a batch the projection runs again inserts nothing twice.
--   kind: low_stock, sold_out, back_in_stock (audience: operators; product_id set),
--         order_confirmation, payment_failed (audience: the user; order_id, user_id and the
--         e-mail address it goes to set).
CREATE TABLE IF NOT EXISTS notifications (
  notification_id  UUID PRIMARY KEY,
  kind             VARCHAR(30) NOT NULL,
  product_id       UUID,
  order_id         UUID,
  user_id          UUID,
  recipient        VARCHAR(320),
  subject          VARCHAR(200) NOT NULL,
  body             TEXT NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL
);
-- A user's notifications and a product's, newest first.
CREATE INDEX IF NOT EXISTS notifications_user_idx ON notifications (user_id, created_at)
  WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS notifications_product_idx ON notifications (product_id, created_at)
  WHERE product_id IS NOT NULL;
