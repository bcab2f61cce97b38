-- Read side of the Order entities, written by order.OrderReadSideHandler (exactly-once
-- projection: rows and offsets commit in one transaction). Documented in docs/ARCHITECTURE.md.

CREATE TABLE IF NOT EXISTS orders (
  order_id        UUID PRIMARY KEY,
  user_id         UUID NOT NULL,
  cart_id         UUID NOT NULL,
  region          VARCHAR(50) NOT NULL,
  order_status    VARCHAR(20) NOT NULL,
  total_amount    NUMERIC(12, 2) NOT NULL,
  payment_method  VARCHAR(32) NOT NULL,
  cancel_reason   TEXT,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_user_idx ON orders (user_id, created_at DESC);
-- The stalled-process sweeper pages through unfinished orders by (updated_at, order_id).
CREATE INDEX IF NOT EXISTS orders_unfinished_idx ON orders (updated_at, order_id)
  WHERE order_status NOT IN ('completed', 'canceled');

CREATE TABLE IF NOT EXISTS order_items (
  order_id    UUID NOT NULL REFERENCES orders (order_id),
  product_id  UUID NOT NULL,
  quantity    INT NOT NULL CHECK (quantity > 0),
  price       NUMERIC(12, 2) NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
CREATE INDEX IF NOT EXISTS order_items_product_idx ON order_items (product_id);

-- Every status an order went through, in order (seq_nr is the event's sequence number).
CREATE TABLE IF NOT EXISTS order_status_history (
  order_id  UUID NOT NULL REFERENCES orders (order_id),
  seq_nr    BIGINT NOT NULL,
  status    VARCHAR(20) NOT NULL,
  reason    TEXT,
  at        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (order_id, seq_nr)
);

-- One row per charge attempt the order recorded.
CREATE TABLE IF NOT EXISTS payment_details (
  payment_id      UUID PRIMARY KEY,
  order_id        UUID NOT NULL REFERENCES orders (order_id),
  payment_method  VARCHAR(32) NOT NULL,
  payment_status  VARCHAR(16) NOT NULL CHECK (payment_status IN ('completed', 'failed')),
  transaction_id  VARCHAR(64) NOT NULL,
  amount          NUMERIC(12, 2) NOT NULL,
  decline_reason  TEXT,
  created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_details_order_idx ON payment_details (order_id);

-- Why a canceled order was canceled, as a code: out_of_stock, payment_declined or step_failed (cancel_reason
-- says it in words). Added after the table: a database created before gets the column here, and
-- the orders it canceled before get their cause below.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS cancel_cause VARCHAR(32);
-- Rows with a reason but no cause: those canceled before the column existed, and those a node of
-- the previous version writes during a rolling update. Empty otherwise, so the update below that
-- runs at every start reads nothing.
CREATE INDEX IF NOT EXISTS orders_cause_missing_idx ON orders (order_id)
  WHERE cancel_reason IS NOT NULL AND cancel_cause IS NULL;
UPDATE orders o SET cancel_cause = CASE WHEN EXISTS (SELECT 1 FROM payment_details p
    WHERE p.order_id = o.order_id AND p.payment_status = 'failed')
  THEN 'payment_declined' ELSE 'out_of_stock' END
WHERE o.cancel_reason IS NOT NULL AND o.cancel_cause IS NULL;

-- The shipment of a completed order (one per order: the carrier's ledger is keyed by order id),
-- NULL until the carrier assigned its tracking number. Added after the table: a database created
-- before gets the columns here.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS carrier VARCHAR(64);
ALTER TABLE orders ADD COLUMN IF NOT EXISTS tracking_number VARCHAR(32);
ALTER TABLE orders ADD COLUMN IF NOT EXISTS shipped_at TIMESTAMPTZ;
-- The stalled-process sweeper pages through completed orders not yet shipped by
-- (updated_at, order_id); an order leaves the index as soon as it ships.
CREATE INDEX IF NOT EXISTS orders_unshipped_idx ON orders (updated_at, order_id)
  WHERE order_status = 'completed' AND tracking_number IS NULL;

-- Whether the order has told its cart how it ended (the order's own CartNotified event), so that
-- the stalled-process sweeper finds ended orders whose cart waits from the orders alone
-- (order.UnfinishedOrders.untoldFor). Added after the table: a database created before gets the
-- column here, false in every row, and the ended orders' rows get their truth below.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS cart_notified BOOLEAN NOT NULL DEFAULT false;
-- The sweeper pages through ended orders whose cart was not told by (updated_at, order_id); an
-- order leaves the index as soon as its CartNotified is projected.
CREATE INDEX IF NOT EXISTS orders_cart_untold_idx ON orders (updated_at, order_id)
  WHERE order_status IN ('completed', 'canceled') AND NOT cart_notified;
-- The truth for rows that say "not told" of an ended order whose journal has its CartNotified:
-- every ended order of a database created before the column (once), and any row a node of the
-- previous version projected during a rolling update (it writes no cart_notified). Only the
-- journal is asked, the order's own fact; the index above keeps this to the few orders really
-- waiting at every later start.
UPDATE orders o SET cart_notified = true
WHERE o.order_status IN ('completed', 'canceled') AND NOT o.cart_notified
  AND EXISTS (SELECT 1 FROM event_journal j WHERE j.persistence_id = 'Order|' || o.order_id::text
    AND split_part(j.event_ser_manifest, '#', 1) = 'order.Order$CartNotified');
