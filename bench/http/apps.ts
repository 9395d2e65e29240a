import { createHash, timingSafeEqual } from 'node:crypto';
import type { IdempotencyStore } from '@ttpay/core/store';
import { douyinCallbacks, MemoryStore } from '@ttpay/koa';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';

/**
 * The servers compared: the same route, the same acknowledgement, different amounts of work. `checked`
 * (hand-written code with the checks ttpay makes: a constant-time compare, de-duplication around an
 * awaited handler) is the baseline of the target; `naive` (what a user often writes: `===`, no
 * de-duplication), `bare-read` (reading the body, nothing else) and `bare` (reads nothing) are shown for
 * context. `ttpay-redis` and `ttpay-postgres` are the full stack on a shared store, for the scale runs
 * (bench/http/scale.ts): they take the store's place from BENCH_STORE_PREFIX / BENCH_STORE_TABLE.
 */
export const VARIANTS = [
  'bare',
  'bare-read',
  'ttpay',
  'checked',
  'naive',
  'ttpay-redis',
  'ttpay-postgres',
] as const;
export type Variant = (typeof VARIANTS)[number];
/** The servers of the main comparison. */
export const COMPARED = [
  'bare',
  'bare-read',
  'ttpay',
  'checked',
  'naive',
] as const satisfies readonly Variant[];

export const CALLBACK_PATH = '/douyin/notify';
/** The console Token the bench signs its callbacks with (a bench value, protects nothing). */
export const BENCH_TOKEN = 'bench_douyin_token';

const ACK = { err_no: 0, err_tips: 'success' };

export function isVariant(value: unknown): value is Variant {
  return (VARIANTS as readonly unknown[]).includes(value);
}

/** A handler that does nothing, so only the framework and the verification are measured. */
const noop = (): void => {};

export async function createApp(variant: Variant): Promise<Koa> {
  const app = new Koa();
  switch (variant) {
    case 'bare':
      // The floor: Koa answering the same JSON, reading and verifying nothing.
      app.use((ctx) => {
        if (ctx.method === 'POST' && ctx.path === CALLBACK_PATH) ctx.body = ACK;
      });
      break;
    case 'bare-read':
      // What receiving the body costs on its own: read every byte, then the same reply.
      app.use(async (ctx) => {
        if (ctx.method !== 'POST' || ctx.path !== CALLBACK_PATH) return;
        for await (const _chunk of ctx.req);
        ctx.body = ACK;
      });
      break;
    case 'ttpay':
    case 'ttpay-redis':
    case 'ttpay-postgres':
      // The full stack: raw body, JSON, SHA-1 verification, typed event, store claim/complete, ack.
      app.use(
        douyinCallbacks({
          path: CALLBACK_PATH,
          token: BENCH_TOKEN,
          store: await storeFor(variant),
          onPayment: noop,
        }),
      );
      break;
    case 'checked':
      app.use(bodyParser());
      app.use(checkedCallbackRoute());
      break;
    case 'naive':
      app.use(bodyParser());
      app.use(naiveCallbackRoute);
      break;
  }
  return app;
}

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The store of a full-stack variant. The Redis and PostgreSQL clients are imported only by the servers
 * that use them: merely loading ioredis made string-heavy JavaScript in the same process (a charCodeAt
 * loop, trim, isWellFormed) 2–7× slower on Node 20 (bench/PROFILE.md), and the other servers must not
 * pay for it.
 */
