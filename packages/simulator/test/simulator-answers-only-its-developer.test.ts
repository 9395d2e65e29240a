import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Simulator, SimulatorError, startSimulator } from '../src/index.js';
import { createEcpayOrder } from './dashboard-test-helpers.js';
import { ecpayCall } from './simulator-test-helpers.js';

/**
 * Only the developer drives the simulator: its controls, log and dashboard answer peers on this machine
 * under a loopback Host name and its port; controls want JSON and no foreign Origin. The platform APIs
 * answer the app's clients whatever Host they send. (The browser's view: dashboard-in-a-real-browser.)
 */

interface RawReply {
  status: number;
  body: string;
}

/** A raw HTTP request, to set what fetch will not (Host, Origin, Sec-Fetch-Site). */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(opts.body ?? '');
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.0001 });
});
afterAll(async () => {
  await sim.close();
});

describe('the routes the simulator serves to the developer', () => {
  it('refuse a foreign Host (DNS rebinding) on every one, controls, log and dashboard alike', async () => {
    const port = new URL(sim.url).port;
    await createEcpayOrder(sim, 'order_7001');
    const routes: [string, string, string?][] = [
      ['GET', '/_sim/'],
      ['GET', '/_sim/api/state'],
      ['GET', '/_sim/api/events'],
      ['GET', '/_sim/log'],
      ['POST', '/_sim/douyin/pay', '{"out_order_no":"order_7001"}'],
      ['POST', '/_sim/faults', '{"platform":"douyin","status":500}'],
      ['POST', '/_sim/api/orders/douyin/order_7001/cancel', '{}'],
      // Case and route variants the router would still match, and paths no route has yet.
      ['POST', '/_SIM/douyin/pay', '{"out_order_no":"order_7001"}'],
      ['POST', '/_sim/a-control-added-later', '{}'],
    ];
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
    ]) {
      for (const [method, path, body] of routes) {
        const reply = await raw(`${sim.url}${path}`, { method, headers: { ...JSON_TYPE, host }, body });
        expect(reply.status, `${method} ${path} as ${host}`).toBe(403);
        expect(JSON.parse(reply.body)).toMatchObject({ error: 'FORBIDDEN' });
      }
    }
    expect(sim.douyin.order('order_7001')?.status).toBe('PROCESSING');
    expect((await ecpayCall(sim, 'query_order', { out_order_no: 'order_7001' })).status).toBe(200);
  });

  it('answer under 127.0.0.1, localhost and [::1] with the port', async () => {
    const port = new URL(sim.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await raw(`${sim.url}/_sim/log`, { headers: { host } })).status, host).toBe(200);
    }
  });

  it('take controls only as JSON: a form post (text/plain, urlencoded, multipart) is 415 and changes nothing', async () => {
    await createEcpayOrder(sim, 'order_7002');
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ]) {
      const headers: Record<string, string> = type === '' ? {} : { 'content-type': type };
      const reply = await raw(`${sim.url}/_sim/douyin/pay`, {
        method: 'POST',
        headers,
        body: '{"out_order_no":"order_7002"}',
      });
      expect(reply.status, type).toBe(415);
      expect(JSON.parse(reply.body)).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE' });
      const fault = await raw(`${sim.url}/_sim/faults`, {
        method: 'POST',
        headers,
        body: '{"platform":"douyin","status":500}',
      });
      expect(fault.status, type).toBe(415);
    }
    const deleted = await raw(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    expect(deleted.status).toBe(415);
    expect(sim.douyin.order('order_7002')?.status).toBe('PROCESSING');
    expect((await ecpayCall(sim, 'query_order', { out_order_no: 'order_7002' })).status).toBe(200);
  });

  it('take controls only from their own origin, when the request names one', async () => {
    await createEcpayOrder(sim, 'order_7003');
    const pay = (headers: Record<string, string>) =>
      raw(`${sim.url}/_sim/api/orders/douyin/order_7003/cancel`, {
        method: 'POST',
        headers: { ...JSON_TYPE, ...headers },
        body: '{}',
      });
    const foreign: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: `http://localhost:${new URL(sim.url).port}` }, // another origin than the Host it came to
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of foreign) {
      const reply = await pay(headers);
      expect(reply.status, JSON.stringify(headers)).toBe(403);
    }
    expect(sim.douyin.order('order_7003')?.status).toBe('PROCESSING');
    // The page itself (same origin) and tools (no Origin: curl, the CLI, tests) are served.
    expect((await pay({ origin: sim.url, 'sec-fetch-site': 'same-origin' })).status).toBe(202);
    expect(sim.douyin.order('order_7003')?.status).toBe('TIMEOUT');
    const byTool = await raw(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"platform":"douyin","status":429}',
    });
    expect(byTool.status).toBe(200);
    const faulted = await raw(`${sim.url}/api/apps/ecpay/v1/query_order`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{}',
    });
    expect(faulted.status).toBe(429);
    expect((await raw(`${sim.url}/_sim/faults`, { method: 'DELETE', headers: JSON_TYPE })).status).toBe(200);
  });

  it('carry headers that keep them private to the page', async () => {
    const res = await fetch(`${sim.url}/_sim/log`);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the platform APIs', () => {
  it('answer the app whatever Host its client sends (the real platform host, through the loopback transport)', async () => {
    for (const host of [
      'developer.toutiao.com',
      'open-api.tiktokglobalshop.com',
      'algovoi.simulator.invalid',
    ]) {
      const reply = await raw(`${sim.url}/api/apps/ecpay/v1/query_order`, {
        method: 'POST',
        headers: { ...JSON_TYPE, host },
        body: '{}',
      });
      expect(reply.status, host).toBe(200);
      expect(JSON.parse(reply.body)).toHaveProperty('err_no');
    }
  });
});

