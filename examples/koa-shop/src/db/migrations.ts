/**
 * The shop's schema, as an ordered list of migrations: each runs once, in order, inside one transaction
 * with the others of its run (PostgreSQL's DDL is transactional), under an advisory lock, so instances
 * starting together apply each exactly once (`migrate.ts`). Append; never edit one that has shipped.
 *
 * Why not a migration library: the shop runs on two engines — PostgreSQL through `pg` and the embedded
 * PGlite — through one small `SqlDatabase` interface; node-pg-migrate drives `pg` only, and the whole
 * runner here is the loop in migrate.ts.
 */
export interface Migration {
  version: number;
  name: string;
  /** One statement each (PGlite's extended protocol takes one per query). */
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'orders, applied events, anomalies',
    statements: [
      `CREATE TABLE orders (
        out_order_no text PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('douyin-ecpay', 'douyin-trade', 'tiktok')),
        -- integer minor units (fen, cents); null until known (a TikTok webhook carries no amount)
        amount bigint,
        currency text NOT NULL,
        status text NOT NULL,
        subject text,
        platform_order_id text UNIQUE,
        platform_status text,
        platform_status_time bigint,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        paid_at timestamptz,
        refunded_amount bigint NOT NULL DEFAULT 0,
        refunds jsonb NOT NULL DEFAULT '[]',
        settlements jsonb NOT NULL DEFAULT '[]',
        algovoi jsonb,
        checkout_token text GENERATED ALWAYS AS (algovoi ->> 'token') STORED UNIQUE
      )`,
      // What reconciliation scans: Douyin orders still waiting for their payment.
      `CREATE INDEX orders_awaiting_payment_idx ON orders (created_at) WHERE status = 'created'`,
      `CREATE TABLE applied_events (
        id bigserial PRIMARY KEY,
        platform text NOT NULL,
        type text NOT NULL,
        key text NOT NULL,
        ref text NOT NULL,
        at timestamptz NOT NULL
      )`,
      `CREATE TABLE anomalies (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        platform text NOT NULL,
        key text,
        ref text NOT NULL,
        out_order_no text,
        detail text NOT NULL,
        at timestamptz NOT NULL
      )`,
      `CREATE INDEX anomalies_out_order_no_idx ON anomalies (out_order_no)`,
    ],
  },
  {
    version: 2,
    name: 'order creation counters, shared by every instance',
    statements: [
      // The table rate-limiter-flexible's RateLimiterPostgres expects (routes/order-rate-limit.ts).
      `CREATE TABLE order_rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`,
    ],
  },
  {
    version: 3,
    name: 'open orders by number, for the reconciliation rotation',
    statements: [`CREATE INDEX orders_open_by_number_idx ON orders (out_order_no) WHERE status = 'created'`],
  },
  {
    version: 4,
    name: 'orders with a refund or settlement in progress, for the reconciliation rotation',
    statements: [
      `CREATE INDEX orders_refund_in_progress_idx ON orders (out_order_no)
        WHERE refunds @? '$[*] ? (@.status == "PROCESSING")'`,
      `CREATE INDEX orders_settlement_in_progress_idx ON orders (out_order_no)
        WHERE settlements @? '$[*] ? (@.status == "PROCESSING")'`,
    ],
  },
];
