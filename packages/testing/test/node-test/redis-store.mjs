// RedisStore on node:test. The spawning test passes a prefix of its own and deletes the keys after.
import { describe, it } from 'node:test';
import { RedisStore } from '@ttpay/store-redis';
import { defineStoreConformance } from '@ttpay/testing/store-conformance';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.TTPAY_CONFORMANCE_PREFIX ?? `ttpay-conformance:${process.pid}:`;
let cases = 0;

defineStoreConformance(
  { describe, it },
  {
    name: 'RedisStore',
    createStore: () => new RedisStore({ url, prefix: `${prefix}${++cases}:` }),
    createPeer: (store) => new RedisStore({ url, prefix: store.prefix }),
    closeStore: (store) => store.close(),
    // Nothing listens on port 1.
    createUnavailableStore: () =>
      new RedisStore({ url: 'redis://127.0.0.1:1', prefix, commandTimeout: 1_000 }),
  },
);
