import type { SqlDatabase } from '@ttpay/store-postgres';
import type { Middleware } from 'koa';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export interface OrderRateLimits {
  /** Creations one client address may make per minute. */
  perClient: number;
  /** Creations the shop accepts per minute from everyone together. */
  total: number;
}

/**
 * Bounds order creation, whatever the repository: per client address (`ctx.ip`), and for the whole shop —
 * the cap on how fast storage and Douyin `create_order` calls can grow, however many addresses a caller
 * has. Over either: `429 RATE_LIMITED` with `Retry-After`.
 *
 * The counters live in the shop's database (rate-limiter-flexible's `RateLimiterPostgres`, table
 * `order_rate_limits`, migration 2), so every instance on one DATABASE_URL counts against the same limits
 * (the embedded PGlite serves one process). Once a key is over its limit, this instance refuses it from
 * memory for the rest of the minute, so a client that keeps asking costs no further database writes.
 */
export function orderRateLimit(limits: OrderRateLimits, database: SqlDatabase<unknown>): Middleware {
  // The limiter calls `query({ text, values })`; the shop's SQL interface (pg or PGlite) takes them apart.
  const storeClient = {
    query: (q: { text: string; values?: unknown[] }) => database.query(q.text, q.values ?? []),
  };
  const limiter = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({
      storeClient,
      storeType: 'client',
      tableName: 'order_rate_limits',
      tableCreated: true,
      keyPrefix,
      points,
      duration: 60,
      inMemoryBlockOnConsumed: points + 1,
    });
  const perClient = limiter('orders-client', limits.perClient);
  const total = limiter('orders-total', limits.total);
  return async function orderRateLimit(ctx, next) {
    await consume(perClient, ctx.ip, `at most ${limits.perClient} orders a minute from one client`);
    await consume(total, 'all', `at most ${limits.total} orders a minute in total`);
    await next();

    async function consume(limiter: RateLimiterPostgres, key: string, what: string): Promise<void> {
      try {
        await limiter.consume(key);
      } catch (refusal) {
        // A RateLimiterRes when the points are spent; anything else is the database failing, which fails
        // the request as any other database error does (500, the error in the access log).
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        ctx.throw(429, `Too many orders: ${what}. Retry in ${seconds} s.`, {
          code: 'RATE_LIMITED',
          headers: { 'Retry-After': String(seconds) },
        });
      }
    }
  };
}
