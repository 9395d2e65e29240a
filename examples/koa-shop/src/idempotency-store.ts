import type { IdempotencyStore } from '@ttpay/core/store';
import { PostgresStore } from '@ttpay/store-postgres';
import type { ShopDatabase } from './db/database.js';
import type { Logger } from './logger.js';

/** The store behind de-duplication, and how to let go of it at shutdown. */
export interface ShopIdempotencyStore {
  /** For logs and `/healthz`: where the keys live. */
  kind: string;
  store: IdempotencyStore & { purgeExpired?(): Promise<number> };
  close(): Promise<void>;
}

/**
 * The idempotency store in the shop's own database, beside the orders: `PostgresStore` runs every
 * webhook handler inside its transaction (`ctx.payment.tx`), so the order change, the applied event and
 * the event's done-record commit together or not at all — one shop across any number of instances on
 * one PostgreSQL, and nothing applied twice or lost across a crash between the write and the reply.
 */
export async function createIdempotencyStore(
  database: ShopDatabase,
  logger?: Logger,
): Promise<ShopIdempotencyStore> {
  const store = new PostgresStore({
    database: database.sql,
    ...(logger ? { logger: logger.child({ component: 'idempotency' }) } : {}),
  });
  await store.setup();
  return { kind: database.kind, store, close: () => store.close() };
}
