// Crash safety with a real process: SIGKILL between the handler's write and the commit leaves neither
// the write nor the done-record; SIGKILL after the commit leaves both. Either way the redelivery is
// right: applied once, or acknowledged. On the lease path the dead process's claim waits out its lease;
// through processOnce it dies with the process's connection, and the redelivery applies the event at once.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectPostgres, DATABASE_URL, freshSchema } from '../../../test/support/postgres.js';
import { PostgresStore } from '../src/index.js';

const CHILD = fileURLToPath(new URL('./processes/claim-write-and-wait.ts', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let pool: pg.Pool;
let schema: { name: string; drop: () => Promise<void> };
let table: string;
let ledger: string;
let store: PostgresStore;
const children: ChildProcess[] = [];

beforeAll(async () => {
  pool = await connectPostgres();
  schema = await freshSchema(pool, 'crash');
  table = `${schema.name}.ttpay_idempotency`;
  ledger = `"${schema.name}".ledger`;
  store = new PostgresStore({ pool, table });
  await store.setup();
  await pool.query(`CREATE TABLE ${ledger} (event_key text NOT NULL, note text NOT NULL)`);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await schema?.drop();
  await pool?.end();
});

/** Starts the child and resolves once it printed `line`; rejects if it exits first. */
async function childAt(
  key: string,
  mode: 'before-commit' | 'after-commit' | 'atomic-before-commit' | 'atomic-after-commit',
  line: string,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=ttpay-source', '--import', 'tsx', CHILD, DATABASE_URL, table, ledger, key, mode],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (text) => {
      if (text === line) resolve();
      else reject(new Error(`child said ${text}`));
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before ${line}`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function ledgerRows(key: string): Promise<number> {
  return (await pool.query(`SELECT 1 FROM ${ledger} WHERE event_key = $1`, [key])).rowCount ?? 0;
}

async function redeliver(key: string): Promise<'applied' | 'acknowledged'> {
  for (let i = 0; i < 100; i++) {
    const claim = await store.claim(key, 30_000);
    if (claim.status === 'done') return 'acknowledged';
    if (claim.status === 'claimed') {
      await store.completeWithin(claim.lease, 60_000, async (tx) => {
        await tx.query(`INSERT INTO ${ledger} (event_key, note) VALUES ($1, 'redelivery')`, [key]);
      });
      return 'applied';
    }
    await sleep(50); // in flight: the dead child's lease (1 s) has to run out
  }
  throw new Error('the key stayed in flight');
}

it('SIGKILL after the write, before the commit: neither the write nor done; the redelivery applies it once', async () => {
  const key = `crash-before-${Date.now()}`;
  await kill(await childAt(key, 'before-commit', 'WROTE'));
  expect(await ledgerRows(key)).toBe(0);
  expect((await store.claim(key, 30_000)).status).toBe('in-flight'); // the dead child's lease still holds it
  expect(await redeliver(key)).toBe('applied');
  expect(await ledgerRows(key)).toBe(1);
  expect(await redeliver(key)).toBe('acknowledged');
  expect(await ledgerRows(key)).toBe(1);
});

it('SIGKILL after the commit: both the write and done; the redelivery is acknowledged without a second write', async () => {
  const key = `crash-after-${Date.now()}`;
  await kill(await childAt(key, 'after-commit', 'COMMITTED'));
  expect(await ledgerRows(key)).toBe(1);
  expect(await redeliver(key)).toBe('acknowledged');
  expect(await ledgerRows(key)).toBe(1);
});

/** processOnce until it answers something other than in-flight: the server drops a dead connection's locks. */
async function processOnceNow(key: string): Promise<'processed' | 'done'> {
  for (let i = 0; i < 100; i++) {
    const run = await store.processOnce(key, 60_000, async (tx) => {
      await tx.query(`INSERT INTO ${ledger} (event_key, note) VALUES ($1, 'redelivery')`, [key]);
    });
    if (run.status !== 'in-flight') return run.status;
    await sleep(50); // the server has yet to notice the dead connection
  }
  throw new Error('the key stayed in flight: the dead process still holds it');
}

it('processOnce, SIGKILL after the write, before the commit: nothing left, and the key is free with the connection (no lease): applied once', async () => {
  const key = `atomic-crash-before-${Date.now()}`;
  const child = await childAt(key, 'atomic-before-commit', 'WROTE');
  expect(await processOnceNowOrInFlight(key)).toBe('in-flight'); // held while the child lives
  await kill(child);
  expect(await ledgerRows(key)).toBe(0);
  expect(await processOnceNow(key)).toBe('processed');
  expect(await ledgerRows(key)).toBe(1);
  expect(await processOnceNow(key)).toBe('done');
  expect((await store.claim(key, 30_000)).status).toBe('done');
  expect(await ledgerRows(key)).toBe(1);
});

it('processOnce, SIGKILL after the commit: the write and the done-record both; the redelivery is acknowledged', async () => {
  const key = `atomic-crash-after-${Date.now()}`;
  await kill(await childAt(key, 'atomic-after-commit', 'COMMITTED'));
  expect(await ledgerRows(key)).toBe(1);
  expect(await processOnceNow(key)).toBe('done');
  expect(await ledgerRows(key)).toBe(1);
});

/** One processOnce whose work must not run (the key is held): its status. */
async function processOnceNowOrInFlight(key: string): Promise<string> {
  let ran = false;
  const run = await store.processOnce(key, 60_000, async () => {
    ran = true;
  });
  if (ran) throw new Error('the work ran while another process held the key');
  return run.status;
}
