import type { TtpayLogger } from '@ttpay/core';
import { silentLogger } from '@ttpay/core/internal';
import type { Claim, Lease } from '@ttpay/core/store';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, freshSchema } from '../../../test/support/postgres.js';
import { isPostgresStoreError, PostgresStore } from '../src/index.js';

const LEASE = 30_000;
const DONE = 3_600_000;

let pool: pg.Pool;
let poolB: pg.Pool;
let schema: { name: string; drop: () => Promise<void> };
let table: string;
let store: PostgresStore;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function leaseOf(claim: Promise<Claim>): Promise<Lease> {
  const answer = await claim;
  if (answer.status !== 'claimed') throw new Error(`expected claimed, got ${answer.status}`);
  return answer.lease;
}
const statusOf = async (claim: Promise<Claim>): Promise<Claim['status']> => (await claim).status;

async function row(key: string): Promise<{ state: string; token: string; ms_left: number } | undefined> {
  const { rows } = await pool.query(
    `SELECT state, token, (extract(epoch FROM expires_at - clock_timestamp()) * 1000)::float8 AS ms_left
     FROM ${table} WHERE key = $1`,
    [key],
  );
  return rows[0];
}

beforeAll(async () => {
  pool = await connectPostgres();
  poolB = await connectPostgres();
  schema = await freshSchema(pool, 'basics');
  table = `"${schema.name}"."ttpay_idempotency"`;
  store = new PostgresStore({ pool, table: `${schema.name}.ttpay_idempotency` });
  await store.setup();
});

afterAll(async () => {
  await schema?.drop();
  await pool?.end();
  await poolB?.end();
});

describe('claim → complete → release', () => {
  it('claims a new key, then says in-flight, then done after complete', async () => {
    const lease = await leaseOf(store.claim('order-1', LEASE));
    expect(lease).toEqual({ key: 'order-1', token: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await store.claim('order-1', LEASE)).toEqual({ status: 'in-flight' });
    await store.complete(lease, DONE);
    expect(await store.claim('order-1', LEASE)).toEqual({ status: 'done' });
  });

  it('keeps the state, the lease token and the expiry (from the database clock) in its row', async () => {
    const lease = await leaseOf(store.claim('order-2', 5_000));
    const held = await row('order-2');
    expect(held).toMatchObject({ state: 'in-flight', token: lease.token });
    expect(held?.ms_left).toBeGreaterThan(3_000);
    expect(held?.ms_left).toBeLessThanOrEqual(5_000);
    await store.complete(lease, 86_400_000);
    const done = await row('order-2');
    expect(done).toMatchObject({ state: 'done', token: lease.token });
    expect(done?.ms_left).toBeGreaterThan(86_000_000);
  });

  it('release frees the key for the next claim, which gets a new token', async () => {
    const first = await leaseOf(store.claim('order-3', LEASE));
    await store.release(first);
    expect(await row('order-3')).toBeUndefined();
    const second = await leaseOf(store.claim('order-3', LEASE));
    expect(second.token).not.toBe(first.token);
  });

  it('release after complete leaves the key done; complete never shortens a done-record', async () => {
    const lease = await leaseOf(store.claim('order-4', LEASE));
    await store.complete(lease, 60_000);
    await store.release(lease);
    await store.complete(lease, 1);
    expect(await statusOf(store.claim('order-4', LEASE))).toBe('done');
    expect((await row('order-4'))?.ms_left).toBeGreaterThan(50_000);
  });
});

describe('one key, many claims at once', () => {
  it('gives exactly one of 200 concurrent claims from two pools (two instances) the key', async () => {
    const other = new PostgresStore({ pool: poolB, table: `${schema.name}.ttpay_idempotency` });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? store : other).claim('payment-race', LEASE)),
    );
    expect(answers.filter((a) => a.status === 'claimed')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'in-flight')).toHaveLength(199);
  });

  it('gives one claim per key when 50 keys race on both instances', async () => {
    const other = new PostgresStore({ pool: poolB, table: `${schema.name}.ttpay_idempotency` });
    const keys = Array.from({ length: 50 }, (_, i) => `race-${i}`);
    const answers = await Promise.all(
      keys.flatMap((key) => [store.claim(key, LEASE), other.claim(key, LEASE), store.claim(key, LEASE)]),
    );
    expect(answers.filter((a) => a.status === 'claimed')).toHaveLength(50);
  });
});

