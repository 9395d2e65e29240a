import { defineStoreConformance } from '@ttpay/testing/store-conformance';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectRedis, deleteKeys, REDIS_URL, uniquePrefix } from './helpers/redis.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

const prefix = uniquePrefix('conforms');
let raw: Redis | undefined;
/** "Redis" that accepts connections and never answers: every byte sent to it is held back. */
let silent: TcpProxy | undefined;

beforeAll(async () => {
  raw = await connectRedis(); // fails with how to start Redis when there is none
  const target = new URL(REDIS_URL);
  silent = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  silent.stall();
});

afterAll(async () => {
  await silent?.stop();
  if (raw) await deleteKeys(raw, prefix);
  raw?.disconnect();
});

let cases = 0;
defineStoreConformance(
  { describe, it },
  {
    name: 'RedisStore',
    // Every case gets a prefix of its own, under this run's prefix.
    createStore: () => new RedisStore({ url: REDIS_URL, prefix: `${prefix}${++cases}:` }),
    // A second app instance: its own connection, the same keys.
    createPeer: (store) => new RedisStore({ url: REDIS_URL, prefix: store.prefix }),
    closeStore: (store) => store.close(),
    createUnavailableStore: () => {
      if (!silent) throw new Error('the silent Redis did not start');
      return new RedisStore({ url: silent.url, prefix, commandTimeout: 1_000 });
    },
  },
);
