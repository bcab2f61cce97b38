-- Reference data: plain tables, written by the sample loader and the data generator, read by the API.
-- Applied at every start; every statement is idempotent.

CREATE TABLE IF NOT EXISTS categories (
  category_id   UUID PRIMARY KEY,
  name          VARCHAR(100) NOT NULL UNIQUE,
  description   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS products (
  product_id    UUID PRIMARY KEY,
  name          VARCHAR(200) NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  price         NUMERIC(12, 2) NOT NULL CHECK (price >= 0),
  category_id   UUID NOT NULL REFERENCES categories (category_id),
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS products_category_idx ON products (category_id, name);

CREATE TABLE IF NOT EXISTS users (
  user_id       UUID PRIMARY KEY,
  name          VARCHAR(200) NOT NULL,
  email         VARCHAR(320) NOT NULL,
  region        VARCHAR(50) NOT NULL,
  street        VARCHAR(200) NOT NULL DEFAULT '',
  city          VARCHAR(100) NOT NULL DEFAULT '',
  state         VARCHAR(100) NOT NULL DEFAULT '',
  zip_code      VARCHAR(20) NOT NULL DEFAULT '',
  -- pbkdf2-sha256$iterations$salt$hash; NULL: the user cannot sign in (the sample users).
  password_hash TEXT,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- Named, so that a duplicate email is recognised by this name on both flavours (catalog.Catalog).
  CONSTRAINT users_email_key UNIQUE (email)
);
-- Databases made before users could sign in.
ALTER TABLE users ADD COLUMN IF NOT EXISTS password_hash TEXT;
-- A registration's Idempotency-Key and a fingerprint of its fields (not of its password): a
-- repeat within 24 h answers the same user.
ALTER TABLE users ADD COLUMN IF NOT EXISTS registration_key TEXT;
ALTER TABLE users ADD COLUMN IF NOT EXISTS registration_fingerprint TEXT;
CREATE INDEX IF NOT EXISTS users_registration_key_idx ON users (registration_key)
  WHERE registration_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS users_region_idx ON users (region);

CREATE TABLE IF NOT EXISTS warehouses (
  warehouse_id  UUID PRIMARY KEY,
  region        VARCHAR(50) NOT NULL,
  location      VARCHAR(200) NOT NULL UNIQUE
);
