import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectRedis, deleteKeys, uniquePrefix } from './helpers/redis.js';

// Two connections and two stores: two app instances behind one load balancer.
let connA: Redis;
let connB: Redis;
const prefix = uniquePrefix('race');

beforeAll(async () => {
  connA = await connectRedis({ connectionName: 'ttpay-test-a' });
  connB = await connectRedis({ connectionName: 'ttpay-test-b' });
});

afterAll(async () => {
  if (connA) await deleteKeys(connA, prefix);
  connA?.disconnect();
  connB?.disconnect();
});

it('gives exactly one of 200 concurrent claims from two instances the key', async () => {
  const a = new RedisStore({ client: connA, prefix });
  const b = new RedisStore({ client: connB, prefix });
  const claims = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).claim('payment-1', 30_000));
  const results = await Promise.all(claims);
  expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
  expect(results.filter((r) => r.status === 'in-flight')).toHaveLength(199);
});

it('gives exactly one claim per key when 50 keys race on both instances at once', async () => {
  const a = new RedisStore({ client: connA, prefix });
  const b = new RedisStore({ client: connB, prefix });
  const keys = Array.from({ length: 50 }, (_, i) => `event-${i}`);
  const results = await Promise.all(
    keys.flatMap((key) => [a.claim(key, 30_000), b.claim(key, 30_000), a.claim(key, 30_000)]),
  );
  expect(results.filter((r) => r.status === 'claimed')).toHaveLength(50);
});

it('after the winner completes, every instance sees done', async () => {
  const a = new RedisStore({ client: connA, prefix });
  const b = new RedisStore({ client: connB, prefix });
  const first = await Promise.all([a.claim('payment-2', 30_000), b.claim('payment-2', 30_000)]);
  const won = first.flatMap((r, i) =>
    r.status === 'claimed' ? [{ lease: r.lease, store: i === 0 ? a : b }] : [],
  );
  expect(won).toHaveLength(1);
  await won[0]?.store.complete(won[0].lease, 60_000);
  const again = await Promise.all(
    Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('payment-2', 1)),
  );
  expect(new Set(again.map((r) => r.status))).toEqual(new Set(['done']));
});
