-- The simulated payment gateway's own ledger: what a real gateway keeps on its side.
-- One row per order (the idempotency key), so a retried charge returns the first answer
-- and never charges twice, whichever node asks.

CREATE TABLE IF NOT EXISTS payment_gateway_charges (
  order_id        VARCHAR(64) PRIMARY KEY,
  payment_id      UUID NOT NULL UNIQUE,
  transaction_id  VARCHAR(64) NOT NULL UNIQUE,
  payment_method  VARCHAR(32) NOT NULL,
  amount          NUMERIC(12, 2) NOT NULL,
  status          VARCHAR(16) NOT NULL CHECK (status IN ('completed', 'failed')),
  decline_reason  TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
