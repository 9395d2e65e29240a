import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { defineStoreConformance } from '@ttpay/testing/store-conformance';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectRedis, deleteKeys, REDIS_URL, uniquePrefix } from './helpers/redis.js';

const prefix = uniquePrefix('conforms');
let raw: Redis | undefined;
/** A "Redis" that accepts connections and never answers a byte: the backend of the fail-closed cases. */
let silent: Server | undefined;
const silentSockets = new Set<Socket>();

beforeAll(async () => {
  raw = await connectRedis(); // fails with how to start Redis when there is none
  silent = createServer((socket) => {
    silentSockets.add(socket.on('close', () => silentSockets.delete(socket)));
  }).listen(0, '127.0.0.1');
  await once(silent, 'listening');
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
  if (raw) await deleteKeys(raw, prefix);
  raw?.disconnect();
});

function silentUrl(): string {
  const address = silent?.address();
  if (!address || typeof address === 'string') throw new Error('the silent Redis did not start');
  return `redis://127.0.0.1:${address.port}`;
}

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
    createUnavailableStore: () => new RedisStore({ url: silentUrl(), prefix, commandTimeout: 1_000 }),
  },
);