describe('every platform path passes the guard (sim-log.ts PREFIXES), whatever Host the client sends', () => {
  it.each([
    ['GET', '/authorization/202309/shops'],
    ['POST', '/order/202309/orders/search'],
    ['POST', '/return_refund/202309/cancellations/search'],
    ['POST', '/return_refund/202309/cancellations/4035/approve'],
    ['GET', '/api/v2/token/refresh'],
    ['GET', '/checkout/tok_unknown/status'],
  ])('%s %s reaches its platform handler, not the guard', async (method, path) => {
    const reply = await raw(`${sim.url}${path}`, {
      method,
      headers: { ...JSON_TYPE, host: 'open-api.tiktokglobalshop.com' },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    // Unsigned, these are refused — by the platform's own rules, never with the guard's FORBIDDEN.
    expect(reply.status).not.toBe(403);
    expect(reply.body).not.toContain('FORBIDDEN');
  });
});

describe('startSimulator refuses an unsafe start', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('a non-loopback address without unsafeAllowNetworkAccess', async () => {
    for (const host of ['0.0.0.0', '::', externalAddress()]) {
      const started = startSimulator({ host });
      await expect(started).rejects.toBeInstanceOf(SimulatorError);
      await expect(started).rejects.toMatchObject({ code: 'UNSAFE_HOST' });
      await expect(started).rejects.toThrow(/unsafeAllowNetworkAccess/);
    }
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost']) {
      const local = await startSimulator({ host });
      await local.close();
    }
  });

  it('NODE_ENV=production, unless unsafeAllowProduction', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const started = startSimulator();
    await expect(started).rejects.toMatchObject({ code: 'PRODUCTION_ENV' });
    await expect(started).rejects.toThrow(/unsafeAllowProduction/);
    const harness = await startSimulator({ unsafeAllowProduction: true });
    expect((await fetch(`${harness.url}/_sim/log`)).status).toBe(200);
    await harness.close();
  });
});

describe('with unsafeAllowNetworkAccess', () => {
  it('serves the platform APIs to the network, but its controls to this machine or allowedHosts names only', async () => {
    const exposed = await startSimulator({ host: '0.0.0.0', unsafeAllowNetworkAccess: true });
    try {
      const port = exposed.port;
      // Connecting to this machine's own network address: the peer is that address, not loopback.
      const outside = `http://${externalAddress()}:${port}`;
      const api = await raw(`${outside}/api/apps/ecpay/v1/query_order`, {
        method: 'POST',
        headers: JSON_TYPE,
        body: '{}',
      });
      expect(api.status).toBe(200);
      // A Host header that claims loopback is no proof of it: the socket's address decides.
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        const log = await raw(`${outside}/_sim/log`, { headers: { host } });
        expect(log.status, host).toBe(403);
      }
      expect((await raw(`http://127.0.0.1:${port}/_sim/log`)).status).toBe(200);
    } finally {
      await exposed.close();
    }

    const named = await startSimulator({
      host: '0.0.0.0',
      unsafeAllowNetworkAccess: true,
      allowedHosts: ['simulator'],
    });
    try {
      const outside = `http://${externalAddress()}:${named.port}`;
      expect(
        (await raw(`${outside}/_sim/log`, { headers: { host: `simulator:${named.port}` } })).status,
      ).toBe(200);
      expect((await raw(`${outside}/_sim/log`, { headers: { host: `other:${named.port}` } })).status).toBe(
        403,
      );
    } finally {
      await named.close();
    }
  });
});

/** This machine's first non-loopback IPv4 address (a container's eth0). */
function externalAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error(
    'These tests need a non-loopback IPv4 interface (e.g. eth0) to connect from; this machine has none.',
  );
}
