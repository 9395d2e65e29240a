import { type Simulator, startSimulator } from '@ttpay/simulator';
import { signedEcpayCallback } from '@ttpay/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlOrderRepository } from '../src/orders/sql-order-repository.js';
import {
  deliver,
  fileDatabaseUrl,
  getJson,
  postJson,
  type RunningShop,
  startShop,
  testDatabase,
} from './helpers.js';
import { InstrumentedOrders } from './instrumented-orders.js';

// Two instances of the shop behind one load balancer: one DATABASE_URL (orders, applied events, the
// idempotency store and the jobs, in this file's schema of a real PostgreSQL), one simulator. Each
// instance has its own connection pool, as two processes would.
let sim: Simulator;
let a: RunningShop;
let b: RunningShop;
let ordersA: InstrumentedOrders;
let ordersB: InstrumentedOrders;
let db: pg.Pool;

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
const IN_FLIGHT = '{"err_no":503,"err_tips":"IN_FLIGHT"}';
const HANDLER_FAILED = '{"err_no":500,"err_tips":"HANDLER_FAILED"}';

beforeAll(async () => {
  const url = await fileDatabaseUrl(); // fails, with how to start PostgreSQL, when there is none
  db = new pg.Pool({ connectionString: url });
  sim = await startSimulator({ timeScale: 0.0001 });
  const env = { DATABASE_URL: url };
  // The same SQL repository on each instance's own database handle, counted per instance.
  const shared = new SqlOrderRepository((await testDatabase()).sql);
  ordersA = new InstrumentedOrders(shared);
  ordersB = new InstrumentedOrders(shared);
  a = await startShop(sim, env, { orders: ordersA });
  b = await startShop(sim, env, { orders: ordersB });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await sim?.close();
  await db?.end();
});

async function newOrder(amount: number): Promise<{ outOrderNo: string; key: string }> {
  const created = await postJson(`${a.url}/orders`, { subject: 'Tea', amount });
  expect(created.status).toBe(201);
  const outOrderNo = created.json.outOrderNo as string;
  return { outOrderNo, key: `douyin:ecpay:payment:${outOrderNo}:SUCCESS` };
}

const eventsFor = async (shop: RunningShop, key: string) =>
  (await getJson<{ key: string }[]>(`${shop.url}/events`)).json.filter((e) => e.key === key);
const storeState = async (key: string) =>
  (await db.query('SELECT state FROM ttpay_idempotency WHERE key = $1', [key])).rows[0]?.state;

describe('DATABASE_URL: two shop instances are one shop', () => {
  it('both keep orders, idempotency and jobs on PostgreSQL', async () => {
    for (const shop of [a, b]) {
      expect((await getJson(`${shop.url}/healthz`)).json).toMatchObject({ store: 'postgres' });
    }
  });

  it('an order created on A is seen by B, and a payment B receives marks it paid for A', async () => {
    const { outOrderNo } = await newOrder(1200);
    expect((await getJson(`${b.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'created' });
    const callback = signedEcpayCallback({
      type: 'payment',
      msg: { cp_orderno: outOrderNo, total_amount: 1200 },
    });
    expect(await deliver(`${b.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect((await getJson(`${a.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'paid' });
  });

  it('200 concurrent deliveries of one signed callback, split across both: applied once', async () => {
    const { outOrderNo, key } = await newOrder(9900);
    const callback = signedEcpayCallback({
      type: 'payment',
      msg: { cp_orderno: outOrderNo, total_amount: 9900 },
    });
    // Hold the one handler run in flight a little, so the duplicates surely arrive while it runs.
    ordersA.beforeApply = async () => void (await new Promise((resolve) => setTimeout(resolve, 150)));
    try {
      const replies = await Promise.all(
        Array.from({ length: 200 }, (_, i) => deliver(`${(i % 2 ? b : a).url}/douyin/notify`, callback)),
      );
      const acks = replies.filter((r) => r.status === 200);
      const inFlight = replies.filter((r) => r.status === 503);
      expect(acks.length + inFlight.length).toBe(200); // nothing else: no 500, no error
      expect(acks.length).toBeGreaterThanOrEqual(1);
      expect(inFlight.length).toBeGreaterThan(0); // the duplicates did overlap the one run
      for (const r of acks) expect(r.text).toBe(DOUYIN_ACK);
      for (const r of inFlight) expect(r.text).toBe(IN_FLIGHT);
    } finally {
      ordersA.beforeApply = undefined;
    }

    expect(ordersA.runs(key) + ordersB.runs(key)).toBe(1);
    expect(await eventsFor(a, key)).toHaveLength(1);
    expect((await getJson(`${b.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'paid' });
    expect(await storeState(key)).toBe('done'); // committed with the order, in the shared database

    // Redeliveries later, to either instance: acknowledged, the handler not run again.
    for (const shop of [a, b, a, b]) {
      expect(await deliver(`${shop.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    }
    expect(ordersA.runs(key) + ordersB.runs(key)).toBe(1);
    expect(await eventsFor(b, key)).toHaveLength(1);
  });

  it('the handler crashes on instance A after writing: nothing of it commits; the redelivery to B applies it once', async () => {
    const { outOrderNo, key } = await newOrder(4200);
    const callback = signedEcpayCallback({
      type: 'payment',
      msg: { cp_orderno: outOrderNo, total_amount: 4200 },
    });
    ordersA.beforeApply = () => {
      ordersA.beforeApply = undefined; // once
      throw new Error('the database connection of instance A dropped');
    };

    expect(await deliver(`${a.url}/douyin/notify`, callback)).toEqual({ status: 500, text: HANDLER_FAILED });
    expect(await eventsFor(a, key)).toHaveLength(0);
    expect((await getJson(`${b.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'created' });
    expect(await storeState(key)).toBeUndefined(); // released: a redelivery may take it

    // The platform redelivers; the balancer sends it to B.
    expect(await deliver(`${b.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect((await getJson(`${a.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'paid' });

    // More redeliveries, to both: acknowledged without running either handler again.
    for (const shop of [a, b, a]) {
      expect(await deliver(`${shop.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    }
    expect(await eventsFor(b, key)).toHaveLength(1);
  });
});
