-- Read side of the ProductStock entities, written by inventory.InventoryReadSideHandler
-- (exactly-once projection): one row per product and warehouse, equal to the entity's counts.

CREATE TABLE IF NOT EXISTS inventory (
  product_id          UUID NOT NULL,
  warehouse_id        UUID NOT NULL,
  warehouse_location  VARCHAR(200) NOT NULL,
  region              VARCHAR(50) NOT NULL,
  quantity            INT NOT NULL CHECK (quantity >= 0),
  reserved            INT NOT NULL CHECK (reserved >= 0),
  sold                INT NOT NULL CHECK (sold >= 0),
  received            INT NOT NULL,
  last_updated        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (product_id, warehouse_id),
  CHECK (received = quantity + reserved + sold)
);

-- Restocks a product planned after selling out and has not applied yet (ProductStock.SoldOut),
-- deleted when applied. The stalled-process sweep wakes a product whose plan is overdue: its node
-- may have died during the delay, and an entity only runs when asked.
CREATE TABLE IF NOT EXISTS planned_restocks (
  product_id    UUID NOT NULL,
  restock_id    VARCHAR(100) NOT NULL,
  warehouse_id  UUID NOT NULL,
  quantity      INT NOT NULL CHECK (quantity > 0),
  due_at        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (product_id, restock_id)
);
CREATE INDEX IF NOT EXISTS planned_restocks_due_idx ON planned_restocks (due_at, product_id);
