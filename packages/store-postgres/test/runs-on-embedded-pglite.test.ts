// The same store on an embedded PGlite (PostgreSQL in WebAssembly): what the example shop uses when no
// DATABASE_URL is set. Same SQL, same guarantees within one process.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { pgliteDatabase } from '../src/pglite.js';

let db: PGlite;
let store: PostgresStore<Transaction>;

beforeAll(async () => {
  db = await PGlite.create();
  store = new PostgresStore({ database: pgliteDatabase(db) });
  await store.setup();
  await store.setup(); // idempotent
  await db.exec('CREATE TABLE ledger (event_key text NOT NULL)');
});

afterAll(async () => {
  await db?.close();
});

const count = async (key: string): Promise<number> =>
  (await db.query('SELECT 1 FROM ledger WHERE event_key = $1', [key])).rows.length;

it('claims once among concurrent claims, then done; release frees the key', async () => {
  const answers = await Promise.all(Array.from({ length: 50 }, () => store.claim('p-1', 30_000)));
  const claimed = answers.filter((a) => a.status === 'claimed');
  expect(claimed).toHaveLength(1);
  expect(answers.filter((a) => a.status === 'in-flight')).toHaveLength(49);
  const lease = claimed[0]?.status === 'claimed' ? claimed[0].lease : undefined;
  if (!lease) throw new Error('no lease');
  await store.release({ key: 'p-1', token: 'someone-else' });
  expect((await store.claim('p-1', 30_000)).status).toBe('in-flight');
  await store.release(lease);
  const again = await store.claim('p-1', 30_000);
  expect(again.status).toBe('claimed');
});

it('completeWithin commits the write with the done-record, and rolls both back when the work throws', async () => {
  const first = await store.claim('p-2', 30_000);
  if (first.status !== 'claimed') throw new Error('not claimed');
  await expect(
    store.completeWithin(first.lease, 60_000, async (tx) => {
      await tx.query('INSERT INTO ledger (event_key) VALUES ($1)', ['p-2']);
      throw new Error('handler failed');
    }),
  ).rejects.toThrow('handler failed');
  expect(await count('p-2')).toBe(0);
  expect((await store.claim('p-2', 30_000)).status).toBe('in-flight'); // koa releases; the store did not commit
  await store.release(first.lease);

  const second = await store.claim('p-2', 30_000);
  if (second.status !== 'claimed') throw new Error('not claimed');
  const result = await store.completeWithin(second.lease, 60_000, async (tx) => {
    await tx.query('INSERT INTO ledger (event_key) VALUES ($1)', ['p-2']);
    return 'ok';
  });
  expect(result).toBe('ok');
  expect(await count('p-2')).toBe(1);
  expect((await store.claim('p-2', 30_000)).status).toBe('done');
});

it('a lease taken over meanwhile: LEASE_LOST and nothing committed', async () => {
  const stale = await store.claim('p-3', 50);
  if (stale.status !== 'claimed') throw new Error('not claimed');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const current = await store.claim('p-3', 30_000);
  expect(current.status).toBe('claimed');
  await expect(
    store.completeWithin(stale.lease, 60_000, async (tx) => {
      await tx.query('INSERT INTO ledger (event_key) VALUES ($1)', ['p-3']);
    }),
  ).rejects.toMatchObject({ code: 'LEASE_LOST' });
  expect(await count('p-3')).toBe(0);
  expect((await store.claim('p-3', 30_000)).status).toBe('in-flight');
});

it('processOnce: claim, work and done-record in one transaction; PGlite runs one at a time, so a duplicate in flight waits for it and then answers done', async () => {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let started!: () => void;
  const begun = new Promise<void>((resolve) => {
    started = resolve;
  });
  const first = store.processOnce('p-4', 60_000, async (tx) => {
    await tx.query('INSERT INTO ledger (event_key) VALUES ($1)', ['p-4']);
    started();
    await finished;
    return 'first';
  });
  await begun;
  let duplicateRan = false;
  const duplicate = store.processOnce('p-4', 60_000, async () => {
    duplicateRan = true;
  });
  finish();
  expect(await first).toEqual({ status: 'processed', result: 'first' });
  expect(await duplicate).toEqual({ status: 'done' });
  expect(duplicateRan).toBe(false);
  expect(await count('p-4')).toBe(1);

  await expect(
    store.processOnce('p-5', 60_000, async (tx) => {
      await tx.query('INSERT INTO ledger (event_key) VALUES ($1)', ['p-5']);
      throw new Error('handler failed');
    }),
  ).rejects.toThrow('handler failed');
  expect(await count('p-5')).toBe(0);
  expect((await store.processOnce('p-5', 60_000, async () => 'again')).status).toBe('processed');
});
