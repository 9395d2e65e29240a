import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface OrderRateLimits {
  /** Creations one client address may make per minute. */
  perClient: number;
  /** Creations this instance accepts per minute from everyone together. */
  total: number;
}

/**
 * Bounds order creation, whatever the repository: per client address (`ctx.ip`), and for the whole
 * instance — the cap on how fast storage and Douyin `create_order` calls can grow, however many
 * addresses a caller has. Over either: `429 RATE_LIMITED` with `Retry-After`. Counted per instance, in
 * memory (rate-limiter-flexible: every key expires with its window, so a flood of addresses cannot grow
 * it without bound); N instances accept N times the total.
 */
export function orderRateLimit(limits: OrderRateLimits): Middleware {
  const perClient = new RateLimiterMemory({
    keyPrefix: 'orders-client',
    points: limits.perClient,
    duration: 60,
  });
  const total = new RateLimiterMemory({ keyPrefix: 'orders-total', points: limits.total, duration: 60 });
  return async function orderRateLimit(ctx, next) {
    await consume(perClient, ctx.ip, `at most ${limits.perClient} orders a minute from one client`);
    await consume(total, 'all', `at most ${limits.total} orders a minute in total`);
    await next();

    async function consume(limiter: RateLimiterMemory, key: string, what: string): Promise<void> {
      try {
        await limiter.consume(key);
      } catch (refusal) {
        // The limiter rejects with its RateLimiterRes when the points are spent (memory never fails).
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