async function storeFor(variant: 'ttpay' | 'ttpay-redis' | 'ttpay-postgres'): Promise<IdempotencyStore> {
  switch (variant) {
    case 'ttpay':
      return new MemoryStore();
    case 'ttpay-redis': {
      const { RedisStore } = await import('@ttpay/store-redis');
      return new RedisStore({ url: REDIS_URL, prefix: setting('BENCH_STORE_PREFIX') });
    }
    case 'ttpay-postgres': {
      const { PostgresStore } = await import('@ttpay/store-postgres');
      // The parent created the table (PostgresStore.setup) in a schema of this run.
      return new PostgresStore({
        connectionString: DATABASE_URL,
        table: setting('BENCH_STORE_TABLE'),
        // Named, so the scale run can find this process's backends (and their CPU time) in pg_stat_activity.
        // idleTimeoutMillis 0: backends live through the run, so their CPU time can be read at its end.
        poolOptions: { max: 16, idleTimeoutMillis: 0, application_name: setting('BENCH_APPLICATION_NAME') },
      });
    }
  }
}

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the scale runs (bench/http/scale.ts) set it`);
  return value;
}

/**
 * BASELINE, NOT PRODUCT CODE: what a typical hand-written route does after koa-bodyparser — take the
 * parsed fields, re-sign them as the seed's Node.js example does, compare with `===`, parse `msg`, run
 * the handler, ack. No de-duplication, no typed event.
 */
async function naiveCallbackRoute(ctx: Koa.Context): Promise<void> {
  if (ctx.method !== 'POST' || ctx.path !== CALLBACK_PATH) return;
  const { timestamp, nonce, msg, msg_signature } = ctx.request.body as Record<string, string>;
  const str = [BENCH_TOKEN, timestamp, nonce, msg].sort().join('');
  if (!msg || createHash('sha1').update(str).digest('hex') !== msg_signature) {
    ctx.status = 400;
    ctx.body = { err_no: 400, err_tips: 'bad signature' };
    return;
  }
  const order = JSON.parse(msg) as Record<string, unknown>;
  await noop.call(order);
  ctx.body = ACK;
}

/** As MemoryStore's default and @ttpay/koa's doneTtlMs: 48 h, at most 100 000 keys remembered. */
const CHECKED_DONE_TTL_MS = 48 * 60 * 60 * 1000;
const CHECKED_MAX_KEYS = 100_000;

/**
 * BASELINE, NOT PRODUCT CODE: the hand-written route with the checks ttpay makes, as a careful user would
 * write it after koa-bodyparser — the signature compared in constant time (`timingSafeEqual`), then
 * de-duplication around an awaited handler: a key in flight is answered 503 (retry later), a key done
 * within 48 h is acknowledged without the handler, the handler's key recorded done only once it resolved.
 * One Map of done keys (oldest dropped past 100 000, as MemoryStore bounds itself) and a Set in flight.
 * No typed event, no strict UTF-8, no deadline, no hooks or logging: what ttpay does beyond that is its own.
 */
function checkedCallbackRoute(): (ctx: Koa.Context) => Promise<void> {
  const inFlight = new Set<string>();
  const done = new Map<string, number>();
  return async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== CALLBACK_PATH) return;
    const { timestamp, nonce, msg, msg_signature } = ctx.request.body as Record<string, unknown>;
    if (
      typeof timestamp !== 'string' ||
      typeof nonce !== 'string' ||
      typeof msg !== 'string' ||
      typeof msg_signature !== 'string'
    ) {
      ctx.status = 400;
      ctx.body = { err_no: 400, err_tips: 'missing field' };
      return;
    }
    const expected = Buffer.from(
      createHash('sha1').update([BENCH_TOKEN, timestamp, nonce, msg].sort().join('')).digest('hex'),
    );
    const given = Buffer.from(msg_signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      ctx.status = 400;
      ctx.body = { err_no: 400, err_tips: 'bad signature' };
      return;
    }
    const order = JSON.parse(msg) as { cp_orderno?: string; status?: string };
    const key = `${order.cp_orderno}:${order.status}`;
    const now = Date.now();
    if ((done.get(key) ?? 0) > now) {
      ctx.body = ACK;
      return;
    }
    if (inFlight.has(key)) {
      ctx.status = 503;
      ctx.body = { err_no: 503, err_tips: 'in flight' };
      return;
    }
    inFlight.add(key);
    try {
      await noop.call(order);
      done.set(key, now + CHECKED_DONE_TTL_MS);
      if (done.size > CHECKED_MAX_KEYS) done.delete(done.keys().next().value as string);
    } finally {
      inFlight.delete(key);
    }
    ctx.body = ACK;
  };
}
