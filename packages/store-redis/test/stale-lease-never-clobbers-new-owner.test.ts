import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore, type RedisStoreLogger } from '../src/index.js';
import { connectRedis, deleteKeys, sleep, uniquePrefix } from './helpers/redis.js';

// Instance A claims with a short lease and is slow; the lease expires; instance B claims the redelivery.
let connA: Redis;
let connB: Redis;
const prefix = uniquePrefix('stale');

function recordingLogger(): RedisStoreLogger & { warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  return { warnings, warn: (details) => warnings.push(details) };
}

beforeAll(async () => {
  connA = await connectRedis();
  connB = await connectRedis();
});

afterAll(async () => {
  if (connA) await deleteKeys(connA, prefix);
  connA?.disconnect();
  connB?.disconnect();
});

async function expiredThenReclaimed(key: string) {
  const logger = recordingLogger();
  const a = new RedisStore({ client: connA, prefix, logger });
  const b = new RedisStore({ client: connB, prefix });
  expect(await a.claim(key, 50)).toBe('claimed');
  await sleep(80);
  expect(await connA.exists(`${prefix}${key}`)).toBe(0);
  expect(await b.claim(key, 30_000)).toBe('claimed');
  const bValue = await connB.get(`${prefix}${key}`);
  expect(bValue).toMatch(/^inflight:/);
  return { a, b, bValue, logger };
}

describe('after a lease expires another instance can claim, and the stale one cannot undo that', () => {
  it('the stale instance’s release leaves the new owner’s claim untouched', async () => {
    const { a, b, bValue } = await expiredThenReclaimed('evt-release');
    await a.release('evt-release');
    expect(await connA.get(`${prefix}evt-release`)).toBe(bValue);
    expect(await a.claim('evt-release', 30_000)).toBe('in-flight');
    // the new owner can still release its own claim
    await b.release('evt-release');
    expect(await connA.get(`${prefix}evt-release`)).toBeNull();
  });

  it('the stale instance’s complete records done (its handler did run) and warns', async () => {
    const { a, b, logger } = await expiredThenReclaimed('evt-complete');
    await a.complete('evt-complete', 60_000);
    expect(await connA.get(`${prefix}evt-complete`)).toMatch(/^done:/);
    expect(logger.warnings).toEqual([{ key: 'evt-complete', outcome: 'lease-taken' }]);
    // B's handler fails: its release must not reopen an event A already processed …
    await b.release('evt-complete');
    expect(await b.claim('evt-complete', 30_000)).toBe('done');
  });

  it('when B completes first, A’s late complete keeps B’s done record (value and ttl)', async () => {
    const { a, b, logger } = await expiredThenReclaimed('evt-both');
    await b.complete('evt-both', 60_000);
    const bDone = await connA.get(`${prefix}evt-both`);
    await a.complete('evt-both', 86_400_000);
    expect(await connA.get(`${prefix}evt-both`)).toBe(bDone);
    expect(await connA.pttl(`${prefix}evt-both`)).toBeLessThanOrEqual(60_000);
    expect(logger.warnings).toEqual([{ key: 'evt-both', outcome: 'done-elsewhere' }]);
  });

  it('a complete after expiry with nobody holding the key still records done', async () => {
    const logger = recordingLogger();
    const a = new RedisStore({ client: connA, prefix, logger });
    await a.claim('evt-absent', 50);
    await sleep(80);
    await a.complete('evt-absent', 60_000);
    expect(await connA.get(`${prefix}evt-absent`)).toMatch(/^done:/);
    expect(await connA.pttl(`${prefix}evt-absent`)).toBeGreaterThan(59_000);
    expect(logger.warnings).toEqual([{ key: 'evt-absent', outcome: 'lease-expired' }]);
  });

  it('one instance with two claims on a key (its first lease expired): releases never free the newer claim early', async () => {
    const a = new RedisStore({ client: connA, prefix });
    expect(await a.claim('evt-twice', 50)).toBe('claimed');
    await sleep(80);
    expect(await a.claim('evt-twice', 30_000)).toBe('claimed');
    const newer = await connA.get(`${prefix}evt-twice`);
    await a.release('evt-twice'); // whichever handler this was, the stale token is used: a no-op
    expect(await connA.get(`${prefix}evt-twice`)).toBe(newer);
    await a.release('evt-twice');
    expect(await connA.get(`${prefix}evt-twice`)).toBeNull();
  });

  it('a normal complete does not warn', async () => {
    const logger = recordingLogger();
    const a = new RedisStore({ client: connA, prefix, logger });
    await a.claim('evt-normal', 30_000);
    await a.complete('evt-normal', 60_000);
    expect(logger.warnings).toEqual([]);
  });
});
