/**
 * First claims per second of each first-party store, against the bare command it is built on, in the same
 * run: MemoryStore vs a bare `Map` get+set, RedisStore vs a bare `SET key v NX PX`, PostgresStore vs a
 * bare `INSERT … ON CONFLICT DO NOTHING` into a table of the same shape. Every operation is a fresh key
 * (a first delivery), `concurrency` of them in flight at once, ours and the floor alternating per round.
 * Then (`measureClaimGrowth`) how a first claim's cost grows with the keys a store remembers: each store
 * is filled with done keys up to each checkpoint (10k → 1M) and first claims are timed there.
 *
 * Redis and PostgreSQL are the servers the tests use (REDIS_URL / DATABASE_URL, or 127.0.0.1); a store
 * whose server is not there is reported as not measured, with the reason.
 */
import { randomBytes } from 'node:crypto';
import type { IdempotencyStore } from '@ttpay/core/store';
import { MemoryStore } from '@ttpay/koa';
import { PostgresStore } from '@ttpay/store-postgres';
import { RedisStore } from '@ttpay/store-redis';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL } from './http/apps.js';
import { deleteByPrefix } from './http/scale.js';

export interface StoreBenchSettings {
  /** Length of one measured round, ms. */
  roundMs: number;
  rounds: number;
  /** Operations in flight at once (an app under load: many deliveries waiting on the store). */
  concurrency: number;
}

export interface StoreBenchRow {
  /** The store, and how it is set up when that matters (`PostgresStore, preparedStatements: false`). */
  store: string;
  floor: string;
  measured: boolean;
  reason?: string;
  /** Medians over the rounds, operations per second. */
  claimsPerSecond: number;
  floorPerSecond: number;
  /** claim ÷ floor throughput, median of the per-round ratios. */
  ratio: number;
}

const LEASE_MS = 300_000;

/** Every operation of the run gets a number never used before: each key is a first delivery. */
let next = 0;

