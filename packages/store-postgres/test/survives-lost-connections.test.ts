// A lost PostgreSQL connection must cost a retry, never the process (brianc/node-postgres#2762: a client
// the pool hands over inside the socket callback has no `error` listener until the caller's
// `await pool.connect()` resumes, and a fatal message in the same packet ends the process). The store
// runs in a real child process, under load, while the parent terminates that process's connections every
// 50–250 ms (only backends with the child's own application_name) or restarts a PostgreSQL it started
// itself. Afterwards the process must be alive and answering, every delivery acknowledged, and every
// acknowledged delivery applied exactly once.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, DATABASE_URL, freshSchema } from '../../../test/support/postgres.js';
import { type PrivatePostgres, startPrivatePostgres } from '../../../test/support/private-postgres.js';
import { PostgresStore } from '../src/index.js';
import { type DeliveringChild, startDeliveringChild } from './support/delivering-child.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const children: DeliveringChild[] = [];

afterAll(async () => {
  for (const child of children) await child.stop();
});

/** A table and a ledger (no unique key: a second application would show as a second row). */
async function prepare(
  pool: pg.Pool,
  schema: string,
  label: string,
): Promise<{ table: string; ledger: string }> {
  const table = `${schema}.ttpay_${label}`;
  const ledger = `"${schema}".ledger_${label}`;
  await new PostgresStore({ pool, table }).setup();
  await pool.query(`CREATE TABLE ${ledger} (event_key text NOT NULL)`);
  return { table, ledger };
}

/** Every key sent is in the ledger exactly once, and nothing else is. */
async function expectAppliedOnce(pool: pg.Pool, ledger: string, keys: readonly string[]): Promise<void> {
  const { rows } = await pool.query<{ event_key: string; n: number }>(
    `SELECT event_key, count(*)::int AS n FROM ${ledger} GROUP BY event_key`,
  );
  const applied = new Map(rows.map((r) => [r.event_key, r.n]));
  const wrong = keys.filter((k) => applied.get(k) !== 1).map((k) => `${k}: ${applied.get(k) ?? 0}`);
  expect(wrong).toEqual([]);
  expect(applied.size).toBe(keys.length);
}

/** Deliveries answered retry-later because something failed (not because a duplicate was in flight). */
function failedDeliveries(child: DeliveringChild): number {
  let n = 0;
  for (const [why, count] of child.retries) if (why !== 'in-flight') n += count;
  return n;
}

/** Sends new keys every few milliseconds while `during` runs, then waits until all are acknowledged. */
async function deliverWhile(
  child: DeliveringChild,
  prefix: string,
  during: Promise<unknown>,
): Promise<string[]> {
  const keys: string[] = [];
  let busy = true;
  const sending = (async () => {
    while (busy) {
      for (let i = 0; i < 5; i++) {
        const key = `${prefix}-${keys.length}`;
        keys.push(key);
        child.send(key);
      }
      await sleep(10);
    }
  })();
  try {
    await during;
  } finally {
    busy = false;
    await sending;
  }
  await child.drained();
  return keys;
}

describe('connections terminated every 50–250 ms under load (shared PostgreSQL, only this test’s backends)', () => {
  let admin: pg.Pool;
  let schema: { name: string; drop: () => Promise<void> };

  beforeAll(async () => {
    admin = await connectPostgres();
    schema = await freshSchema(admin, 'lost_connections');
  });

  afterAll(async () => {
    await schema?.drop();
    await admin?.end();
  });

  /** Terminates the backends named `applicationName` at random 50–250 ms intervals, `rounds` times. */
  async function terminateRepeatedly(applicationName: string, rounds: number): Promise<number> {
    let terminated = 0;
    for (let i = 0; i < rounds; i++) {
      await sleep(50 + Math.floor(Math.random() * 200));
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      terminated += rows[0]?.n ?? 0;
    }
    return terminated;
  }

  it.each([
    ['a pool the app owns with only an idle-client error listener', 'bare', 'lease'],
    ['a pool the app owns, set up as the README shows, the app checking clients out too', 'readme', 'lease'],
    ['the pool the store creates from a connection string', 'owned', 'lease'],
    ['the pool the store creates from a connection string', 'owned', 'atomic'],
  ] as const)(
    '%s (%s pool, %s path): the process survives, every delivery is applied exactly once',
    async (_title, poolKind, path) => {
      const label = `${poolKind}_${path}_${randomBytes(3).toString('hex')}`;
      const { table, ledger } = await prepare(admin, schema.name, label);
      const applicationName = `ttpay_lost_${label}`;
      const child = await startDeliveringChild({
        url: DATABASE_URL,
        table,
        ledger,
        pool: poolKind,
        path,
        applicationName,
        concurrency: 20,
      });
      children.push(child);

      let terminated = 0;
      const keys = await deliverWhile(
        child,
        label,
        terminateRepeatedly(applicationName, 40).then((n) => {
          terminated = n;
        }),
      );

      expect(child.died).toBeUndefined();
      expect(await child.ping()).toBe(true);
      // The connections were in use when they died: some deliveries had to be retried.
      expect(terminated).toBeGreaterThan(10);
      expect(failedDeliveries(child)).toBeGreaterThan(0);
      expect(child.acknowledged.size).toBe(keys.length);
      await expectAppliedOnce(admin, ledger, keys);
    },
    120_000,
  );
});

describe('a PostgreSQL restart under load (a private server this test starts)', () => {
  let server: PrivatePostgres;
  let admin: pg.Pool;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    admin = new pg.Pool({ connectionString: server.url, max: 2 });
    admin.on('error', () => {}); // the restart ends its idle connections too
  }, 60_000);

  afterAll(async () => {
    await admin?.end();
    await server?.destroy();
  });

  it.each([
    ['a pool the app owns with only an idle-client error listener', 'bare', 'lease'],
    ['a pool the app owns, set up as the README shows, the app checking clients out too', 'readme', 'lease'],
    ['the pool the store creates from a connection string', 'owned', 'lease'],
    ['a pool the app owns with only an idle-client error listener', 'bare', 'atomic'],
  ] as const)(
    '%s (%s pool, %s path): the process survives two restarts, every delivery is applied exactly once',
    async (_title, poolKind, path) => {
      const { table, ledger } = await prepare(admin, 'public', `${poolKind}_${path}`);
      const child = await startDeliveringChild({
        url: server.url,
        table,
        ledger,
        pool: poolKind,
        path,
        applicationName: `ttpay_restart_${poolKind}_${path}`,
        concurrency: 20,
      });
      children.push(child);

      const keys = await deliverWhile(
        child,
        `restart-${poolKind}-${path}`,
        (async () => {
          for (let i = 0; i < 2; i++) {
            await sleep(500);
            await server.restart();
          }
          await sleep(500);
        })(),
      );

      expect(child.died).toBeUndefined();
      expect(await child.ping()).toBe(true);
      expect(failedDeliveries(child)).toBeGreaterThan(0);
      expect(child.acknowledged.size).toBe(keys.length);
      await expectAppliedOnce(admin, ledger, keys);
    },
    120_000,
  );
});
