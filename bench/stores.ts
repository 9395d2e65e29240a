/**
 * First claims per second of each first-party store, against the bare command it is built on, in the same
 * run: MemoryStore vs a bare `Map` get+set, RedisStore vs a bare `SET key v NX PX`, PostgresStore vs a
 * bare `INSERT … ON CONFLICT DO NOTHING` into a table of the same shape. Every operation is a fresh key
 * (a first delivery), `concurrency` of them in flight at once, ours and the floor alternating per round.
 *
 * Redis and PostgreSQL are the servers the tests use (REDIS_URL / DATABASE_URL, or 127.0.0.1); a store
 * whose server is not there is reported as not measured, with the reason.
 */
import { randomBytes } from 'node:crypto';
import type { IdempotencyStore } from '@ttpay/core';
import { MemoryStore } from '@ttpay/koa';
import { PostgresStore } from '@ttpay/store-postgres';
import { RedisStore } from '@ttpay/store-redis';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface StoreBenchSettings {
  /** Length of one measured round, ms. */
  roundMs: number;
  rounds: number;
  /** Operations in flight at once (an app under load: many deliveries waiting on the store). */
  concurrency: number;
}

export interface StoreBenchRow {
  store: 'MemoryStore' | 'RedisStore' | 'PostgresStore';
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
  for (let round = 0; round < settings.rounds; round++) {
    oursRuns.push(await throughput(ours, settings.roundMs, settings.concurrency));
    floorRuns.push(await throughput(floor, settings.roundMs, settings.concurrency));
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

  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
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
    // Only our keys, by SCAN: other people use this server too.
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } catch (error) {
    rows.push(notMeasured('RedisStore', 'SET NX PX', error));
  } finally {
    redis.disconnect();
  }

  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const pool = new pg.Pool({
    connectionString: databaseUrl,
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
    rows.push(
      await compare(
        'PostgresStore',
        'INSERT … ON CONFLICT DO NOTHING (one statement)',
        (i) => firstClaim(store, String(i)),
        (i) =>
          pool.query(
            `INSERT INTO ${schema}.floor (key, state, token, expires_at) VALUES ($1, 'in-flight', 'x', now() + interval '5 minutes') ON CONFLICT (key) DO NOTHING`,
            [String(i)],
          ),
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