/** Runs `op` for `ms` with `concurrency` in flight; returns operations per second. */
async function throughput(op: (i: number) => unknown, ms: number, concurrency: number): Promise<number> {
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function compare(
  store: StoreBenchRow['store'],
  floorLabel: string,
  ours: (i: number) => unknown,
  floor: (i: number) => unknown,
  settings: StoreBenchSettings,
): Promise<StoreBenchRow> {
  const oursRuns: number[] = [];
  const floorRuns: number[] = [];
  // Warm-up: connections, scripts, JIT.
  await throughput(ours, Math.min(200, settings.roundMs), settings.concurrency);
  await throughput(floor, Math.min(200, settings.roundMs), settings.concurrency);
  // ABBA: ours first in one round, the floor first in the next, so neither always follows the other.
  for (let round = 0; round < settings.rounds; round++) {
    if (round % 2 === 0) {
      oursRuns.push(await throughput(ours, settings.roundMs, settings.concurrency));
      floorRuns.push(await throughput(floor, settings.roundMs, settings.concurrency));
    } else {
      floorRuns.push(await throughput(floor, settings.roundMs, settings.concurrency));
      oursRuns.push(await throughput(ours, settings.roundMs, settings.concurrency));
    }
  }
  return {
    store,
    floor: floorLabel,
    measured: true,
    claimsPerSecond: median(oursRuns),
    floorPerSecond: median(floorRuns),
    ratio: median(oursRuns.map((o, i) => o / (floorRuns[i] as number))),
  };
}

const notMeasured = (store: StoreBenchRow['store'], floor: string, error: unknown): StoreBenchRow => ({
  store,
  floor,
  measured: false,
  reason: error instanceof Error ? error.message.split('\n')[0] : String(error),
  claimsPerSecond: Number.NaN,
  floorPerSecond: Number.NaN,
  ratio: Number.NaN,
});

/** One claim of a key never seen: what a first delivery costs the store before the handler runs. */
async function firstClaim(store: IdempotencyStore, key: string): Promise<void> {
  const claim = await store.claim(key, LEASE_MS);
  if (claim.status !== 'claimed') throw new Error(`${key} was not a first delivery (${claim.status})`);
}

export async function measureStoreClaims(
  settings: StoreBenchSettings,
  log: (line: string) => void,
): Promise<StoreBenchRow[]> {
  const run = randomBytes(4).toString('hex');
  const rows: StoreBenchRow[] = [];

  {
    const store = new MemoryStore({ maxEntries: 1_000_000 });
    const map = new Map<string, number>();
    rows.push(
      await compare(
        'MemoryStore',
        'Map get + set (claim + complete)',
        // In process, the claim alone would fill the store with live claims within a round (which it
        // then refuses: back-pressure), so the pair a delivery costs: claim, then complete.
        (i) => {
          const claim = store.claim(`m:${run}:${i}`, LEASE_MS);
          if (claim.status !== 'claimed') throw new Error(`not a first delivery (${claim.status})`);
          store.complete(claim.lease, LEASE_MS);
        },
        (i) => {
          const key = `f:${run}:${i}`;
          if (map.get(key) === undefined) map.set(key, i);
          if (map.size > 1_000_000) map.clear();
        },
        settings,
      ),
    );
  }

  const redisUrl = REDIS_URL;
  const prefix = `ttpay-bench:${run}:`;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const store = new RedisStore({ client: redis, prefix: `${prefix}s:` });
    rows.push(
      await compare(
        'RedisStore',
        'SET key v NX PX (one command)',
        (i) => firstClaim(store, String(i)),
        (i) => redis.set(`${prefix}f:${i}`, 'inflight:x', 'PX', LEASE_MS, 'NX'),
        settings,
      ),
    );
    await deleteByPrefix(redis, prefix);
  } catch (error) {
    rows.push(notMeasured('RedisStore', 'SET NX PX', error));
  } finally {
    redis.disconnect();
  }

  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: settings.concurrency,
    connectionTimeoutMillis: 3_000,
  });
  pool.on('error', () => {});
  const schema = `ttpay_bench_${run}`;
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    const store = new PostgresStore({ pool, table: `${schema}.ttpay_idempotency` });
    await store.setup();
    await pool.query(`CREATE TABLE ${schema}.floor (LIKE ${schema}.ttpay_idempotency INCLUDING ALL)`);
    const floor = (i: number) =>
      pool.query(
        `INSERT INTO ${schema}.floor (key, state, token, expires_at) VALUES ($1, 'in-flight', 'x', now() + interval '5 minutes') ON CONFLICT (key) DO NOTHING`,
        [String(i)],
      );
    rows.push(
      await compare(
        'PostgresStore',
        'INSERT … ON CONFLICT DO NOTHING (one statement)',
        (i) => firstClaim(store, String(i)),
        floor,
        settings,
      ),
    );
    // Behind a pooler that cannot keep prepared statements: what naming them is worth.
    const unprepared = new PostgresStore({
      pool,
      table: `${schema}.ttpay_idempotency`,
      preparedStatements: false,
    });
    rows.push(
      await compare(
        'PostgresStore, preparedStatements: false',
        'INSERT … ON CONFLICT DO NOTHING (one statement)',
        (i) => firstClaim(unprepared, `u${i}`),
        floor,
        settings,
      ),
    );
  } catch (error) {
    rows.push(notMeasured('PostgresStore', 'INSERT … ON CONFLICT', error));
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await pool.end();
  }

  for (const r of rows) {
    log(
      r.measured
        ? `  ${r.store.padEnd(14)} claim ${Math.round(r.claimsPerSecond)}/s, floor (${r.floor}) ${Math.round(r.floorPerSecond)}/s: ${r.ratio.toFixed(2)}×`
        : `  ${r.store.padEnd(14)} not measured: ${r.reason}`,
    );
  }
  return rows;
}

export interface ClaimGrowthRow {
  store: StoreBenchRow['store'];
  measured: boolean;
  reason?: string;
  /** First claims per second with `keys` done keys remembered, one point per checkpoint. */
  points: { keys: number; claimsPerSecond: number }[];
}

const DONE_TTL_MS = 48 * 60 * 60 * 1000;

/** Redis: fills `from`…`to` - 1 as done keys in one server-side loop per batch (no round trip per key). */
const FILL_REDIS = `
for i = tonumber(ARGV[1]), tonumber(ARGV[2]) - 1 do
  redis.call('SET', KEYS[1] .. i, 'done:fill', 'PX', ARGV[3])
end
return 1
`;

/**
 * A first claim's cost as the store remembers more keys. The fill writes done-records the way each
 * store keeps them (MemoryStore through claim + complete; Redis and PostgreSQL in bulk, server-side);
 * the claims then measured are of keys never seen.
 */
