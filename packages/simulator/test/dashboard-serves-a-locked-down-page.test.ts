import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { DASHBOARD_CSP } from '../src/simulator/dashboard/dashboard-routes.js';
import { createEcpayOrder, until } from './dashboard-test-helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.0001 });
});
afterAll(async () => {
  await sim.close();
});

/** A raw request, to set what fetch will not (Host) . */
function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body = '',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the dashboard page', () => {
  it('is plain files served with a restrictive Content-Security-Policy and no caching', async () => {
    const files = [
      ['/_sim/', 'text/html'],
      ['/_sim/assets/dashboard.js', 'text/javascript'],
      ['/_sim/assets/dashboard.css', 'text/css'],
      ['/_sim/api/state', 'application/json'],
    ] as const;
    for (const [path, type] of files) {
      const res = await fetch(`${sim.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain(type);
      expect(res.headers.get('content-security-policy'), path).toBe(DASHBOARD_CSP);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    expect(DASHBOARD_CSP).toContain("default-src 'none'");
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe-inline');
    expect(DASHBOARD_CSP).toContain("require-trusted-types-for 'script'");
    const html = await (await fetch(`${sim.url}/_sim/`)).text();
    expect(html).toContain('LOCAL SIMULATOR');
    // No inline script or style for the CSP to allow.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);

    const redirect = await fetch(`${sim.url}/_sim`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/_sim/');
    expect((await fetch(`${sim.url}/_sim/assets/index.html`)).status).toBe(404);
    expect((await fetch(`${sim.url}/_sim/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it('answers only to loopback host names (a DNS-rebinding page gets nothing)', async () => {
    const port = new URL(sim.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await raw('/_sim/api/state', { host })).status, host).toBe(200);
    }
    for (const host of [`evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const res = await raw('/_sim/api/state', { host });
      expect(res.status, host).toBe(403);
      expect(res.body).not.toContain('deliveries');
      expect((await raw('/_sim/', { host })).status, host).toBe(403);
    }
  });

  it('takes button presses only as JSON from its own origin', async () => {
    await createEcpayOrder(sim, 'order_4001');
    const headers = { 'content-type': 'application/json', origin: 'http://evil.example' };
    expect((await raw('/_sim/api/orders/douyin/order_4001/cancel', headers, 'POST', '{}')).status).toBe(403);
    const textPlain = { 'content-type': 'text/plain' };
    expect((await raw('/_sim/api/orders/douyin/order_4001/cancel', textPlain, 'POST', '{}')).status).toBe(
      415,
    );
    expect(sim.douyin.order('order_4001')?.status).toBe('PROCESSING');
    const own = { 'content-type': 'application/json', origin: sim.url };
    expect((await raw('/_sim/api/orders/douyin/order_4001/cancel', own, 'POST', '{}')).status).toBe(202);
    expect(sim.douyin.order('order_4001')?.status).toBe('TIMEOUT');
  });

  it("keeps the page's own reads out of sim.log, but logs its button presses", async () => {
    const before = sim.log.length;
    await fetch(`${sim.url}/_sim/`);
    await fetch(`${sim.url}/_sim/assets/dashboard.js`);
    await fetch(`${sim.url}/_sim/api/state`);
    expect(sim.log.slice(before)).toEqual([]);
    await createEcpayOrder(sim, 'order_4002');
    await fetch(`${sim.url}/_sim/api/orders/douyin/order_4002/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sim.log.slice(before).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /api/apps/ecpay/v1/create_order 200',
      'POST /_sim/api/orders/douyin/order_4002/cancel 202',
    ]);
  });

  it('pushes a change event when something happens (Server-Sent Events)', async () => {
    const controller = new AbortController();
    const res = await fetch(`${sim.url}/_sim/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const read = async () => {
      const { value } = await reader.read();
      text += Buffer.from(value ?? new Uint8Array()).toString();
      return text;
    };
    await until(async () => (await read()).includes('event: change'));
    const initial = Number(/data: (\d+)/.exec(text)?.[1]);
    text = '';
    await createEcpayOrder(sim, 'order_4003');
    // Changes are coalesced: a notification of the version already seen may still be on its way (the
    // subscription's own request counted as a change); the one for the new order carries a higher version.
    const pushed = await until(async () => {
      const versions = [...(await read()).matchAll(/event: change\ndata: (\d+)/g)].map((m) => Number(m[1]));
      return versions.find((v) => v > initial);
    });
    expect(pushed).toBeGreaterThan(initial);
    controller.abort();
  });

  it('ships in the package: its files are listed and found from dist/', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('dashboard');
    const built = (await import(
      new URL('../dist/simulator/dashboard/static-assets.js', import.meta.url).href
    )) as {
      readDashboardAsset(name: string): Promise<Buffer>;
    };
    const source = readFileSync(new URL('../dashboard/dashboard.js', import.meta.url));
    expect((await built.readDashboardAsset('dashboard.js')).equals(source)).toBe(true);
  });
});
