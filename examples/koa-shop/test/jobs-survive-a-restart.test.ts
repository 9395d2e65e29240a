import { type Simulator, startSimulator } from '@ttpay/simulator';
import type { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { type RunningShop, startShop, until } from './helpers.js';
import { InMemoryOrderRepository } from './in-memory-orders.js';
import { connectRedis, deleteKeys, REDIS_URL, setUpOrFailEveryTest, uniquePrefix } from './redis.js';

const prefix = uniquePrefix('restart');
const env = { REDIS_URL, REDIS_PREFIX: prefix };
// The order database outlives the instances, as a real one would.
const orders = new InMemoryOrderRepository();
let redis: Redis;
let sim: Simulator;
let a: RunningShop | undefined;
let b: RunningShop | undefined;

setUpOrFailEveryTest(async () => {
  redis = await connectRedis(); // fails, with how to start Redis, when there is none
  sim = await startSimulator({ timeScale: 0.0001 });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await sim?.close();
  if (redis) {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
});

const ORDERS_API = '/order/202309/orders';
const inCalls = (path: string) => sim.log.filter((e) => e.direction === 'in' && e.path === path);

it('a job enqueued before a restart completes after it, on the next instance, exactly once', async () => {
  a = await startShop(sim, env, { orders });
  const orderId = sim.tiktok.addOrder({ total_amount: '7.50', currency: 'USD' });
  const outOrderNo = `tiktok-${orderId}`;
  // TikTok's Open API is down: the ship job (read the order, then ship it through TikTok) keeps failing.
  const outage = sim.fault({ platform: 'tiktok', path: ORDERS_API, status: 503, times: 1_000_000 });

  const webhook = await sim.tiktok.sendWebhook(
    1,
    { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
    { url: `${a.url}/tiktok/webhook` },
  );
  expect(webhook).toMatchObject({ acknowledged: true, attempts: 1 }); // the webhook never waits for the job
  await until(
    () => a?.logs.lines.some((l) => l.job === 'ship-tiktok-order' && l.msg === 'job failed; retrying'),
    10_000,
  );

  // Instance A stops (a deploy): graceful, so its running attempt finishes; the job waits in Redis.
  await a.close();
  const left = a.logs.lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('jobs left in Redis'));
  expect(left).toMatchObject({ waiting: expect.any(Number), delayed: expect.any(Number) });
  const queueKey = `${prefix}jobs:shop-jobs`;
  const pending = (await redis.zcard(`${queueKey}:delayed`)) + (await redis.llen(`${queueKey}:wait`));
  expect(pending).toBe(1);
  expect((await orders.get(outOrderNo))?.status).toBe('paid');
  expect(sim.tiktok.shipments(orderId)).toEqual([]);
  const failedCalls = inCalls(ORDERS_API).length;
  expect(failedCalls).toBeGreaterThan(0);

  // TikTok is back; instance B starts on the same Redis and prefix, and its worker takes the job.
  outage();
  b = await startShop(sim, env, { orders });
  const shipped = await until(async () => {
    const o = await orders.get(outOrderNo);
    return o?.status === 'shipped' ? o : undefined;
  }, 10_000);
  await b.shop.jobs.idle();

  // Paid at TikTok's checkout: shipped through TikTok, and no payment gateway was asked for anything.
  expect(shipped).toMatchObject({ status: 'shipped', amount: 750, currency: 'USD' });
  expect(
    inCalls(ORDERS_API)
      .slice(failedCalls)
      .map((e) => e.status),
  ).toEqual([200]);
  expect(sim.tiktok.shipments(orderId)).toHaveLength(1); // the job ran to completion once
  expect(sim.log.filter((e) => e.platform === 'algovoi')).toEqual([]);
  const done = (r: RunningShop) => r.logs.lines.filter((l) => l.msg === 'shipped through TikTok');
  expect(done(a)).toHaveLength(0);
  expect(done(b)).toEqual([expect.objectContaining({ outOrderNo, attempt: expect.any(Number) })]);
  expect((done(b)[0]?.attempt as number) > 1).toBe(true); // a retry of A's job, not a new one
  expect(await b.shop.jobs.idle()).toBeUndefined();
  expect(await redis.zcard(`${queueKey}:delayed`)).toBe(0);
});
