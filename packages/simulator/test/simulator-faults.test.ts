import { demoCredentials } from '@ttpay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { ecpayCall, postJson, tiktokCall } from './simulator-test-helpers.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const query = (n = 'order_x') => ecpayCall(sim, 'query_order', { out_order_no: n });
const rawQuery = () => fetch(`${sim.url}/api/apps/ecpay/v1/query_order`, { method: 'POST', body: '{}' });
const checkout = (signal?: AbortSignal) => fetch(`${sim.url}/checkout/nope`, signal ? { signal } : {});

describe('sim.fault injects failures into platform API requests', () => {
  it('a 503 once, then the API behaves again', async () => {
    sim.fault({ platform: 'douyin', status: 503 });
    const first = await rawQuery();
    expect(first.status).toBe(503);
    expect((await query()).json).toMatchObject({ err_no: expect.any(Number) });
    expect((await query()).status).toBe(200);
  });

  it('garbage: HTTP 200 with a body that is not JSON, on the matching path only, `times` times', async () => {
    const orderId = sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    sim.fault({ platform: 'tiktok', path: '/order/202309/orders', garbage: true, times: 2 });
    const token = await fetch(
      `${sim.url}/api/v2/token/get?app_key=${demoCredentials.tiktok.appKey}&app_secret=x&auth_code=c&grant_type=authorized_code`,
    );
    expect(((await token.json()) as { code: number }).code).not.toBe(0); // other path: not faulted
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${sim.url}/order/202309/orders?ids=${orderId}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(() => JSON.parse(text)).toThrow();
    }
    expect((await tiktokCall(sim, '/order/202309/orders', { query: { ids: orderId } })).json.code).toBe(0);
  });

  it('delayMs holds the answer long enough for a client timeout, then answers normally', async () => {
    sim.fault({ platform: 'algovoi', delayMs: 400 });
    await expect(checkout(AbortSignal.timeout(50))).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await checkout()).status).toBe(404); // the rule is used up: immediate, normal answer

    sim.fault({ platform: 'algovoi', delayMs: 80 });
    const started = Date.now();
    expect((await checkout()).status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('leaves other platforms and the /_sim/ control routes alone; the returned function and clearFaults remove rules', async () => {
    const remove = sim.fault({ platform: 'algovoi', status: 500, times: 100 });
    expect((await query()).status).toBe(200);
    expect((await fetch(`${sim.url}/_sim/log`)).status).toBe(200);
    expect((await checkout()).status).toBe(500);
    remove();
    expect((await checkout()).status).toBe(404);

    sim.fault({ platform: 'douyin', status: 502, times: 100 });
    sim.clearFaults();
    expect((await query()).status).toBe(200);
  });

  it('takes rules over HTTP at POST /_sim/faults, and refuses malformed ones', async () => {
    expect((await postJson(`${sim.url}/_sim/faults`, { platform: 'douyin', status: 429 })).status).toBe(200);
    expect((await rawQuery()).status).toBe(429);
    const bad = await postJson(`${sim.url}/_sim/faults`, { platform: 'stripe', status: 500 });
    expect(bad).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
    expect(() => sim.fault({ platform: 'douyin', times: 0 })).toThrow(/times/);
  });
});
