// redis-store.conformance.test.ts — run with `vitest` (a Redis at REDIS_URL or 127.0.0.1:6379).
import { RedisStore } from '@ttpay/store-redis';
import { defineStoreConformance } from '@ttpay/testing/store-conformance';
import { describe, it } from 'vitest';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Each case gets an empty store: here a prefix of its own. Every key the kit writes expires within a minute.
const run = `conformance-example:${process.pid}:${Date.now()}`;
let cases = 0;

defineStoreConformance(
  { describe, it },
  {
    name: 'RedisStore',
    createStore: () => new RedisStore({ url, prefix: `${run}:${++cases}:` }),
    closeStore: (store) => store.close(),
    // Optional: a second app instance on the same keys, so the races span two connections.
    createPeer: (store) => new RedisStore({ url, prefix: store.prefix }),
    // Optional: a backend that does not answer (nothing listens on port 1), for the fail-closed cases.
    createUnavailableStore: () => new RedisStore({ url: 'redis://127.0.0.1:1', commandTimeout: 1_000 }),
  },
);
