import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRedisStoreError, RedisStore } from '../src/index.js';
import { connectRedis, deleteKeys, leaseOf, statusOf, uniquePrefix } from './helpers/redis.js';

const LEASE = 30_000;

const DONE = 3_600_000;

let raw: Redis;
let store: RedisStore;
const prefix = uniquePrefix('basic');

beforeAll(async () => {
  raw = await connectRedis();
  store = new RedisStore({ client: raw, prefix });
});

afterAll(async () => {
  await store?.close();
  if (raw) {
    await deleteKeys(raw, prefix);
    raw.disconnect();
  }
});

describe('claim → complete → release', () => {
  it('claims a new key, then says in-flight, then done after complete', async () => {
    const lease = await leaseOf(store.claim('order-1', LEASE));
    expect(lease.key).toBe('order-1');
    expect(await statusOf(store.claim('order-1', LEASE))).toBe('in-flight');
    await store.complete(lease, DONE);
    expect(await statusOf(store.claim('order-1', LEASE))).toBe('done');
    expect(await statusOf(store.claim('order-1', LEASE))).toBe('done');
  });

  it('lets a redelivery claim again after release', async () => {
    const lease = await leaseOf(store.claim('order-2', LEASE));
    await store.release(lease);
    expect(await raw.get(`${prefix}order-2`)).toBeNull();
    expect(await statusOf(store.claim('order-2', LEASE))).toBe('claimed');
  });

  it('stores the state and the lease token under the prefix', async () => {
    const firstLease = await leaseOf(store.claim('order-3', LEASE));
    const first = await raw.get(`${prefix}order-3`);
    expect(first).toBe(`inflight:${firstLease.token}`);
    expect(firstLease.token).toMatch(/^[0-9a-f-]{36}$/);
    await store.release(firstLease);
    const secondLease = await leaseOf(store.claim('order-3', LEASE));
    const second = await raw.get(`${prefix}order-3`);
    expect(second).toBe(`inflight:${secondLease.token}`);
    expect(second).not.toBe(first);
    await store.complete(secondLease, DONE);
    expect(await raw.get(`${prefix}order-3`)).toBe(`done:${secondLease.token}`);
    expect(await raw.exists('order-3')).toBe(0);
  });

  it('applies the lease ttl on claim and the done ttl on complete (PTTL)', async () => {
    const claimed = await leaseOf(store.claim('order-4', 5_000));
    const lease = await raw.pttl(`${prefix}order-4`);
    expect(lease).toBeGreaterThan(4_000);
    expect(lease).toBeLessThanOrEqual(5_000);
    await store.complete(claimed, 86_400_000);
    const done = await raw.pttl(`${prefix}order-4`);
    expect(done).toBeGreaterThan(86_000_000);
    expect(done).toBeLessThanOrEqual(86_400_000);
  });

  it('rounds fractional ttls up to whole milliseconds', async () => {
    await store.claim('order-5', 1_500.2);
    expect(await raw.pttl(`${prefix}order-5`)).toBeLessThanOrEqual(1_501);
  });

  it('uses ttpay:idem: when no prefix is given', async () => {
    const plain = new RedisStore({ client: raw });
    expect(plain.prefix).toBe('ttpay:idem:');
    const key = `${prefix}default-prefix`; // unique, and under the test prefix too
    try {
      expect(await statusOf(plain.claim(key, 5_000))).toBe('claimed');
      expect(await raw.get(`ttpay:idem:${key}`)).toMatch(/^inflight:/);
    } finally {
      await raw.del(`ttpay:idem:${key}`);
    }
  });

  it('keeps two prefixes apart', async () => {
    const other = new RedisStore({ client: raw, prefix: `${prefix}other:` });
    expect(await statusOf(store.claim('shared-key', LEASE))).toBe('claimed');
    expect(await statusOf(other.claim('shared-key', LEASE))).toBe('claimed');
  });
});

describe('release and complete with a lease that does not hold the key', () => {
  it("release with another claim's lease is a no-op; with the holder's, frees the key", async () => {
    const otherInstance = new RedisStore({ client: raw, prefix });
    const held = await leaseOf(store.claim('order-6', LEASE));
    await otherInstance.release({ key: 'order-6', token: 'not-the-holder' });
    expect(await statusOf(otherInstance.claim('order-6', LEASE))).toBe('in-flight');
    await otherInstance.release(held); // the lease travels with the call: any instance may hand it back
    await store.release(held); // twice: still fine
    expect(await statusOf(otherInstance.claim('order-6', LEASE))).toBe('claimed');
  });

  it('release after complete leaves the key done', async () => {
    const lease = await leaseOf(store.claim('order-7', LEASE));
    await store.complete(lease, DONE);
    await store.release(lease);
    expect(await statusOf(store.claim('order-7', LEASE))).toBe('done');
  });

  it('complete never replaces an existing done record (its ttl stays)', async () => {
    const lease = await leaseOf(store.claim('order-8', LEASE));
    await store.complete(lease, 60_000);
    const before = await raw.get(`${prefix}order-8`);
    await store.complete(lease, 86_400_000);
    expect(await raw.get(`${prefix}order-8`)).toBe(before);
    expect(await raw.pttl(`${prefix}order-8`)).toBeLessThanOrEqual(60_000);
  });
});

describe('arguments and misuse', () => {
  it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'rejects ttl %s with INVALID_ARGUMENT',
    async (ttl) => {
      await expect(store.claim('bad-ttl', ttl)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store.complete({ key: 'bad-ttl', token: 't' }, ttl)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    },
  );

  it('rejects an empty key, and a lease without a token', async () => {
    await expect(store.claim('', LEASE)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const noToken = { key: 'k', token: '' };
    await expect(store.complete(noToken, DONE)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.release(noToken)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses a value it did not write instead of guessing (UNEXPECTED_VALUE)', async () => {
    await raw.set(`${prefix}foreign`, 'something-else', 'PX', 60_000);
    const error = await store.claim('foreign', LEASE).catch((e: unknown) => e);
    expect(isRedisStoreError(error) && error.code).toBe('UNEXPECTED_VALUE');
    await expect(store.complete({ key: 'foreign', token: 'x' }, DONE)).rejects.toMatchObject({
      code: 'UNEXPECTED_VALUE',
    });
    expect(await raw.get(`${prefix}foreign`)).toBe('something-else');
  });

  it('reports an error answered by Redis as STORE_REJECTED (here WRONGTYPE)', async () => {
    await raw.hset(`${prefix}a-hash`, 'field', 'value');
    const error = await store.claim('a-hash', LEASE).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_REJECTED', message: expect.stringMatching(/WRONGTYPE/) });
  });

  it('rejects contradictory or missing connection options', () => {
    expect(() => new RedisStore({ client: raw, url: 'redis://127.0.0.1:6379' })).toThrow(/either `client`/);
    expect(() => new RedisStore({})).toThrow(/pass `client`/);
    expect(() => new RedisStore({ client: raw, commandTimeout: 0 })).toThrow(/commandTimeout/);
  });

  it('rejects with STORE_CLOSED after close(), and leaves a client it does not own open', async () => {
    const closing = new RedisStore({ client: raw, prefix });
    await closing.close();
    await expect(closing.claim('after-close', LEASE)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(closing.release({ key: 'after-close', token: 't' })).rejects.toMatchObject({
      code: 'STORE_CLOSED',
    });
    expect(raw.status).toBe('ready');
    expect(await raw.ping()).toBe('PONG');
  });
});
