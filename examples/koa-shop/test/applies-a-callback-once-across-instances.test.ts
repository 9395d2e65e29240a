import { type Simulator, startSimulator } from '@ttpay/simulator';
import { ecpayCallback } from '@ttpay/testing';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BullMqJobQueue } from '../src/jobs/bullmq-job-queue.js';
import { InMemoryOrderRepository } from '../src/orders/order-repository.js';
import { deliver, getJson, postJson, type RunningShop, startShop } from './helpers.js';
import { InstrumentedOrders } from './instrumented-orders.js';
import { connectRedis, deleteKeys, REDIS_URL, setUpOrFailEveryTest, uniquePrefix } from './redis.js';

// Two instances of the shop behind one load balancer: the same REDIS_URL and REDIS_PREFIX (the store's
// keys and BullMQ's), one order database (an in-memory repository standing in for it), one simulator.
const prefix = uniquePrefix('two-instances');
const database = new InMemoryOrderRepository();
const ordersA = new InstrumentedOrders(database);
const ordersB = new InstrumentedOrders(database);
let redis: Redis;
let sim: Simulator;
let a: RunningShop;
let b: RunningShop;

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
const IN_FLIGHT = '{"err_no":503,"err_tips":"IN_FLIGHT"}';
const HANDLER_FAILED = '{"err_no":500,"err_tips":"HANDLER_FAILED"}';

setUpOrFailEveryTest(async () => {
  redis = await connectRedis(); // fails, with how to start Redis, when there is none
  sim = await startSimulator({ timeScale: 0.0001 });
  const env = { REDIS_URL, REDIS_PREFIX: prefix };
  a = await startShop(sim, env, { orders: ordersA });
  b = await startShop(sim, env, { orders: ordersB });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await sim?.close();
  if (redis) {
    await deleteKeys(redis, prefix);
    expect(await redis.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10_000)).toEqual(['0', []]);
    redis.disconnect();
  }
});

async function newOrder(amount: number): Promise<{ outOrderNo: string; key: string }> {
  const created = await postJson(`${a.url}/orders`, { subject: 'Tea', amount });
  expect(created.status).toBe(201);
  const outOrderNo = created.json.outOrderNo as string;
  return { outOrderNo, key: `douyin:ecpay:payment:${outOrderNo}:SUCCESS` };
}

const eventsFor = async (shop: RunningShop, key: string) =>
  (await getJson<{ key: string }[]>(`${shop.url}/events`)).json.filter((e) => e.key === key);

describe('REDIS_URL: two shop instances share the idempotency store and the job queue', () => {
  it('each instance runs on Redis: the store reports redis, the jobs run on BullMQ under the prefix', async () => {
    for (const shop of [a, b]) {
      expect((await getJson(`${shop.url}/healthz`)).json).toMatchObject({ store: 'redis' });
      expect(shop.shop.jobs).toBeInstanceOf(BullMqJobQueue);
      expect((shop.shop.jobs as BullMqJobQueue).prefix).toBe(`${prefix}jobs`);
      expect(shop.logs.lines).toContainEqual(
        expect.objectContaining({ jobs: 'bullmq', prefix: `${prefix}jobs` }),
      );
    }
  });

  it('200 concurrent deliveries of one signed callback, split across both: the handler runs once', async () => {
    const { outOrderNo, key } = await newOrder(9900);
    const callback = ecpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 9900 } });
    // Hold the one handler run in flight a little, so the duplicates surely arrive while it runs.
    const hold = async () => void (await new Promise((resolve) => setTimeout(resolve, 150)));
    ordersA.beforeApply = hold;
    ordersB.beforeApply = hold;
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
      ordersB.beforeApply = undefined;
    }

    expect(ordersA.runs(key) + ordersB.runs(key)).toBe(1);
    expect(await eventsFor(a, key)).toHaveLength(1);
    expect((await database.get(outOrderNo))?.status).toBe('paid');
    // The record is in the shared Redis, under the prefix: done, for every instance.
    expect(await redis.get(`${prefix}idem:${key}`)).toMatch(/^done:/);

    // Redeliveries later, to either instance: acknowledged, the handler not run again.
    for (const shop of [a, b, a, b]) {
      expect(await deliver(`${shop.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    }
    expect(ordersA.runs(key) + ordersB.runs(key)).toBe(1);
    expect(await eventsFor(b, key)).toHaveLength(1);
  });

  it('the handler crashes on instance A: the redelivery to instance B processes it exactly once', async () => {
    const { outOrderNo, key } = await newOrder(4200);
    const callback = ecpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 4200 } });
    ordersA.beforeApply = () => {
      ordersA.beforeApply = undefined; // once
      throw new Error('the database connection of instance A dropped');
    };

    expect(await deliver(`${a.url}/douyin/notify`, callback)).toEqual({ status: 500, text: HANDLER_FAILED });
    expect(ordersA.runs(key)).toBe(1);
    expect(await eventsFor(a, key)).toHaveLength(0);
    expect((await database.get(outOrderNo))?.status).toBe('created');
    expect(await redis.exists(`${prefix}idem:${key}`)).toBe(0); // released: a redelivery may take it

    // The platform redelivers; the balancer sends it to B.
    expect(await deliver(`${b.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect(ordersB.runs(key)).toBe(1);
    expect((await database.get(outOrderNo))?.status).toBe('paid');

    // More redeliveries, to both: acknowledged without running either handler again.
    for (const shop of [a, b, a]) {
      expect(await deliver(`${shop.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    }
    expect([ordersA.runs(key), ordersB.runs(key)]).toEqual([1, 1]); // A's crashed run, B's one success
    expect(await eventsFor(b, key)).toHaveLength(1);
  });
});