export async function measureClaimGrowth(
  checkpoints: readonly number[],
  settings: StoreBenchSettings,
  log: (line: string) => void,
): Promise<ClaimGrowthRow[]> {
  const run = randomBytes(4).toString('hex');
  const rows: ClaimGrowthRow[] = [];
  const rate = async (store: IdempotencyStore, tag: string): Promise<number> => {
    const runs: number[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      runs.push(
        await throughput((i) => firstClaim(store, `${tag}:${i}`), settings.roundMs, settings.concurrency),
      );
    }
    return median(runs);
  };
  const grow = async (
    store: ClaimGrowthRow['store'],
    fill: (from: number, to: number) => Promise<void>,
    claims: IdempotencyStore,
  ): Promise<ClaimGrowthRow> => {
    const points: ClaimGrowthRow['points'] = [];
    // Warm-up (connections, scripts, JIT), not counted.
    await throughput(
      (i) => firstClaim(claims, `w:${i}`),
      Math.min(200, settings.roundMs),
      settings.concurrency,
    );
    let filled = 0;
    for (const keys of checkpoints) {
      await fill(filled, keys);
      filled = keys;
      points.push({ keys, claimsPerSecond: await rate(claims, `c${keys}`) });
    }
    return { store, measured: true, points };
  };

  {
    const store = new MemoryStore({ maxEntries: Math.max(...checkpoints) + 100_000 });
    rows.push(
      await grow(
        'MemoryStore',
        async (from, to) => {
          for (let i = from; i < to; i++) {
            const claim = store.claim(`fill:${i}`, LEASE_MS);
            if (claim.status === 'claimed') store.complete(claim.lease, DONE_TTL_MS);
          }
        },
        // Claims alone would pile up live claims; what a delivery costs is claim + complete anyway.
        {
          claim: (key, leaseMs) => {
            const claim = store.claim(key, leaseMs);
            if (claim.status === 'claimed') store.complete(claim.lease, DONE_TTL_MS);
            return claim;
          },
          complete: () => {},
          release: () => {},
        },
      ),
    );
  }

  const prefix = `ttpay-bench-growth:${run}:`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const store = new RedisStore({ client: redis, prefix });
    rows.push(
      await grow(
        'RedisStore',
        async (from, to) => {
          // Batches of 20 000 keep Redis answering others in between (it is shared).
          for (let i = from; i < to; i += 20_000) {
            await redis.eval(FILL_REDIS, 1, `${prefix}fill:`, i, Math.min(to, i + 20_000), DONE_TTL_MS);
          }
        },
        store,
      ),
    );
  } catch (error) {
    rows.push({ store: 'RedisStore', measured: false, reason: reasonOf(error), points: [] });
  } finally {
    await deleteByPrefix(redis, prefix).catch(() => {});
    redis.disconnect();
  }

  const schema = `ttpay_bench_growth_${run}`;
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: settings.concurrency,
    connectionTimeoutMillis: 3_000,
  });
  pool.on('error', () => {});
  try {
    await pool.query(`CREATE SCHEMA ${schema}`);
    const table = `${schema}.ttpay_idempotency`;
    const store = new PostgresStore({ pool, table });
    await store.setup();
    rows.push(
      await grow(
        'PostgresStore',
        async (from, to) => {
          for (let i = from; i < to; i += 100_000) {
            await pool.query(
              `INSERT INTO ${table} (key, state, token, expires_at)
               SELECT 'fill:' || g, 'done', 'fill', now() + interval '2 days'
               FROM generate_series($1::int, $2::int) AS g`,
              [i, Math.min(to, i + 100_000) - 1],
            );
          }
          // Fresh statistics, as autovacuum would keep them on a table that grew this much.
          await pool.query(`ANALYZE ${table}`);
        },
        store,
      ),
    );
  } catch (error) {
    rows.push({ store: 'PostgresStore', measured: false, reason: reasonOf(error), points: [] });
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await pool.end();
  }

  for (const r of rows) {
    log(
      r.measured
        ? `  ${r.store.padEnd(14)} ${r.points.map((p) => `${p.keys.toLocaleString('en')} keys ${Math.round(p.claimsPerSecond)}/s`).join(', ')}`
        : `  ${r.store.padEnd(14)} not measured: ${r.reason}`,
    );
  }
  return rows;
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message.split('\n')[0] : String(error)) ?? 'unknown';
}
