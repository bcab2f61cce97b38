-- Read side of the ShoppingCart entities, written by cart.CartReadSideHandler (exactly-once
-- projection). Documented in docs/SQL.md.

CREATE TABLE IF NOT EXISTS carts (
  cart_id        UUID PRIMARY KEY,
  user_id        UUID NOT NULL,
  region         VARCHAR(50) NOT NULL,
  status         VARCHAR(20) NOT NULL,
  order_id       UUID,
  cancel_reason  TEXT,
  created_at     TIMESTAMPTZ NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS carts_user_idx ON carts (user_id);
-- The stalled-process sweeper pages through checked-out carts by (updated_at, cart_id).
CREATE INDEX IF NOT EXISTS carts_checked_out_idx ON carts (updated_at, cart_id)
  WHERE status = 'checked_out';

CREATE TABLE IF NOT EXISTS cart_items (
  cart_id     UUID NOT NULL REFERENCES carts (cart_id),
  product_id  UUID NOT NULL,
  quantity    INT NOT NULL CHECK (quantity > 0),
  price       NUMERIC(12, 2) NOT NULL,
  added_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (cart_id, product_id)
);
CREATE INDEX IF NOT EXISTS cart_items_product_idx ON cart_items (product_id);

-- Change-data-capture style log of every cart line change. operation_code follows SQL Server
-- CDC's __$operation: 1 = delete, 2 = insert, 4 = update (the row after the change).
-- (cart_id, seq_nr) is the event that caused the row, so a row is written once.
CREATE TABLE IF NOT EXISTS cart_item_events (
  cart_id          UUID NOT NULL REFERENCES carts (cart_id),
  seq_nr           BIGINT NOT NULL,
  event_time       TIMESTAMPTZ NOT NULL,
  operation        VARCHAR(6) NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
  operation_code   SMALLINT NOT NULL CHECK (operation_code IN (1, 2, 4)),
  user_id          UUID NOT NULL,
  product_id       UUID NOT NULL,
  quantity_before  INT NOT NULL,
  quantity_after   INT NOT NULL,
  price            NUMERIC(12, 2) NOT NULL,
  PRIMARY KEY (cart_id, seq_nr)
);
CREATE INDEX IF NOT EXISTS cart_item_events_product_idx ON cart_item_events (product_id, event_time);
