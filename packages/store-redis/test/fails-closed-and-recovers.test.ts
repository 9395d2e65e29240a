import type { TtpayLogger } from '@ttpay/core';
import { silentLogger } from '@ttpay/core/internal';
import type { Claim } from '@ttpay/core/store';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import { isRedisStoreError, RedisStore } from '../src/index.js';
import {
  connectRedis,
  deleteKeys,
  eventually,
  leaseOf,
  REDIS_URL,
  statusOf,
  uniquePrefix,
} from './helpers/redis.js';

const CLOSED_PORT_URL = 'redis://127.0.0.1:1';
const prefix = uniquePrefix('down');
let raw: Redis;
const cleanup: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  raw = await connectRedis();
});

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

afterAll(async () => {
  if (raw) await deleteKeys(raw, prefix);
  raw?.disconnect();
});

async function proxyToRedis(): Promise<TcpProxy> {
  const target = new URL(REDIS_URL);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  cleanup.push(() => proxy.stop());
  return proxy;
}

function track(store: RedisStore): RedisStore {
  cleanup.push(() => store.close());
  return store;
}

async function failure(promise: Promise<unknown>): Promise<{ code: unknown; message: string; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => {
      throw new Error('expected the store to reject');
    },
    (e: unknown) => e,
  );
  if (!isRedisStoreError(error)) throw error;
  return { code: error.code, message: error.message, ms: Date.now() - started };
}

describe('Redis down: fail closed, quickly', () => {
  it('a store-owned client at a closed port rejects claim/complete/release with STORE_UNAVAILABLE', async () => {
    const store = track(new RedisStore({ url: CLOSED_PORT_URL, prefix, commandTimeout: 1_500 }));
    const claim = await failure(store.claim('k', 1_000));
    expect(claim.code).toBe('STORE_UNAVAILABLE');
    expect(claim.ms).toBeLessThan(1_500); // ioredis gave up before the timeout: owned-client defaults
    expect(claim.message).toMatch(/platform retries/);
    expect((await failure(store.complete({ key: 'k', token: 't' }, 1_000))).code).toBe('STORE_UNAVAILABLE');
  });

  it('a user client with ioredis defaults (20 retries) is cut off by commandTimeout', async () => {
    const client = new Redis(CLOSED_PORT_URL);
    client.on('error', () => {});
    cleanup.push(() => client.disconnect());
    const store = new RedisStore({ client, prefix, commandTimeout: 300 });
    const claim = await failure(store.claim('k', 1_000));
    expect(claim.code).toBe('STORE_UNAVAILABLE');
    expect(claim.message).toMatch(/within 300 ms \(commandTimeout\)/);
    expect(claim.ms).toBeGreaterThanOrEqual(290);
    expect(claim.ms).toBeLessThan(1_000);
  });

  it('a client you disconnected yourself rejects at once', async () => {
    const client = await connectRedis();
    client.disconnect();
    const store = new RedisStore({ client, prefix });
    const claim = await failure(store.claim('k', 1_000));
    expect(claim.code).toBe('STORE_UNAVAILABLE');
    expect(claim.ms).toBeLessThan(200);
  });

  it('never puts the password from the URL in errors or logs', async () => {
    const warnings: string[] = [];
    const logger: TtpayLogger = {
      ...silentLogger,
      warn: (details, message) => warnings.push(JSON.stringify(details) + message),
    };
    const store = track(
      new RedisStore({
        url: 'redis://user:s3cr%3At-pw@127.0.0.1:1/0',
        prefix,
        logger,
        commandTimeout: 1_000,
      }),
    );
    const claim = store.claim('k', 1_000).catch((e: unknown) => e);
    const error = await claim;
    const text = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).cause)}`;
    expect(text).not.toMatch(/s3cr/);
    expect(warnings.length).toBe(1); // one warning per outage, not one per reconnect attempt
    expect(warnings.join(' ')).not.toMatch(/s3cr/);
  });
});

describe('recovery without recreating the store', () => {
  it('a store-owned connection: Redis goes away, claims fail fast, Redis returns, claims work', async () => {
    const proxy = await proxyToRedis();
    const store = track(new RedisStore({ url: proxy.url, prefix, commandTimeout: 1_000 }));
    expect(await statusOf(store.claim('outage-1', 30_000))).toBe('claimed');

    await proxy.stop();
    const down = await failure(store.claim('outage-2', 30_000));
    expect(down.code).toBe('STORE_UNAVAILABLE');
    expect(down.ms).toBeLessThanOrEqual(1_100);

    await proxy.start();
    let outage2: Claim | undefined;
    await eventually(async () => {
      outage2 = await store.claim('outage-2', 30_000);
      return outage2.status === 'claimed';
    });
    expect(await statusOf(store.claim('outage-1', 30_000))).toBe('in-flight');
    if (outage2?.status !== 'claimed') throw new Error('outage-2 was not claimed');
    await store.complete(outage2.lease, 60_000);
    expect(await raw.get(`${prefix}outage-2`)).toMatch(/^done:/);
  });

  it('a user-owned connection killed by the server (CLIENT KILL) reconnects and reloads its scripts', async () => {
    const client = await connectRedis();
    cleanup.push(() => client.disconnect());
    const store = new RedisStore({ client, prefix, commandTimeout: 2_000 });
    const kill1 = await leaseOf(store.claim('kill-1', 30_000));
    const id = await client.client('ID');
    expect(await raw.client('KILL', 'ID', String(id))).toBe(1);
    // The next claims travel over a new connection, where the Lua is not yet known to ioredis.
    expect(await statusOf(store.claim('kill-2', 30_000))).toBe('claimed');
    expect(await client.client('ID')).not.toBe(id);
    await store.release(kill1);
    expect(await raw.get(`${prefix}kill-1`)).toBeNull();
  });

  it('a user-owned client you disconnect and connect again works again', async () => {
    const client = await connectRedis();
    cleanup.push(() => client.disconnect());
    const store = new RedisStore({ client, prefix });
    const reconnect1 = await leaseOf(store.claim('reconnect-1', 30_000));
    client.disconnect();
    expect((await failure(store.claim('reconnect-2', 30_000))).code).toBe('STORE_UNAVAILABLE');
    await client.connect();
    expect(await statusOf(store.claim('reconnect-2', 30_000))).toBe('claimed');
    await store.complete(reconnect1, 60_000);
    expect(await statusOf(store.claim('reconnect-1', 30_000))).toBe('done');
  });

  it('a claim that timed out but lands later is handed back, so redeliveries are not blocked', async () => {
    const proxy = await proxyToRedis();
    const store = track(new RedisStore({ url: proxy.url, prefix, commandTimeout: 300 }));
    expect(await statusOf(store.claim('warm-up', 30_000))).toBe('claimed'); // connected, scripts loaded
    proxy.stall();
    expect((await failure(store.claim('late', 30_000))).code).toBe('STORE_UNAVAILABLE');
    expect(await raw.exists(`${prefix}late`)).toBe(0);
    proxy.resume();
    // Commands run in order on one connection: once these two answer, the late claim has run on Redis
    // and its reply has come back (to nobody waiting). Unreleased, its 30 s lease would now block the key.
    expect(await statusOf(store.claim('probe-1', 30_000))).toBe('claimed');
    expect(await statusOf(store.claim('probe-2', 30_000))).toBe('claimed');
    await eventually(async () => (await raw.exists(`${prefix}late`)) === 0, 2_000);
    expect(await statusOf(store.claim('late', 30_000))).toBe('claimed');
  });
});
