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
import { readFileSync } from 'node:fs';
import { PostgresStore } from '@ttpay/store-postgres';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL } from './apps.js';
import { measure, type RunningServer, serverUsage, startServer, stopServer } from './load.js';

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
  /** Where the CPU went, with one and with two app processes (PostgreSQL only: its backends are ours). */
  cpu?: { one: CpuShare; two: CpuShare };
}

/** CPU per delivery by party, and how many of the machine's cores were busy with all of it. */
export interface CpuShare {
  /** The app processes (every thread), µs per delivery. */
  appMicros: number;
  /** The PostgreSQL backends serving them (found by application_name), µs per delivery. */
  postgresMicros: number;
  /** The load generator (autocannon, in the bench process), µs per delivery. */
  loadMicros: number;
  /** (app + PostgreSQL + load generator) CPU time ÷ wall time. */
  coresBusy: number;
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) of a process so far, µs; 0 when it is gone or /proc is not there. */
function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name, which may hold spaces: state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
  } catch {
    return 0;
  }
}

interface CpuSnapshot {
  app: number;
  postgres: Map<number, number>;
  load: number;
  at: number;
  deliveries: number;
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
  postgres?: { pool: pg.Pool; applicationName: string },
): Promise<ScaleRow> {
  const variant = store === 'RedisStore' ? 'ttpay-redis' : 'ttpay-postgres';
  const servers: RunningServer[] = [];
  const snapshot = async (): Promise<CpuSnapshot> => {
    const usages = await Promise.all(servers.map((s) => serverUsage(s.child)));
    const backends = new Map<number, number>();
    if (postgres) {
      const { rows } = await postgres.pool.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
        [postgres.applicationName],
      );
      for (const { pid } of rows) backends.set(pid, processCpuMicros(pid));
    }
    const load = process.cpuUsage();
    return {
      app: usages.reduce((n, u) => n + u.cpuMicros, 0),
      postgres: backends,
      load: load.user + load.system,
      at: performance.now(),
      deliveries: servers.reduce((n, s) => n + s.totals.answered, 0),
    };
  };
  interface CpuTotals {
    app: number;
    postgres: number;
    load: number;
    wallMicros: number;
    deliveries: number;
  }
  const zero = (): CpuTotals => ({ app: 0, postgres: 0, load: 0, wallMicros: 0, deliveries: 0 });
  const totals = { one: zero(), two: zero() };
  const account = (mode: 'one' | 'two', before: CpuSnapshot, after: CpuSnapshot): void => {
    let pgMicros = 0;
    // A backend opened during the round counts from 0 (its whole life is in the round).
    for (const [pid, cpu] of after.postgres) pgMicros += cpu - (before.postgres.get(pid) ?? 0);
    const t = totals[mode];
    t.app += after.app - before.app;
    t.postgres += pgMicros;
    t.load += after.load - before.load;
    t.wallMicros += (after.at - before.at) * 1000;
    t.deliveries += after.deliveries - before.deliveries;
  };
  const share = (t: CpuTotals): CpuShare => ({
    appMicros: t.app / t.deliveries,
    postgresMicros: t.postgres / t.deliveries,
    loadMicros: t.load / t.deliveries,
    coresBusy: (t.app + t.postgres + t.load) / t.wallMicros,
  });
  try {
    for (const own of bodies) servers.push(await startServer(variant, own, { env }));
    const [a, b] = servers as [RunningServer, RunningServer];
    const half = Math.max(1, settings.connections >> 1);
    await Promise.all(servers.map((s) => measure(s, half, settings.warmupSeconds)));
    const one: number[] = [];
    const two: number[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      const before = await snapshot();
      // ABBA: 1, 2, 2, 1, …
      if (round % 4 === 0 || round % 4 === 3) {
        await measure(a, settings.connections, settings.roundSeconds);
        one.push(lastRate(a));
        account('one', before, await snapshot());
      } else {
        await Promise.all([a, b].map((s) => measure(s, half, settings.roundSeconds)));
        two.push(lastRate(a) + lastRate(b));
        account('two', before, await snapshot());
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
      ...(postgres ? { cpu: { one: share(totals.one), two: share(totals.two) } } : {}),
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
    const applicationName = `ttpay_bench_scale_${run}`;
    rows.push(
      await runStore(
        'PostgresStore',
        { BENCH_STORE_TABLE: table, BENCH_APPLICATION_NAME: applicationName },
        bodies,
        settings,
        { pool, applicationName },
      ),
    );
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
            (r.failures || r.reusedBodies
              ? ` (failures ${r.failures}, bodies reused ${r.reusedBodies})`
              : '') +
            (r.cpu
              ? `; per delivery app ${r.cpu.one.appMicros.toFixed(0)}/${r.cpu.two.appMicros.toFixed(0)} µs, PostgreSQL ${r.cpu.one.postgresMicros.toFixed(0)}/${r.cpu.two.postgresMicros.toFixed(0)} µs, load generator ${r.cpu.one.loadMicros.toFixed(0)}/${r.cpu.two.loadMicros.toFixed(0)} µs; cores busy ${r.cpu.one.coresBusy.toFixed(2)}/${r.cpu.two.coresBusy.toFixed(2)} (1/2 processes)`
              : '')
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