describe('leases run out on the database clock, and a stale holder cannot undo the new one', () => {
  function recordingLogger(): TtpayLogger & { warnings: Record<string, unknown>[] } {
    const warnings: Record<string, unknown>[] = [];
    return { ...silentLogger, warnings, warn: (details) => warnings.push(details) };
  }

  it('a lease that ran out is claimed again; the stale release frees nothing, the stale complete records done', async () => {
    const logger = recordingLogger();
    const a = new PostgresStore({ pool, table: `${schema.name}.ttpay_idempotency`, logger });
    const b = new PostgresStore({ pool: poolB, table: `${schema.name}.ttpay_idempotency` });
    const stale = await leaseOf(a.claim('evt-1', 100));
    await sleep(200);
    const current = await leaseOf(b.claim('evt-1', LEASE));
    expect(current.token).not.toBe(stale.token);

    await a.release(stale); // A's handler threw late: B keeps the key
    expect(await row('evt-1')).toMatchObject({ state: 'in-flight', token: current.token });

    await a.complete(stale, DONE); // A's handler did finish after all: done, and warned
    expect(await row('evt-1')).toMatchObject({ state: 'done', token: stale.token });
    expect(logger.warnings).toEqual([{ key: 'evt-1' }]);
    await b.release(current); // B's handler fails afterwards: no third run
    expect(await statusOf(b.claim('evt-1', LEASE))).toBe('done');
  });

  it('a done-record that ran out can be claimed again', async () => {
    const lease = await leaseOf(store.claim('evt-2', LEASE));
    await store.complete(lease, 100);
    expect(await statusOf(store.claim('evt-2', LEASE))).toBe('done');
    await sleep(200);
    expect(await statusOf(store.claim('evt-2', LEASE))).toBe('claimed');
  });

  it('purgeExpired deletes rows that ran out, and only those', async () => {
    await store.complete(await leaseOf(store.claim('purge-old', LEASE)), 50);
    await store.complete(await leaseOf(store.claim('purge-live', LEASE)), DONE);
    await sleep(120);
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await row('purge-old')).toBeUndefined();
    expect(await row('purge-live')).toMatchObject({ state: 'done' });
  });
});

describe('keys', () => {
  it('keys PostgreSQL text cannot hold, or would mangle, are stored by digest and stay apart', async () => {
    const keys = ['nul\u0000key', 'a\uD800', 'a\uDC00', 'x'.repeat(10_000), '订单：１２３🎉', 'a\uFFFD'];
    const leases = await Promise.all(keys.map((key) => leaseOf(store.claim(key, LEASE))));
    expect(leases.map((l) => l.key)).toEqual(keys);
    await store.complete(leases[1] as Lease, DONE); // a\uD800 done …
    expect(await statusOf(store.claim('a\uDC00', LEASE))).toBe('in-flight'); // … not its look-alike
    expect(await statusOf(store.claim('a\uFFFD', LEASE))).toBe('in-flight');
    expect(await statusOf(store.claim('a\uD800', LEASE))).toBe('done');
  });
});

describe('set-up, options and misuse', () => {
  it('setup() is idempotent, also run by several instances at once', async () => {
    const fresh = await freshSchema(pool, 'setup');
    try {
      const stores = [pool, poolB, pool, poolB].map(
        (p) => new PostgresStore({ pool: p, table: `${fresh.name}.events` }),
      );
      await Promise.all(stores.map((s) => s.setup()));
      await stores[0]?.setup();
      expect(await statusOf((stores[1] as PostgresStore).claim('k', LEASE))).toBe('claimed');
      const { rows } = await pool.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'events' ORDER BY 1`,
        [fresh.name],
      );
      expect(rows.map((r) => r.indexname)).toEqual(['events_expires_at_idx', 'events_pkey']);
    } finally {
      await fresh.drop();
    }
  });

  it('a missing table is STORE_REJECTED with a hint to run setup()', async () => {
    const missing = new PostgresStore({ pool, table: `${schema.name}.not_set_up` });
    const error = await missing.claim('k', LEASE).catch((e: unknown) => e);
    expect(isPostgresStoreError(error) && error.code).toBe('STORE_REJECTED');
    expect((error as Error).message).toMatch(/store\.setup\(\)/);
  });

  it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'rejects ttl %s with INVALID_ARGUMENT',
    async (ttl) => {
      await expect(store.claim('bad-ttl', ttl)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store.complete({ key: 'bad-ttl', token: 't' }, ttl)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    },
  );

  it('rejects an empty key and a lease without a token', async () => {
    await expect(store.claim('', LEASE)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.release({ key: 'k', token: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.complete({ key: 'k', token: '' }, DONE)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('refuses table names that are not plain identifiers, and contradictory options', () => {
    for (const table of ['', 'a.b.c', 'bad-name', 'x"; DROP TABLE orders; --', '1abc', 'a'.repeat(64)]) {
      expect(() => new PostgresStore({ pool, table })).toThrow(/plain identifier/);
    }
    expect(() => new PostgresStore({ pool, connectionString: 'postgres://x' } as never)).toThrow(
      /exactly one/,
    );
    expect(() => new PostgresStore({} as never)).toThrow(/exactly one/);
    expect(() => new PostgresStore({ pool, operationTimeoutMs: 0 })).toThrow(/operationTimeoutMs/);
  });

  it('rejects with STORE_CLOSED after close(), and leaves a pool it does not own open', async () => {
    const closing = new PostgresStore({ pool, table: `${schema.name}.ttpay_idempotency` });
    await closing.close();
    await expect(closing.claim('after-close', LEASE)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(closing.release({ key: 'after-close', token: 't' })).rejects.toMatchObject({
      code: 'STORE_CLOSED',
    });
    expect((await pool.query('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });
});
