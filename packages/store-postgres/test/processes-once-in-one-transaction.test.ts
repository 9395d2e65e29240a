// processOnce beyond the conformance kit: next to the lease path on one table (a rolling deploy, a job),
// a lock number two keys share, a full pool and a database that stops answering.
import { isAtomicStore } from '@ttpay/core/internal';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, DATABASE_URL, freshSchema } from '../../../test/support/postgres.js';
import { startTcpProxy } from '../../../test/support/tcp-proxy.js';
import { isPostgresStoreError, PostgresStore } from '../src/index.js';
import { lockSeed } from '../src/statements.js';
import { parseTableName } from '../src/table-name.js';

let pool: pg.Pool;
let schema: { name: string; drop: () => Promise<void> };
let tableOption: string;
let ledger: string;
let store: PostgresStore;
const cleanup: Array<() => Promise<void>> = [];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  pool = await connectPostgres({ max: 12 });
  schema = await freshSchema(pool, 'process_once');
  tableOption = `${schema.name}.ttpay_idempotency`;
  ledger = `"${schema.name}".ledger`;
  store = new PostgresStore({ pool, table: tableOption });
  await store.setup();
  await pool.query(`CREATE TABLE ${ledger} (event_key text NOT NULL)`);
});

afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  await schema?.drop();
  await pool?.end();
});

function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const rows = async (key: string): Promise<number> =>
  (await pool.query(`SELECT 1 FROM ${ledger} WHERE event_key = $1`, [key])).rowCount ?? 0;

/** processOnce with a work that writes the key to the ledger; `ran` says whether it ran. */
async function apply(key: string, on: PostgresStore = store) {
  let ran = false;
  const run = await on.processOnce(key, 3_600_000, async (tx) => {
    ran = true;
    await tx.query(`INSERT INTO ${ledger} (event_key) VALUES ($1)`, [key]);
    return key;
  });
  return { status: run.status, ran };
}

async function rejection(pending: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await pending.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!isPostgresStoreError(error)) throw error;
  return { code: error.code, message: error.message };
}

it('is an AtomicIdempotencyStore: delivery pipelines find processOnce', () => {
  expect(isAtomicStore(store)).toBe(true);
});

describe('beside the lease path, on one table', () => {
  it('a live lease answers processOnce in-flight; once released, processOnce applies the event', async () => {
    const claim = await store.claim('lease-then-atomic', 30_000);
    if (claim.status !== 'claimed') throw new Error('not claimed');
    expect(await apply('lease-then-atomic')).toEqual({ status: 'in-flight', ran: false });
    await store.release(claim.lease);
    expect(await apply('lease-then-atomic')).toEqual({ status: 'processed', ran: true });
    expect(await rows('lease-then-atomic')).toBe(1);
  });

  it('a lease-path claim made while processOnce runs waits for its commit and answers done (or claims it after a rollback)', async () => {
    for (const outcome of ['commit', 'rollback'] as const) {
      const key = `atomic-then-lease-${outcome}`;
      const started = gate();
      const finish = gate();
      const running = store.processOnce(key, 3_600_000, async (tx) => {
        await tx.query(`INSERT INTO ${ledger} (event_key) VALUES ($1)`, [key]);
        started.open();
        await finish.opened;
        if (outcome === 'rollback') throw new Error('handler failed');
      });
      await started.opened;
      // An instance still on the lease path (a rolling deploy): its INSERT meets the uncommitted row.
      const claim = store.claim(key, 30_000);
      finish.open();
      if (outcome === 'commit') {
        expect((await running).status).toBe('processed');
        expect((await claim).status).toBe('done');
        expect(await rows(key)).toBe(1);
      } else {
        await expect(running).rejects.toThrow('handler failed');
        expect((await claim).status).toBe('claimed');
        expect(await rows(key)).toBe(0);
      }
    }
  });

  it('an expired lease is taken over; its stale holder can then neither commit (LEASE_LOST) nor reopen the key', async () => {
    const stale = await store.claim('stale-lease', 50);
    if (stale.status !== 'claimed') throw new Error('not claimed');
    await sleep(120);
    expect(await apply('stale-lease')).toEqual({ status: 'processed', ran: true });
    await expect(
      store.completeWithin(stale.lease, 60_000, async (tx) => {
        await tx.query(`INSERT INTO ${ledger} (event_key) VALUES ($1)`, ['stale-lease']);
      }),
    ).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await store.release(stale.lease);
    expect(await apply('stale-lease')).toEqual({ status: 'done', ran: false });
    expect(await rows('stale-lease')).toBe(1);
  });
});

