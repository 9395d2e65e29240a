import type { IdempotencyStore } from '@ttpay/core';
import { MemoryStore } from '@ttpay/koa';
import { RedisStore } from '@ttpay/store-redis';
import type { ShopConfig } from './config.js';
import type { Logger } from './logger.js';

/** The store behind de-duplication, and how to let go of it at shutdown. */
export interface ShopIdempotencyStore {
  kind: 'memory' | 'redis';
  store: IdempotencyStore;
  close(): Promise<void>;
}

/**
 * REDIS_URL set: keys in Redis, so several instances of the shop de-duplicate together. Unset: in
 * process (bounded LRU), enough for one instance. Keys are `<REDIS_PREFIX>idem:<event key>`: a prefix
 * per app keeps shops sharing a Redis apart.
 */
export function createIdempotencyStore(config: ShopConfig, logger?: Logger): ShopIdempotencyStore {
  if (config.redisUrl) {
    const store = new RedisStore({
      url: config.redisUrl,
      prefix: `${config.redisPrefix}idem:`,
      ...(logger ? { logger: logger.child({ component: 'redis-store' }) } : {}),
    });
    return { kind: 'redis', store, close: () => store.close() };
  }
  return { kind: 'memory', store: new MemoryStore({ maxEntries: 100_000 }), close: async () => {} };
}
