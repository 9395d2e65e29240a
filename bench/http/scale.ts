/**
 * Deliveries per second with one and with two app processes on one shared store: the full stack
 * (`douyinCallbacks` + no-op handler) on RedisStore and on PostgresStore, every delivery a first one.
 * Two server processes run throughout; a "1 process" round loads one of them with every connection, a
 * "2 processes" round loads both at once with half the connections each, in ABBA order. Each server
 * gets deliveries of its own, so no delivery is seen twice across the two.
 *
 * Redis and PostgreSQL are the servers the tests use; the keys go under a prefix of this run (deleted
 * afterwards, by SCAN: others use the server too) and the table into a schema of this run (dropped).
 */
import { randomBytes } from 'node:crypto';
import { PostgresStore } from '@ttpay/store-postgres';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL } from './apps.js';
import { measure, type RunningServer, startServer, stopServer } from './load.js';

export interface ScaleSettings {
  connections: number;
  warmupSeconds: number;
  /** Seconds per round; rounds alternate 1 process, 2 processes, 2, 1, … */
  roundSeconds: number;
  rounds: number;
}

export interface ScaleRow {
  store: 'RedisStore' | 'PostgresStore';
  measured: boolean;
  reason?: string;
  /** Deliveries answered per second, median over its rounds. */
  oneProcess: number;
  twoProcesses: number;
  /** two ÷ one, median of the ratios of neighbouring rounds. */
  ratio: number;
  /** Deliveries answered with anything but 200, or failed, over the whole run (should be 0). */
  failures: number;
  reusedBodies: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Deliveries per second in the last round of `server` (failures are counted apart). */
function lastRate(server: RunningServer): number {
  return server.rounds.at(-1)?.requestsPerSec ?? 0;
}

async function runStore(
  store: ScaleRow['store'],
  env: NodeJS.ProcessEnv,
  bodies: [readonly Buffer[], readonly Buffer[]],
  settings: ScaleSettings,
): Promise<ScaleRow> {
  const variant = store === 'RedisStore' ? 'ttpay-redis' : 'ttpay-postgres';
  const servers: RunningServer[] = [];
  try {
    for (const own of bodies) servers.push(await startServer(variant, own, { env }));
    const [a, b] = servers as [RunningServer, RunningServer];
    const half = Math.max(1, settings.connections >> 1);
    await Promise.all(servers.map((s) => measure(s, half, settings.warmupSeconds)));
    const one: number[] = [];
    const two: number[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      // ABBA: 1, 2, 2, 1, …
      if (round % 4 === 0 || round % 4 === 3) {
        await measure(a, settings.connections, settings.roundSeconds);
        one.push(lastRate(a));
      } else {
        await Promise.all([a, b].map((s) => measure(s, half, settings.roundSeconds)));
        two.push(lastRate(a) + lastRate(b));
      }
    }
    const pairs = one.map((o, i) => (two[i] ?? two.at(-1) ?? 0) / o);
    return {
      store,
      measured: true,
      oneProcess: median(one),
      twoProcesses: median(two),
      ratio: median(pairs),
      failures: servers.reduce((n, s) => n + s.totals.non2xx + s.totals.errors, 0),
      reusedBodies: servers.reduce((n, s) => n + s.reusedBodies, 0),
    };
  } finally {
    await Promise.all(servers.map((s) => stopServer(s.child)));
  }
}

const notMeasured = (store: ScaleRow['store'], error: unknown): ScaleRow => ({
  store,
  measured: false,
  reason: error instanceof Error ? error.message.split('\n')[0] : String(error),
  oneProcess: Number.NaN,
  twoProcesses: Number.NaN,
  ratio: Number.NaN,
  failures: 0,
  reusedBodies: 0,
});

export async function measureScale(
  settings: ScaleSettings,
  bodies: [readonly Buffer[], readonly Buffer[]],
  log: (line: string) => void,
): Promise<ScaleRow[]> {
  const run = randomBytes(4).toString('hex');
  const rows: ScaleRow[] = [];

  const prefix = `ttpay-bench-scale:${run}:`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    rows.push(await runStore('RedisStore', { BENCH_STORE_PREFIX: prefix }, bodies, settings));
  } catch (error) {
    rows.push(notMeasured('RedisStore', error));
  } finally {
    await deleteByPrefix(redis, prefix).catch(() => {});
    redis.disconnect();
  }

  const schema = `ttpay_bench_scale_${run}`;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2, connectionTimeoutMillis: 3_000 });
  pool.on('error', () => {});
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    const table = `${schema}.ttpay_idempotency`;
    await new PostgresStore({ pool, table }).setup();
    rows.push(await runStore('PostgresStore', { BENCH_STORE_TABLE: table }, bodies, settings));
  } catch (error) {
    rows.push(notMeasured('PostgresStore', error));
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await pool.end();
  }

  for (const r of rows) {
    log(
      r.measured
        ? `  ${r.store.padEnd(14)} 1 process ${Math.round(r.oneProcess)}/s, 2 processes ${Math.round(r.twoProcesses)}/s: ${r.ratio.toFixed(2)}×` +
            (r.failures || r.reusedBodies ? ` (failures ${r.failures}, bodies reused ${r.reusedBodies})` : '')
        : `  ${r.store.padEnd(14)} not measured: ${r.reason}`,
    );
  }
  return rows;
}

/** Deletes this run's keys only, by SCAN (other people use this Redis too). */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
}
