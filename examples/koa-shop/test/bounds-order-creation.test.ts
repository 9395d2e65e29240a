import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { connectPostgres, freshSchema, urlInSchema } from '../../../test/support/postgres.js';
import { type Env, loadConfig } from '../src/config.js';
import { openDatabase, type ShopDatabase } from '../src/db/database.js';
import type { OrderRecord } from '../src/orders/order-repository.js';
import { type Running, type RunningShop, startShop, startShopWithSimulator } from './helpers.js';
import { InMemoryOrderRepository } from './in-memory-orders.js';

/**
 * Issue 15: `POST /orders` was open and its storage grew without bound. Creation is now bounded
 * whatever the repository: per client address and in total (429 RATE_LIMITED), by body size
 * (413 BODY_TOO_LARGE) and by field (400). Over real sockets, from several loopback addresses. The counters
 * are in the shop's database, so instances on one PostgreSQL share them; each test gets a schema of its own.
 */

class CountingOrders extends InMemoryOrderRepository {
  created = 0;
  override async create(order: OrderRecord): Promise<void> {
    this.created++;
    return super.create(order);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** DATABASE_URL in a fresh schema, dropped after the test: the counters start at zero. */
async function freshDatabaseUrl(): Promise<string> {
  const admin = await connectPostgres();
  const schema = await freshSchema(admin, 'order_limits');
  cleanups.push(async () => {
    await schema.drop();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema.name}_jobs" CASCADE`); // the shop's jobs beside it
    await admin.end();
  });
  return urlInSchema(schema.name);
}

async function start(env: Env): Promise<{ url: string; orders: CountingOrders; run: Running }> {
  const orders = new CountingOrders();
  const run = await startShopWithSimulator({ DATABASE_URL: await freshDatabaseUrl(), ...env }, { orders });
  cleanups.push(() => run.close());
  return { url: run.url, orders, run };
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
  it('defaults: 60 a minute per client, 300 a minute in total; ORDERS_PER_MINUTE* override, nonsense refused', async () => {
    expect((await loadConfig({})).api).toMatchObject({ ordersPerMinutePerClient: 60, ordersPerMinute: 300 });
    expect((await loadConfig({ ORDERS_PER_MINUTE_PER_IP: '5', ORDERS_PER_MINUTE: '50' })).api).toMatchObject({
      ordersPerMinutePerClient: 5,
      ordersPerMinute: 50,
    });
    await expect(loadConfig({ ORDERS_PER_MINUTE: '0' })).rejects.toThrow('ORDERS_PER_MINUTE');
    await expect(loadConfig({ ORDERS_PER_MINUTE_PER_IP: 'many' })).rejects.toThrow(
      'ORDERS_PER_MINUTE_PER_IP',
    );
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

  it('all clients together are capped, however many addresses they use', async () => {
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

  it('instances on one database share the counters: per client and in total, whichever instance is asked', async () => {
    const { run, url: urlA, orders } = await start({ ORDERS_PER_MINUTE_PER_IP: '2', ORDERS_PER_MINUTE: '5' });
    const b: RunningShop = await startShop(
      run.sim,
      {
        DATABASE_URL: run.shop.config.databaseUrl as string,
        ORDERS_PER_MINUTE_PER_IP: '2',
        ORDERS_PER_MINUTE: '5',
      },
      { orders },
    );
    cleanups.push(() => b.close());
    const urlB = b.url;
    // One client, alternating instances: its third order is refused, though instance A has seen only one.
    const one = [
      await postOrder(urlA, ORDER, '127.0.0.2'),
      await postOrder(urlB, ORDER, '127.0.0.2'),
      await postOrder(urlA, ORDER, '127.0.0.2'),
    ];
    expect(one.map((r) => r.status)).toEqual([201, 201, 429]);
    // Everyone together: 3 more fit in the total of 5, across both instances, then both refuse.
    const rest: number[] = [];
    for (const [i, client] of ['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'].entries()) {
      rest.push((await postOrder(i % 2 ? urlB : urlA, ORDER, client)).status);
    }
    expect(rest).toEqual([201, 201, 201, 429, 429]);
    expect(String((await postOrder(urlB, ORDER, '127.0.0.8')).json.message)).toContain(
      'at most 5 orders a minute in total',
    );
    expect(orders.created).toBe(5);
  });

  it('a client over its limit is refused from memory: no further database writes for it', async () => {
    const url = await freshDatabaseUrl();
    const real = await openDatabase({ databaseUrl: url, dataDir: 'unused' });
    cleanups.push(() => real.close());
    let counterQueries = 0;
    const database: ShopDatabase = {
      ...real,
      sql: {
        ...real.sql,
        query: (text, values) => {
          if (text.includes('order_rate_limits')) counterQueries++;
          return real.sql.query(text, values);
        },
      },
    };
    const run = await startShopWithSimulator(
      { DATABASE_URL: url, ORDERS_PER_MINUTE_PER_IP: '2', ORDERS_PER_MINUTE: '100' },
      { orders: new CountingOrders(), database },
    );
    cleanups.push(() => run.close());
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await postOrder(run.url, ORDER, '127.0.0.2')).status);
    expect(statuses).toEqual([201, 201, 429]);
    const afterRefusal = counterQueries;
    expect(afterRefusal).toBe(5); // 2 × (client + total), then the client's refusal
    for (let i = 0; i < 20; i++) expect((await postOrder(run.url, ORDER, '127.0.0.2')).status).toBe(429);
    expect(counterQueries).toBe(afterRefusal);
    const { rows } = await real.sql.query('SELECT key, points FROM order_rate_limits ORDER BY key', []);
    expect(rows).toEqual([
      { key: 'orders-client:127.0.0.2', points: 3 },
      { key: 'orders-total:all', points: 2 },
    ]);
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
