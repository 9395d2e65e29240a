import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Simulator, startSimulator } from '@ttpay/simulator';
import { afterAll } from 'vitest';
import { connectPostgres, freshSchema, urlInSchema } from '../../../test/support/postgres.js';
import { createShop, type Shop, type ShopDeps } from '../src/app.js';
import { type Env, loadConfig, type ShopConfig } from '../src/config.js';
import { openDatabase, type ShopDatabase } from '../src/db/database.js';
import { createLogger, type Logger } from '../src/logger.js';

/** A pino logger whose JSON lines the test can read. */
export function captureLogger(level: 'debug' | 'info' | 'warn' = 'debug'): {
  logger: Logger;
  lines: Record<string, unknown>[];
  text: () => string;
} {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void raw.push(line) });
  return {
    logger,
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}

let fileSchema: Promise<{ url: string; drop: () => Promise<void> }> | undefined;

/**
 * DATABASE_URL in a schema of this test file's own, created on first use and dropped after the file: the
 * shops a test file starts share it, as instances share one database. (A real PostgreSQL opens in
 * milliseconds; the embedded PGlite takes seconds to boot, so only the tests about it use it.)
 */
export function fileDatabaseUrl(): Promise<string> {
  fileSchema ??= (async () => {
    const admin = await connectPostgres();
    const schema = await freshSchema(admin, 'shop');
    return {
      url: urlInSchema(schema.name),
      drop: async () => {
        await schema.drop();
        // The jobs' tables live beside it (`<schema>_jobs`, src/jobs/shop-jobs.ts).
        await admin.query(`DROP SCHEMA IF EXISTS "${schema.name}_jobs" CASCADE`);
        await admin.end();
      },
    };
  })();
  return fileSchema.then((s) => s.url);
}

let fileDatabase: Promise<ShopDatabase> | undefined;

/** One database handle on this file's schema, shared by the shops that are not given their own. */
export function testDatabase(): Promise<ShopDatabase> {
  fileDatabase ??= fileDatabaseUrl().then((url) => openDatabase({ databaseUrl: url, dataDir: 'unused' }));
  return fileDatabase;
}

afterAll(async () => {
  if (fileDatabase) await (await fileDatabase).close();
  if (fileSchema) await (await fileSchema).drop();
});

export interface Running {
  sim: Simulator;
  shop: Shop;
  url: string;
  logs: ReturnType<typeof captureLogger>;
  close(): Promise<void>;
}

/** A shop on a free loopback port, pointed at `sim` (which the caller owns and closes). */
export interface RunningShop {
  shop: Shop;
  url: string;
  logs: ReturnType<typeof captureLogger>;
  /** The shop's graceful `stop()`. */
  close(): Promise<void>;
}

/**
 * The shop as `createShop` builds it from `env` (orders and idempotency on this file's PostgreSQL schema
 * unless `env` says otherwise; the jobs in the same database), pointed at the simulator, with its logs
 * captured. Several may share one simulator and one database: instances behind one balancer.
 */
export async function startShop(sim: Simulator, env: Env = {}, deps: ShopDeps = {}): Promise<RunningShop> {
  const logs = captureLogger();
  const config = await loadConfig(
    await testEnv({ DOUYIN_API_BASE: sim.url, TIKTOK_API_BASE: sim.url, ALGOVOI_API_BASE: sim.url, ...env }),
  );
  const ownDatabase = Boolean(env.DATABASE_URL || env.DATA_DIR);
  const shop = await createShop(config, {
    logger: logs.logger,
    jobPollSeconds: 0.5,
    ...(ownDatabase || deps.database ? {} : { database: await testDatabase() }),
    ...deps,
  });
  try {
    const { url } = await shop.start({ host: '127.0.0.1' });
    return { shop, url, logs, close: () => shop.stop() };
  } catch (error) {
    await shop.stop();
    throw error;
  }
}

/**
 * The simulator and the shop on free loopback ports, the shop built by `createShop` with the
 * simulator's URLs — as `pnpm demo` runs it.
 */
export async function startShopWithSimulator(env: Env = {}, deps: ShopDeps = {}): Promise<Running> {
  const sim = await startSimulator({ timeScale: 0.0001 });
  const logs = captureLogger();
  const running = await startShop(sim, env, { logger: logs.logger, ...deps });
  return {
    sim,
    shop: running.shop,
    url: running.url,
    logs,
    async close() {
      await running.close();
      await sim.close();
    },
  };
}

/**
 * A test's environment: port 0, no reconciliation timer, and this file's database unless `env` names
 * one (DATABASE_URL, or DATA_DIR for the embedded PGlite).
 */
export async function testEnv(env: Env = {}): Promise<Env> {
  const database = env.DATABASE_URL || env.DATA_DIR ? {} : { DATABASE_URL: await fileDatabaseUrl() };
  return { PORT: '0', RECONCILE_EVERY_MS: '0', ...database, ...env };
}

/** `createShop` for a test: this file's database unless `deps` brings one. */
export async function createTestShop(config: ShopConfig, deps: ShopDeps = {}): Promise<Shop> {
  return createShop(config, {
    jobPollSeconds: 0.5,
    // These shops test routes and config, often on the real platform hosts' URLs: no job may call out
    // (the repeating reconciliation would ask TikTok's real host for its backfill). Jobs: startShop.
    runJobs: false,
    ...(deps.database ? {} : { database: await testDatabase() }),
    ...deps,
  });
}

export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function getJson<T = Record<string, unknown>>(
  url: string,
): Promise<{ status: number; json: T }> {
  const res = await fetch(url);
  return { status: res.status, json: (await res.json()) as T };
}

/** A fixture delivery sent byte for byte. */
export async function deliver(
  url: string,
  d: { body: Buffer; headers: Record<string, string> },
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
  return { status: res.status, text: await res.text() };
}

export async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The compiled shop (`dist/main.js`) or demo (`demo/dist/main.js`), for the tests that run it as a process. */
export function distEntry(entry: 'dist/main.js' | 'demo/dist/main.js'): string {
  const path = fileURLToPath(new URL(`../${entry}`, import.meta.url));
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`pnpm build\` first (the root \`pnpm test\` does).`);
  }
  return path;
}
