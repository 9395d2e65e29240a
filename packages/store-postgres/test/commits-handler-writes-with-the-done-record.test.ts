// The transactional path on a real PostgreSQL: @ttpay/koa runs the handler inside the store's
// transaction (ctx.payment.tx) and the done-record commits with the handler's writes, or neither does.

import { silentLogger } from '@ttpay/core/internal';
import { douyinCallbacks } from '@ttpay/koa';
import { demoCredentials, signedEcpayCallback } from '@ttpay/testing';
import Koa from 'koa';
import type pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, freshSchema } from '../../../test/support/postgres.js';
import { PostgresStore } from '../src/index.js';

const ACK = '{"err_no":0,"err_tips":"success"}';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let poolA: pg.Pool;
let poolB: pg.Pool;
let schema: { name: string; drop: () => Promise<void> };
let ledger: string;
let table: string;

beforeAll(async () => {
  poolA = await connectPostgres({ max: 20 });
  poolB = await connectPostgres({ max: 20 });
  schema = await freshSchema(poolA, 'tx');
  table = `${schema.name}.ttpay_idempotency`;
  ledger = `"${schema.name}".ledger`;
  await new PostgresStore({ pool: poolA, table }).setup();
  await poolA.query(`CREATE TABLE ${ledger} (event_key text NOT NULL, note text NOT NULL)`);
});

afterAll(async () => {
  await schema?.drop();
  await poolA?.end();
  await poolB?.end();
});

interface Behaviour {
  /** Throw after writing. */
  fail?: () => boolean;
  /** Wait this long after writing, before returning (the transaction stays open). */
  slowMs?: () => number;
  /** Called after the write, with the transaction's backend pid. */
  afterWrite?: (pid: number) => Promise<void>;
}

/** One app instance: a shop whose payment handler writes a ledger row through ctx.payment.tx. */
function instance(
  pool: pg.Pool,
  name: string,
  behaviour: Behaviour = {},
  options: { claimTtlMs?: number } = {},
) {
  const store = new PostgresStore({ pool, table });
  const app = new Koa().use(
    douyinCallbacks({
      token: demoCredentials.douyin.token,
      store,
      logger: silentLogger,
      ...options,
      onPayment: async (event, ctx) => {
        const { rows } = await ctx.payment.tx.query<{ pid: number }>(
          `INSERT INTO ${ledger} (event_key, note) VALUES ($1, $2) RETURNING pg_backend_pid() AS pid`,
          [event.key, name],
        );
        await behaviour.afterWrite?.(rows[0]?.pid ?? 0);
        const slow = behaviour.slowMs?.() ?? 0;
        if (slow > 0) await sleep(slow);
        if (behaviour.fail?.()) throw new Error('the shop refused it');
      },
    }),
  );
  return { app, store };
}

function deliver(app: Koa, d: ReturnType<typeof signedEcpayCallback>) {
  return request(app.callback())
    .post('/')
    .set(d.headers)
    .serialize((body) => body)
    .send(d.body);
}

async function ledgerRows(key: string): Promise<string[]> {
  const { rows } = await poolA.query(`SELECT note FROM ${ledger} WHERE event_key = $1`, [key]);
  return rows.map((r) => r.note as string);
}

async function keyState(key: string): Promise<string | undefined> {
  const { rows } = await poolA.query(`SELECT state FROM "${schema.name}".ttpay_idempotency WHERE key = $1`, [
    key,
  ]);
  return rows[0]?.state;
}

describe('PostgresStore with @ttpay/koa: one transaction', () => {
  it('200 concurrent duplicates across two instances: one ledger row, every answer an ack or retry-later', async () => {
    const a = instance(poolA, 'A');
    const b = instance(poolB, 'B');
    const d = signedEcpayCallback({ type: 'payment' });
    const key = keyOf(d);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => deliver(i % 2 === 0 ? a.app : b.app, d)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(await ledgerRows(key)).toHaveLength(1);
    // Redeliveries after it settled are all acknowledged, with no second row.
    const later = await Promise.all(Array.from({ length: 20 }, (_, i) => deliver(i % 2 ? a.app : b.app, d)));
    expect(later.map((r) => r.text)).toEqual(Array(20).fill(ACK));
    expect(await ledgerRows(key)).toHaveLength(1);
  });

  it('a handler that throws leaves no row and no done-record; the redelivery applies it once', async () => {
    let fail = true;
    const { app } = instance(poolA, 'A', { fail: () => fail });
    const d = signedEcpayCallback({ type: 'payment' });
    const key = keyOf(d);
    expect((await deliver(app, d)).status).toBe(500);
    expect(await ledgerRows(key)).toEqual([]);
    expect(await keyState(key)).toBeUndefined(); // released
    fail = false;
    expect((await deliver(app, d)).text).toBe(ACK);
    expect(await ledgerRows(key)).toEqual(['A']);
    expect(await keyState(key)).toBe('done');
  });

  it('a handler slower than claimTtlMs keeps its key while it runs (processOnce: no lease to run out); a duplicate meanwhile is told IN_FLIGHT', async () => {
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const a = instance(
      poolA,
      'A',
      {
        afterWrite: async () => {
          written();
          await finished;
        },
      },
      { claimTtlMs: 200 },
    );
    const b = instance(poolB, 'B', {}, { claimTtlMs: 200 });
    const d = signedEcpayCallback({ type: 'payment' });
    const key = keyOf(d);
    const first = deliver(a.app, d).then((r) => r); // A claims, writes, and waits
    await wrote;
    await sleep(300); // past claimTtlMs: a lease would have run out by now
    expect(JSON.parse((await deliver(b.app, d)).text)).toEqual({ err_no: 503, err_tips: 'IN_FLIGHT' });
    finish();
    expect((await first).text).toBe(ACK);
    expect(await ledgerRows(key)).toEqual(['A']);
    expect((await deliver(b.app, d)).text).toBe(ACK);
    expect(await ledgerRows(key)).toEqual(['A']);
  });

  it('the connection killed between the handler’s write and the commit: neither commits, the redelivery applies it once', async () => {
    let kill = true;
    const { app } = instance(poolA, 'A', {
      afterWrite: async (pid) => {
        if (!kill) return;
        kill = false;
        await poolB.query('SELECT pg_terminate_backend($1)', [pid]);
      },
    });
    const d = signedEcpayCallback({ type: 'payment' });
    const key = keyOf(d);
    const answer = await deliver(app, d);
    expect(JSON.parse(answer.text)).toEqual({ err_no: 503, err_tips: 'STORE_UNAVAILABLE' }); // never an ack
    expect(await ledgerRows(key)).toEqual([]);
    expect(await keyState(key)).toBeUndefined(); // the claim was handed back over another connection
    expect((await deliver(app, d)).text).toBe(ACK);
    expect(await ledgerRows(key)).toEqual(['A']);
  });
});

function keyOf(d: ReturnType<typeof signedEcpayCallback>): string {
  const msg = JSON.parse(JSON.parse(d.rawBody).msg) as { cp_orderno: string; status: string };
  return `douyin:ecpay:payment:${msg.cp_orderno}:${msg.status}`;
}
