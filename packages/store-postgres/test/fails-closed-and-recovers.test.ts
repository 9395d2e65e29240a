import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, DATABASE_URL, freshSchema } from '../../../test/support/postgres.js';
import { startTcpProxy } from '../../../test/support/tcp-proxy.js';
import { isPostgresStoreError, PostgresStore } from '../src/index.js';

let pool: pg.Pool;
let schema: { name: string; drop: () => Promise<void> };
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  pool = await connectPostgres();
  schema = await freshSchema(pool, 'outage');
  await new PostgresStore({ pool, table: `${schema.name}.ttpay_idempotency` }).setup();
});

afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  await schema?.drop();
  await pool?.end();
});

async function failure(pending: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await pending.then(
    () => {
      throw new Error('expected the store to reject');
    },
    (e: unknown) => e,
  );
  if (!isPostgresStoreError(error)) throw error;
  return { code: error.code, message: error.message };
}

/** DATABASE_URL, pointed at `port` on loopback instead. */
function urlAt(port: number): string {
  const url = new URL(DATABASE_URL);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

describe('PostgreSQL down: fail closed', () => {
  it('a store-owned pool at a closed port rejects claim/complete/release with STORE_UNAVAILABLE', async () => {
    const store = new PostgresStore({
      connectionString: urlAt(1),
      table: `${schema.name}.ttpay_idempotency`,
      operationTimeoutMs: 1_500,
    });
    cleanup.push(() => store.close());
    const claim = await failure(store.claim('k', 1_000));
    expect(claim.code).toBe('STORE_UNAVAILABLE');
    expect(claim.message).toMatch(/platform retries/);
    expect((await failure(store.complete({ key: 'k', token: 't' }, 1_000))).code).toBe('STORE_UNAVAILABLE');
    expect((await failure(store.release({ key: 'k', token: 't' }))).code).toBe('STORE_UNAVAILABLE');
    expect((await failure(store.completeWithin({ key: 'k', token: 't' }, 1_000, async () => 1))).code).toBe(
      'STORE_UNAVAILABLE',
    );
  });

  it('never puts the password from the connection string in errors', async () => {
    const store = new PostgresStore({
      connectionString: 'postgres://postgres:s3cr%3At-pw@127.0.0.1:1/test',
      operationTimeoutMs: 1_000,
    });
    cleanup.push(() => store.close());
    const error = await store.claim('k', 1_000).catch((e: unknown) => e);
    const text = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).cause)}`;
    expect(isPostgresStoreError(error) && error.code).toBe('STORE_UNAVAILABLE');
    expect(text).not.toMatch(/s3cr/);
  });

  it('a database that stops answering is cut off by operationTimeoutMs; a claim landing late is handed back', async () => {
    const target = new URL(DATABASE_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanup.push(() => proxy.stop());
    const store = new PostgresStore({
      connectionString: urlAt(proxy.port),
      table: `${schema.name}.ttpay_idempotency`,
      operationTimeoutMs: 300,
    });
    cleanup.push(() => store.close());
    expect((await store.claim('warm-up', 30_000)).status).toBe('claimed'); // connected
    proxy.stall();
    const late = await failure(store.claim('late', 30_000));
    expect(late).toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringMatching(/within 300 ms/),
    });
    proxy.resume();
    // The stalled claim now runs, answers to nobody waiting, and is released: the key is free again.
    let answer = await store.claim('late', 30_000).catch(() => undefined);
    for (let i = 0; i < 50 && answer?.status !== 'claimed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await store.claim('late', 30_000).catch(() => undefined);
    }
    expect(answer?.status).toBe('claimed');
  });

  it('recovers without recreating the store: down, failing fast, back, working', async () => {
    const target = new URL(DATABASE_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanup.push(() => proxy.stop());
    const store = new PostgresStore({
      connectionString: urlAt(proxy.port),
      table: `${schema.name}.ttpay_idempotency`,
      operationTimeoutMs: 1_000,
    });
    cleanup.push(() => store.close());
    const held = await store.claim('outage-1', 30_000);
    await proxy.stop();
    expect((await failure(store.claim('outage-2', 30_000))).code).toBe('STORE_UNAVAILABLE');
    await proxy.start();
    let again = await store.claim('outage-2', 30_000).catch(() => undefined);
    for (let i = 0; i < 50 && again === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await store.claim('outage-2', 30_000).catch(() => undefined);
    }
    expect(again?.status).toBe('claimed');
    expect((await store.claim('outage-1', 30_000)).status).toBe('in-flight');
    if (held.status !== 'claimed') throw new Error('outage-1 was not claimed');
    await store.complete(held.lease, 60_000);
    expect((await store.claim('outage-1', 30_000)).status).toBe('done');
  });
});
