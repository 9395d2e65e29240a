import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderRecord } from '../src/orders/order-repository.js';
import { type Running, startShopWithSimulator } from './helpers.js';
import { InMemoryOrderRepository } from './in-memory-orders.js';

/** An order repository whose `create` waits until the test lets it go: a request held in flight. */
class HeldRepository extends InMemoryOrderRepository {
  held: (() => void) | undefined;
  entered: Promise<void>;
  #enter!: () => void;
  constructor() {
    super();
    this.entered = new Promise((r) => {
      this.#enter = r;
    });
  }
  override async create(order: OrderRecord): Promise<void> {
    this.#enter();
    await new Promise<void>((resolve) => {
      this.held = resolve;
    });
    return super.create(order);
  }
}

/** A plain request on its own connection (no pooled keep-alive socket). */
function rawGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

let run: Running | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe('graceful shutdown', () => {
  it('finishes the in-flight request, refuses new connections, then closes the queue and store', async () => {
    const orders = new HeldRepository();
    run = await startShopWithSimulator({}, { orders });
    const { url, shop } = run;
    expect(await rawGet(`${url}/healthz`)).toBe(200);

    const inFlight = fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Tea', amount: 100 }),
    });
    await orders.entered;

    const stopped = shop.stop();
    await new Promise((r) => setTimeout(r, 20));
    await expect(rawGet(`${url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    let stoppedYet = false;
    void stopped.then(() => {
      stoppedYet = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stoppedYet).toBe(false); // still waiting for the request

    orders.held?.();
    const res = await inFlight;
    expect(res.status).toBe(201);
    expect(res.headers.get('connection')).toBe('close');
    await stopped;
    expect(run.logs.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopped']));
  });

  it('cuts requests still running at the deadline', async () => {
    const orders = new HeldRepository();
    run = await startShopWithSimulator({}, { orders, shutdownTimeoutMs: 50 });
    const inFlight = fetch(`${run.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Tea', amount: 100 }),
    }).then(
      () => 'answered',
      () => 'cut',
    );
    await orders.entered;
    await run.shop.stop();
    expect(await inFlight).toBe('cut');
    orders.held?.();
  });

  it('answers /healthz 503 while stopping (for load balancers on open connections)', async () => {
    const orders = new HeldRepository();
    run = await startShopWithSimulator({}, { orders });
    const inFlight = fetch(`${run.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Tea', amount: 100 }),
    });
    await orders.entered;
    const stopped = run.shop.stop();
    // A request that reached the app after shutdown began (through supertest: no listening socket needed).
    const health = await request(run.shop.app.callback()).get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'stopping' });
    orders.held?.();
    await inFlight;
    await stopped;
  });
});
