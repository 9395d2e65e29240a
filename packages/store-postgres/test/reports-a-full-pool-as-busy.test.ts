// A burst bigger than the pool: PostgreSQL is fine, every connection is in use by a running handler. The
// deliveries that find no connection are answered "retry later" as STORE_BUSY — never "PostgreSQL is
// unavailable" — in a bounded number of log lines; once connections free up, the redeliveries apply each
// payment once.

import type { TtpayLogger } from '@ttpay/core';
import { douyinCallbacks } from '@ttpay/koa';
import { demoCredentials, signedEcpayCallback } from '@ttpay/testing';
import Koa from 'koa';
import type pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectPostgres, DATABASE_URL, freshSchema } from '../../../test/support/postgres.js';
import { PostgresStore } from '../src/index.js';

const ACK = '{"err_no":0,"err_tips":"success"}';
const BUSY = '{"err_no":503,"err_tips":"STORE_BUSY"}';
const POOL_SIZE = 3;
const BURST = 40;

let admin: pg.Pool;
let schema: { name: string; drop: () => Promise<void> };
let store: PostgresStore;

beforeAll(async () => {
  admin = await connectPostgres();
  schema = await freshSchema(admin, 'full_pool');
  await admin.query(`CREATE TABLE "${schema.name}".ledger (event_key text NOT NULL)`);
  store = new PostgresStore({
    connectionString: DATABASE_URL,
    poolOptions: { max: POOL_SIZE },
    table: `${schema.name}.ttpay_idempotency`,
    operationTimeoutMs: 300,
  });
  await store.setup();
});

afterAll(async () => {
  await store?.close();
  await schema?.drop();
  await admin?.end();
});

interface Line {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string;
}

it(`a burst of ${BURST} payments on a pool of ${POOL_SIZE}, every connection held by a running handler: STORE_BUSY retry-laters, one log line, then each applied once`, async () => {
  const lines: Line[] = [];
  const record =
    (level: Line['level']) =>
    (obj: object, msg: string): void =>
      void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const logger: TtpayLogger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  let running = 0;
  let allRunning!: () => void;
  const pinned = new Promise<void>((resolve) => {
    allRunning = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holding = true;
  const errorCodes: string[] = [];
  const app = new Koa().use(
    douyinCallbacks({
      token: demoCredentials.douyin.token,
      store,
      logger,
      onError: (error) => void errorCodes.push(error.code),
      onPayment: async (event, ctx) => {
        await ctx.payment.tx.query(`INSERT INTO "${schema.name}".ledger (event_key) VALUES ($1)`, [
          event.key,
        ]);
        if (!holding) return;
        if (++running === POOL_SIZE) allRunning();
        await released; // the handler waits on something: its connection stays checked out
      },
    }),
  );
  const deliver = (d: ReturnType<typeof signedEcpayCallback>) =>
    request(app.callback())
      .post('/')
      .set(d.headers)
      .serialize((body) => body)
      .send(d.body)
      .then((r) => ({ status: r.status, text: r.text }));

  const payments = Array.from({ length: BURST }, (_, i) =>
    signedEcpayCallback({ type: 'payment', msg: { cp_orderno: `busy_${i}`, total_amount: 100 + i } }),
  );
  let answered = 0;
  let othersAnswered!: () => void;
  const refusedAll = new Promise<void>((resolve) => {
    othersAnswered = resolve;
  });
  const startedAt = Date.now();
  const replies = payments.map((d) =>
    deliver(d).then((reply) => {
      if (++answered === BURST - POOL_SIZE) othersAnswered();
      return reply;
    }),
  );
  // Every delivery but the pinned handlers' is answered while those still hold the pool.
  await Promise.all([pinned, refusedAll]);
  const elapsedMs = Date.now() - startedAt;
  holding = false;
  release();
  const all = await Promise.all(replies);

  expect(all.filter((r) => r.text === ACK)).toHaveLength(POOL_SIZE);
  expect(all.filter((r) => r.status === 503 && r.text === BUSY)).toHaveLength(BURST - POOL_SIZE);
  expect(errorCodes.filter((c) => c === 'STORE_BUSY')).toHaveLength(BURST - POOL_SIZE);
  expect(errorCodes.filter((c) => c !== 'STORE_BUSY')).toEqual([]);
  // Bounded: one line per 10 s, whatever the number of deliveries refused; it says what to do.
  const busyLines = lines.filter((l) => l.obj.code === 'STORE_BUSY');
  expect(busyLines.length).toBeGreaterThanOrEqual(1);
  expect(busyLines.length).toBeLessThanOrEqual(1 + Math.ceil(elapsedMs / 10_000));
  expect(busyLines[0]?.msg).toMatch(/size its pool above the deliveries handled at once/);
  expect(lines.some((l) => /unavailable/i.test(l.msg) || l.obj.code === 'STORE_UNAVAILABLE')).toBe(false);
  expect(lines.filter((l) => l.level === 'error')).toEqual([]);

  // The platform redelivers; with connections free again every payment is applied, once.
  for (const d of payments) expect((await deliver(d)).text).toBe(ACK);
  const { rows } = await admin.query<{ event_key: string; n: number }>(
    `SELECT event_key, count(*)::int AS n FROM "${schema.name}".ledger GROUP BY event_key`,
  );
  expect(rows).toHaveLength(BURST);
  expect(rows.every((r) => r.n === 1)).toBe(true);
});
