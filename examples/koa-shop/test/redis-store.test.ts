import { createConnection } from 'node:net';
import { ecpayCallback } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryOrderRepository } from '../src/orders/order-repository.js';
import { deliver, getJson, postJson, type Running, startShopWithSimulator } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const reachable = await redisReachable();
if (!reachable) {
  console.warn(
    `No Redis at ${REDIS_URL}: skipping the REDIS_URL test (start one: redis-server --port 6379).`,
  );
}

describe.skipIf(!reachable)('REDIS_URL: several shop instances de-duplicate together', () => {
  // Two instances behind a load balancer, sharing Redis and (standing in for it) one order database.
  const orders = new InMemoryOrderRepository();
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    a = await startShopWithSimulator({ REDIS_URL }, { orders });
    b = await startShopWithSimulator({ REDIS_URL }, { orders });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a callback delivered to both instances is applied once', async () => {
    expect((await getJson(`${a.url}/healthz`)).json).toMatchObject({ store: 'redis' });
    const created = await postJson(`${a.url}/orders`, { subject: 'Tea', amount: 100 });
    const outOrderNo = created.json.outOrderNo as string;
    const callback = ecpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 100 } });

    const replies = await Promise.all([
      deliver(`${a.url}/douyin/notify`, callback),
      deliver(`${b.url}/douyin/notify`, callback),
    ]);
    // One handled it; the other answered "in flight, retry later" (503) or, if it came second, acknowledged.
    expect(replies.map((r) => r.status).sort()).toEqual(expect.arrayContaining([200]));
    const again = await deliver(`${b.url}/douyin/notify`, callback);
    expect(again.status).toBe(200);

    expect((await orders.events()).filter((e) => e.ref === outOrderNo)).toHaveLength(1);
    expect((await orders.get(outOrderNo))?.status).toBe('paid');
  });
});
