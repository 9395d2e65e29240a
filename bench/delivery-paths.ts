/**
 * A delivery's store work on PostgreSQL, by path, against the least any exactly-once delivery can cost
 * there — one transaction that records the key (`BEGIN; INSERT … ON CONFLICT DO NOTHING; COMMIT`):
 * - atomic: `PostgresStore.processOnce` (claim, work and done-record in one transaction; what @ttpay/koa
 *   takes);
 * - lease: `claim` then `completeWithin` (the claim commits on its own, then the work's transaction).
 * The work is a no-op: this is the store's share. Each delivery is a key never seen, `concurrency` in
 * flight, the paths alternating per round. Commits and statements per delivery are counted, not assumed:
 * the store runs on a `SqlDatabase` that counts what it is asked to run.
 */
import { randomBytes } from 'node:crypto';
import { PostgresStore, pgDatabase, type SqlDatabase } from '@ttpay/store-postgres';
import pg from 'pg';
import { DATABASE_URL } from './http/apps.js';

export interface DeliveryPathSettings {
  roundMs: number;
  rounds: number;
  concurrency: number;
}

export interface DeliveryPathRow {
  path: 'floor' | 'atomic' | 'lease';
  label: string;
  deliveriesPerSecond: number;
  /** ÷ the floor, median of the per-round ratios (1 for the floor itself). */
  ratio: number;
  /** Committed transactions per delivery (a statement outside a transaction commits on its own). */
  commitsPerDelivery: number;
  /** Statements sent per delivery, BEGIN and COMMIT included: round trips to the server. */
  statementsPerDelivery: number;
}

export interface DeliveryPathResult {
  measured: boolean;
  reason?: string;
  rows: DeliveryPathRow[];
}

interface Counts {
  deliveries: number;
  commits: number;
  statements: number;
}

/** `db`, counting the commits and statements of what runs through it. */
function counting<Tx>(db: SqlDatabase<Tx>, counts: Counts): SqlDatabase<Tx> {
  return {
    query: (text, values, name) => {
      counts.commits++;
      counts.statements++;
      return db.query(text, values, name);
    },
    transaction: (work) => {
      counts.commits++;
      counts.statements += 2; // BEGIN, COMMIT
      return db.transaction((tx, query) =>
        work(tx, (text, values, name) => {
          counts.statements++;
          return query(text, values, name);
        }),
      );
    },
  };
}

let next = 0;

async function throughput(
  op: (i: number) => Promise<unknown>,
  ms: number,
  concurrency: number,
): Promise<number> {
  let done = 0;
  const until = performance.now() + ms;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      await op(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - started) / 1000);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export async function measureDeliveryPaths(
  settings: DeliveryPathSettings,
  log: (line: string) => void,
): Promise<DeliveryPathResult> {
  const run = randomBytes(4).toString('hex');
  const schema = `ttpay_bench_paths_${run}`;
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: settings.concurrency,
    connectionTimeoutMillis: 3_000,
  });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    const table = `${schema}.ttpay_idempotency`;
    await new PostgresStore({ pool, table }).setup();
    await pool.query(`CREATE TABLE ${schema}.floor (LIKE ${table} INCLUDING ALL)`);
    const database = pgDatabase(pool);
    const counts: Record<DeliveryPathRow['path'], Counts> = {
      floor: { deliveries: 0, commits: 0, statements: 0 },
      atomic: { deliveries: 0, commits: 0, statements: 0 },
      lease: { deliveries: 0, commits: 0, statements: 0 },
    };
    const floorDb = counting(database, counts.floor);
    const atomicStore = new PostgresStore({ database: counting(database, counts.atomic), table });
    const leaseStore = new PostgresStore({ database: counting(database, counts.lease), table });
    const noWork = async (): Promise<void> => {};
    const ops: Record<DeliveryPathRow['path'], (i: number) => Promise<unknown>> = {
      floor: async (i) => {
        counts.floor.deliveries++;
        await floorDb.transaction((_tx, query) =>
          query(
            `INSERT INTO ${schema}.floor (key, state, token, expires_at) VALUES ($1, 'done', 'x', now() + interval '2 days') ON CONFLICT (key) DO NOTHING`,
            [`f${i}`],
          ),
        );
      },
      atomic: async (i) => {
        counts.atomic.deliveries++;
        const run = await atomicStore.processOnce(`a${i}`, 172_800_000, noWork);
        if (run.status !== 'processed') throw new Error(`a${i} was not a first delivery (${run.status})`);
      },
      lease: async (i) => {
        counts.lease.deliveries++;
        const claim = await leaseStore.claim(`l${i}`, 300_000);
        if (claim.status !== 'claimed') throw new Error(`l${i} was not a first delivery (${claim.status})`);
        await leaseStore.completeWithin(claim.lease, 172_800_000, noWork);
      },
    };
    const paths = Object.keys(ops) as DeliveryPathRow['path'][];
    for (const path of paths)
      await throughput(ops[path], Math.min(200, settings.roundMs), settings.concurrency);
    const perRound: Record<DeliveryPathRow['path'], number[]> = { floor: [], atomic: [], lease: [] };
    for (let round = 0; round < settings.rounds; round++) {
      // Rotated each round, so no path always runs right after another.
      const order = [...paths.slice(round % paths.length), ...paths.slice(0, round % paths.length)];
      for (const path of order)
        perRound[path].push(await throughput(ops[path], settings.roundMs, settings.concurrency));
    }
    const LABEL: Record<DeliveryPathRow['path'], string> = {
      floor: 'floor: `BEGIN; INSERT … ON CONFLICT DO NOTHING; COMMIT`',
      atomic: '**`processOnce`** (claim + work + done-record, one transaction)',
      lease: '`claim` + `completeWithin` (the lease path)',
    };
    const rows = paths.map((path): DeliveryPathRow => {
      const c = counts[path];
      return {
        path,
        label: LABEL[path],
        deliveriesPerSecond: median(perRound[path]),
        ratio: median(perRound[path].map((v, i) => v / (perRound.floor[i] as number))),
        commitsPerDelivery: c.commits / c.deliveries,
        statementsPerDelivery: c.statements / c.deliveries,
      };
    });
    for (const r of rows) {
      log(
        `  ${r.path.padEnd(7)} ${Math.round(r.deliveriesPerSecond)}/s (${r.ratio.toFixed(2)}× the floor), ${r.commitsPerDelivery.toFixed(2)} commits and ${r.statementsPerDelivery.toFixed(2)} statements per delivery`,
      );
    }
    return { measured: true, rows };
  } catch (error) {
    const reason = (error instanceof Error ? error.message.split('\n')[0] : String(error)) ?? 'unknown';
    log(`  not measured: ${reason}`);
    return { measured: false, reason, rows: [] };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await pool.end();
  }
}