it('a lock number held elsewhere (what a key whose 64-bit hash collides looks like) answers in-flight, harmlessly, until it is free', async () => {
  const key = 'collides';
  const seed = lockSeed(parseTableName(tableOption).sql);
  const other = await pool.connect();
  try {
    await other.query(`SELECT pg_advisory_lock(hashtextextended($1, ${seed}))`, [key]);
    expect(await apply(key)).toEqual({ status: 'in-flight', ran: false });
    expect(await rows(key)).toBe(0);
    await other.query(`SELECT pg_advisory_unlock(hashtextextended($1, ${seed}))`, [key]);
  } finally {
    other.release();
  }
  expect(await apply(key)).toEqual({ status: 'processed', ran: true });
});

describe('no connection free, no answer: coded, and nothing left behind', () => {
  it('a full pool the store owns: processOnce and claim reject STORE_BUSY (not "unavailable"), and work again once a connection is free', async () => {
    const busy = new PostgresStore({
      connectionString: DATABASE_URL,
      poolOptions: { max: 2 },
      table: tableOption,
      operationTimeoutMs: 300,
    });
    cleanup.push(() => busy.close());
    const finish = gate();
    const started = [gate(), gate()];
    const holders = started.map((s, i) =>
      busy.processOnce(`busy-holder-${i}`, 60_000, async () => {
        s.open();
        await finish.opened;
      }),
    );
    await Promise.all(started.map((s) => s.opened));
    const atomic = await rejection(apply('busy-late', busy));
    expect(atomic.code).toBe('STORE_BUSY');
    expect(atomic.message).toMatch(/every connection of the pool is in use \(max 2/);
    expect(atomic.message).not.toMatch(/unavailable/i);
    expect((await rejection(busy.claim('busy-late-lease', 30_000))).code).toBe('STORE_BUSY');
    finish.open();
    expect((await Promise.all(holders)).map((r) => r.status)).toEqual(['processed', 'processed']);
    expect(await apply('busy-late', busy)).toEqual({ status: 'processed', ran: true });
  });

  it('a full pool of the app’s without a connection timeout: the store’s own operationTimeoutMs says STORE_BUSY', async () => {
    const appPool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    appPool.on('error', () => {});
    cleanup.push(() => appPool.end());
    const busy = new PostgresStore({ pool: appPool, table: tableOption, operationTimeoutMs: 300 });
    const finish = gate();
    const started = gate();
    const holder = busy.processOnce('app-busy-holder', 60_000, async () => {
      started.open();
      await finish.opened;
    });
    await started.opened;
    let lateRan = false;
    const late = busy.processOnce('app-busy-late', 60_000, async () => {
      lateRan = true;
    });
    expect((await rejection(late)).code).toBe('STORE_BUSY');
    finish.open();
    await holder;
    // The late call gave up while queued for the one connection; the pool still hands it over later, and
    // it rolls back unrun. The next call queues behind it, so once that one is answered, it is settled.
    expect(await apply('app-busy-late', busy)).toEqual({ status: 'processed', ran: true });
    expect(lateRan).toBe(false);
    expect(await rows('app-busy-late')).toBe(1);
  });

  it('a database that stops answering: STORE_UNAVAILABLE within operationTimeoutMs; the abandoned claim rolls back, its work never runs', async () => {
    const target = new URL(DATABASE_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanup.push(() => proxy.stop());
    const url = new URL(DATABASE_URL);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const stalled = new PostgresStore({
      connectionString: url.toString(),
      table: tableOption,
      operationTimeoutMs: 300,
    });
    cleanup.push(() => stalled.close());
    expect(await apply('warm-up', stalled)).toEqual({ status: 'processed', ran: true }); // connected
    proxy.stall();
    let ran = false;
    const late = stalled.processOnce('stalled', 60_000, async () => {
      ran = true;
    });
    const failure = await rejection(late);
    expect(failure.code).toBe('STORE_UNAVAILABLE');
    expect(failure.message).toMatch(/within 300 ms/);
    proxy.resume();
    // The stalled transaction now gets its answer, finds nobody waiting, and rolls back.
    let again = await apply('stalled');
    for (let i = 0; i < 50 && again.status === 'in-flight'; i++) {
      await sleep(50);
      again = await apply('stalled');
    }
    expect(again).toEqual({ status: 'processed', ran: true });
    expect(ran).toBe(false);
    expect(await rows('stalled')).toBe(1);
  });
});

it('bad arguments are refused with INVALID_ARGUMENT before any connection is used', async () => {
  await expect(store.processOnce('', 1_000, async () => 1)).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
  });
  await expect(store.processOnce('k', 0, async () => 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  await expect(store.processOnce('k', 1_000, undefined as never)).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
  });
});
