-- @ttpay/store-postgres: the idempotency table, for teams that run their own migrations.
-- `await store.setup()` runs exactly this (with the table name you configure; default ttpay_idempotency).
-- A row per event key. state 'in-flight': a claim holds the key until expires_at (the lease), token is
-- its fencing token; state 'done': processed, duplicates are acknowledged until expires_at.
CREATE TABLE IF NOT EXISTS "ttpay_idempotency" (
  key text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('in-flight', 'done')),
  token text NOT NULL,
  expires_at timestamptz NOT NULL
);
-- purgeExpired() deletes rows that ran out, oldest first.
CREATE INDEX IF NOT EXISTS "ttpay_idempotency_expires_at_idx" ON "ttpay_idempotency" (expires_at);
