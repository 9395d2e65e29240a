import { type Simulator, startSimulator } from '@ttpay/simulator';
import { ecpayCallback } from '@ttpay/testing';
import { afterAll, expect, it } from 'vitest';
import { InMemoryOrderRepository } from '../src/orders/order-repository.js';
import { deliver, postJson, type RunningShop, startShop, until } from './helpers.js';
import { InstrumentedOrders } from './instrumented-orders.js';
import { type PrivateRedis, privateRedis, setUpOrFailEveryTest, uniquePrefix } from './redis.js';

// A redis-server of this test's own (killed and restarted below; the shared one is never stopped).
let redis: PrivateRedis | undefined;
let sim: Simulator;
let shop: RunningShop;
const orders = new InstrumentedOrders(new InMemoryOrderRepository());

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
const STORE_UNAVAILABLE = '{"err_no":503,"err_tips":"STORE_UNAVAILABLE"}';

setUpOrFailEveryTest(async () => {
  redis = await privateRedis(); // fails with an install hint when redis-server is not on PATH
  sim = await startSimulator({ timeScale: 0.0001 });
  shop = await startShop(sim, { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix('outage') }, { orders });
});

afterAll(async () => {
  await shop?.close();
  await sim?.close();
  await redis?.kill(); // no persistence: its keys go with it
});

async function paymentFor(amount: number) {
  const created = await postJson(`${shop.url}/orders`, { subject: 'Tea', amount });
  expect(created.status).toBe(201);
  const outOrderNo = created.json.outOrderNo as string;
  return {
    outOrderNo,
    key: `douyin:ecpay:payment:${outOrderNo}:SUCCESS`,
    callback: ecpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: amount } }),
  };
}

const notify = () => `${shop.url}/douyin/notify`;

it('Redis dies mid-test: no delivery is acknowledged unprocessed; after the restart each applies once', async () => {
  if (!redis) throw new Error('unreachable: the setup started Redis');
  // Before the outage: business as usual.
  const before = await paymentFor(1000);
  expect(await deliver(notify(), before.callback)).toEqual({ status: 200, text: DOUYIN_ACK });
  expect(orders.runs(before.key)).toBe(1);

  await redis.kill();

  // During the outage: every delivery of a new payment is refused "retry later", none runs the handler.
  const during = await paymentFor(2000);
  const refused = await Promise.all(Array.from({ length: 6 }, () => deliver(notify(), during.callback)));
  expect(refused).toEqual(Array.from({ length: 6 }, () => ({ status: 503, text: STORE_UNAVAILABLE })));
  // A duplicate of the payment handled before the outage is not acknowledged either: the store cannot
  // tell, so it says "retry later" rather than guess (fail closed).
  expect(await deliver(notify(), before.callback)).toEqual({ status: 503, text: STORE_UNAVAILABLE });
  expect(orders.runs(during.key)).toBe(0);
  expect((await orders.get(during.outOrderNo))?.status).toBe('created');
  expect((await orders.events()).filter((e) => e.key === during.key)).toEqual([]);

  await redis.start(); // same port, empty (no persistence)

  // The platform keeps redelivering; once the connections are back, one delivery is processed.
  const replies: { status: number; text: string }[] = [];
  await until(async () => {
    const reply = await deliver(notify(), during.callback);
    replies.push(reply);
    return reply.status === 200;
  }, 15_000);
  for (const reply of replies.slice(0, -1)) expect(reply).toEqual({ status: 503, text: STORE_UNAVAILABLE });
  expect(orders.runs(during.key)).toBe(1);
  expect((await orders.get(during.outOrderNo))?.status).toBe('paid');

  // …exactly once: concurrent redeliveries after that are acknowledged without running it again.
  const after = await Promise.all(Array.from({ length: 10 }, () => deliver(notify(), during.callback)));
  expect(after).toEqual(Array.from({ length: 10 }, () => ({ status: 200, text: DOUYIN_ACK })));
  expect(orders.runs(during.key)).toBe(1);
  expect((await orders.events()).filter((e) => e.key === during.key)).toHaveLength(1);

  // And a brand-new payment goes through first time.
  const later = await paymentFor(3000);
  expect(await deliver(notify(), later.callback)).toEqual({ status: 200, text: DOUYIN_ACK });
  expect(orders.runs(later.key)).toBe(1);

  // The job queue's worker reconnected too: a TikTok order's settlement job runs to its payment link.
  const orderId = sim.tiktok.addOrder({ total_amount: '4.20', currency: 'USD' });
  const webhook = await sim.tiktok.sendWebhook(
    1,
    { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
    { url: `${shop.url}/tiktok/webhook` },
  );
  expect(webhook.acknowledged).toBe(true);
  await until(async () => (await orders.get(`tiktok-${orderId}`))?.algovoi, 10_000);
});
