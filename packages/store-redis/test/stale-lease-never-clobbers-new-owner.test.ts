import type { TtpayLogger } from '@ttpay/core';
import { silentLogger } from '@ttpay/core/internal';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { connectRedis, deleteKeys, leaseOf, sleep, statusOf, uniquePrefix } from './helpers/redis.js';

// Instance A claims with a short lease and is slow; the lease expires; instance B claims the redelivery.
let connA: Redis;
let connB: Redis;
const prefix = uniquePrefix('stale');

function recordingLogger(): TtpayLogger & { warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  return { ...silentLogger, warnings, warn: (details) => warnings.push(details) };
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
  const aLease = await leaseOf(a.claim(key, 50));
  await sleep(80);
  expect(await connA.exists(`${prefix}${key}`)).toBe(0);
  const bLease = await leaseOf(b.claim(key, 30_000));
  const bValue = await connB.get(`${prefix}${key}`);
  expect(bValue).toBe(`inflight:${bLease.token}`);
  return { a, b, aLease, bLease, bValue, logger };
}

describe('after a lease expires another instance can claim, and the stale one cannot undo that', () => {
  it('the stale instance’s release leaves the new owner’s claim untouched', async () => {
    const { a, b, aLease, bLease, bValue } = await expiredThenReclaimed('evt-release');
    await a.release(aLease);
    expect(await connA.get(`${prefix}evt-release`)).toBe(bValue);
    expect(await statusOf(a.claim('evt-release', 30_000))).toBe('in-flight');
    // the new owner can still release its own claim
    await b.release(bLease);
    expect(await connA.get(`${prefix}evt-release`)).toBeNull();
  });

  it('the stale instance’s complete records done (its handler did run) and warns', async () => {
    const { a, b, aLease, bLease, logger } = await expiredThenReclaimed('evt-complete');
    await a.complete(aLease, 60_000);
    expect(await connA.get(`${prefix}evt-complete`)).toBe(`done:${aLease.token}`);
    expect(logger.warnings).toEqual([{ key: 'evt-complete', outcome: 'lease-taken' }]);
    // B's handler fails: its release must not reopen an event A already processed …
    await b.release(bLease);
    expect(await statusOf(b.claim('evt-complete', 30_000))).toBe('done');
  });

  it('when B completes first, A’s late complete keeps B’s done record (value and ttl)', async () => {
    const { a, b, aLease, bLease, logger } = await expiredThenReclaimed('evt-both');
    await b.complete(bLease, 60_000);
    const bDone = await connA.get(`${prefix}evt-both`);
    await a.complete(aLease, 86_400_000);
    expect(await connA.get(`${prefix}evt-both`)).toBe(bDone);
    expect(await connA.pttl(`${prefix}evt-both`)).toBeLessThanOrEqual(60_000);
    expect(logger.warnings).toEqual([{ key: 'evt-both', outcome: 'done-elsewhere' }]);
  });

  it('a complete after expiry with nobody holding the key still records done', async () => {
    const logger = recordingLogger();
    const a = new RedisStore({ client: connA, prefix, logger });
    const lease = await leaseOf(a.claim('evt-absent', 50));
    await sleep(80);
    await a.complete(lease, 60_000);
    expect(await connA.get(`${prefix}evt-absent`)).toMatch(/^done:/);
    expect(await connA.pttl(`${prefix}evt-absent`)).toBeGreaterThan(59_000);
    expect(logger.warnings).toEqual([{ key: 'evt-absent', outcome: 'lease-expired' }]);
  });

  it('one instance with two claims on a key (its first lease expired): each release acts for its own lease only', async () => {
    const a = new RedisStore({ client: connA, prefix });
    const first = await leaseOf(a.claim('evt-twice', 50));
    await sleep(80);
    const second = await leaseOf(a.claim('evt-twice', 30_000));
    const newer = await connA.get(`${prefix}evt-twice`);
    await a.release(first); // the first handler gives up: its stale lease frees nothing
    expect(await connA.get(`${prefix}evt-twice`)).toBe(newer);
    await a.release(second);
    expect(await connA.get(`${prefix}evt-twice`)).toBeNull();
  });

  it('a normal complete does not warn', async () => {
    const logger = recordingLogger();
    const a = new RedisStore({ client: connA, prefix, logger });
    await a.complete(await leaseOf(a.claim('evt-normal', 30_000)), 60_000);
    expect(logger.warnings).toEqual([]);
  });
});
