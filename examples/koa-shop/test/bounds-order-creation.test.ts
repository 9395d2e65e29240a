import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Env, loadConfig } from '../src/config.js';
import type { OrderRecord } from '../src/orders/order-repository.js';
import { type Running, startShopWithSimulator } from './helpers.js';
import { InMemoryOrderRepository } from './in-memory-orders.js';

/**
 * Issue 15: `POST /orders` was open and its storage grew without bound. Creation is now bounded
 * whatever the repository: per client address and in total per instance (429 RATE_LIMITED), by body
 * size (413 BODY_TOO_LARGE) and by field (400). Over real sockets, from several loopback addresses.
 */

class CountingOrders extends InMemoryOrderRepository {
  created = 0;
  override async create(order: OrderRecord): Promise<void> {
    this.created++;
    return super.create(order);
  }
}

let run: Running | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function start(env: Env): Promise<{ url: string; orders: CountingOrders }> {
  const orders = new CountingOrders();
  run = await startShopWithSimulator(env, { orders });
  return { url: run.url, orders };
}

interface Reply {
  status: number;
  json: Record<string, unknown>;
  retryAfter: string | undefined;
}

/** `POST /orders` from `localAddress` (127.0.0.x: each its own client address), on its own connection. */
function postOrder(url: string, body: string, localAddress = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/orders`, { method: 'POST', agent: false, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          json: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
          retryAfter: res.headers['retry-after'],
        }),
      );
    });
    req.on('error', reject);
    req.setHeader('content-type', 'application/json');
    req.end(body);
  });
}

const ORDER = JSON.stringify({ subject: 'Oolong tea', amount: 9900 });

describe('rate limits', () => {
  it('defaults: 60 a minute per client, 300 a minute in total; ORDERS_PER_MINUTE* override, nonsense refused', () => {
    expect(loadConfig({}).api).toMatchObject({ ordersPerMinutePerClient: 60, ordersPerMinute: 300 });
    expect(loadConfig({ ORDERS_PER_MINUTE_PER_IP: '5', ORDERS_PER_MINUTE: '50' }).api).toMatchObject({
      ordersPerMinutePerClient: 5,
      ordersPerMinute: 50,
    });
    expect(() => loadConfig({ ORDERS_PER_MINUTE: '0' })).toThrow('ORDERS_PER_MINUTE');
    expect(() => loadConfig({ ORDERS_PER_MINUTE_PER_IP: 'many' })).toThrow('ORDERS_PER_MINUTE_PER_IP');
  });

  it('one client over its limit gets 429 RATE_LIMITED with Retry-After; another client is still served', async () => {
    const { url, orders } = await start({ ORDERS_PER_MINUTE_PER_IP: '3', ORDERS_PER_MINUTE: '100' });
    const a = [];
    for (let i = 0; i < 5; i++) a.push(await postOrder(url, ORDER, '127.0.0.1'));
    expect(a.map((r) => r.status)).toEqual([201, 201, 201, 429, 429]);
    expect(a[3]?.json).toMatchObject({ error: 'RATE_LIMITED' });
    expect(String(a[3]?.json.message)).toContain('at most 3 orders a minute from one client');
    expect(Number(a[3]?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await postOrder(url, ORDER, '127.0.0.2')).status).toBe(201);
    expect(orders.created).toBe(4);
  });

  it('all clients together are capped per instance, however many addresses they use', async () => {
    const { url, orders } = await start({ ORDERS_PER_MINUTE_PER_IP: '2', ORDERS_PER_MINUTE: '5' });
    const statuses: number[] = [];
    for (const client of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']) {
      for (let i = 0; i < 2; i++) statuses.push((await postOrder(url, ORDER, client)).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    const refused = await postOrder(url, ORDER, '127.0.0.6');
    expect(refused).toMatchObject({ status: 429, json: { error: 'RATE_LIMITED' } });
    expect(String(refused.json.message)).toContain('at most 5 orders a minute in total');
    expect(orders.created).toBe(5);
  });

  it('refused before the body is read: an over-limit client gets 429 even for a body that would be 400', async () => {
    const { url } = await start({ ORDERS_PER_MINUTE_PER_IP: '1', ORDERS_PER_MINUTE: '100' });
    expect((await postOrder(url, '{"amount": -1}')).status).toBe(400);
    expect((await postOrder(url, '{"amount": -1}')).json).toMatchObject({ error: 'RATE_LIMITED' });
  });
});

describe('sizes', () => {
  it('a body over 16 KiB → 413 BODY_TOO_LARGE; oversized fields → 400; nothing is created', async () => {
    const { url, orders } = await start({});
    const big = await postOrder(
      url,
      JSON.stringify({ subject: 'Tea', amount: 100, pad: 'x'.repeat(17_000) }),
    );
    expect(big).toMatchObject({ status: 413, json: { error: 'BODY_TOO_LARGE' } });
    const subject = await postOrder(url, JSON.stringify({ subject: 'x'.repeat(43), amount: 100 }));
    expect(subject).toMatchObject({ status: 400, json: { error: 'INVALID_SUBJECT' } });
    const bytes = await postOrder(url, JSON.stringify({ subject: '茶'.repeat(43), amount: 100 }));
    expect(bytes).toMatchObject({ status: 400, json: { error: 'INVALID_SUBJECT' } });
    const body = await postOrder(url, JSON.stringify({ subject: 'Tea', body: 'y'.repeat(200), amount: 100 }));
    expect(body).toMatchObject({ status: 400, json: { error: 'INVALID_BODY_TEXT' } });
    expect(orders.created).toBe(0);
  });
});
