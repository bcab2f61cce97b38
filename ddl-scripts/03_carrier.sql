-- The simulated carrier's own ledger: what a real carrier keeps on its side.
-- One row per order (the idempotency key), so a retried request answers the shipment already
-- made, whichever node asks, and an order never ships twice.

CREATE TABLE IF NOT EXISTS carrier_shipments (
  order_id         VARCHAR(64) PRIMARY KEY,
  carrier          VARCHAR(64) NOT NULL,
  tracking_number  VARCHAR(32) NOT NULL UNIQUE,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
