import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './dashboard-browser.js';
import { createEcpayOrder, type Rig, startRig } from './dashboard-test-helpers.js';

// A web page the developer happens to visit, on another site (evil.test, which Chromium resolves to
// 127.0.0.1 here), tries to drive the simulator running on their machine, in headless Chromium (Debian's
// /usr/bin/chromium; without it these tests fail, saying how to install it). Every attempt reaches the
// simulator and is refused there, and nothing changes: no order paid, no callback sent, no fault injected.

const ATTACKER_HOST = 'evil.test';

let rig: Rig;
let browser: Browser | undefined;
let attacker: Server;
let attackerOrigin: string;

/** The attacker's page: forms that post "JSON" as text/plain, the classic cross-site request forgery. */
function attackerPage(simUrl: string): string {
  const form = (id: string, path: string, json: Record<string, unknown>) => {
    // A text/plain form sends `name=value`: the name carries the JSON up to a last string, the value closes it.
    const text = JSON.stringify({ ...json, pad: '' });
    const name = text.slice(0, -2);
    return `<form id="${id}" method="POST" enctype="text/plain" action="${simUrl}${path}">
      <input name='${name}' value='"}'></form>`;
  };
  return `<!doctype html><html><body><h1>Totally unrelated page</h1>
    ${form('pay', '/_sim/douyin/pay', { out_order_no: 'order_8001' })}
    ${form('button', '/_sim/api/orders/douyin/order_8001/pay', {})}
    ${form('fault', '/_sim/faults', { platform: 'douyin', status: 500, times: 100 })}
  </body></html>`;
}

beforeAll(async () => {
  rig = await startRig();
  attacker = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(attackerPage(rig.sim.url));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://${ATTACKER_HOST}:${(attacker.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => {
    attacker?.close(() => resolve());
    attacker?.closeAllConnections();
  });
  await rig?.close();
});

async function openAttackerPage() {
  browser ??= await launchChromium({ args: [`--host-resolver-rules=MAP ${ATTACKER_HOST} 127.0.0.1`] });
  const opened = await browser.newPage();
  await opened.page.goto(`${attackerOrigin}/`);
  return opened;
}

/** What the simulator logged for its own paths since `from` (method, path, status): not /favicon.ico. */
function controlLog(from: number): string[] {
  return rig.sim.log
    .slice(from)
    .filter((e) => e.path.toLowerCase().startsWith('/_sim'))
    .map((e) => `${e.method} ${e.path} ${e.status}`);
}

async function unchanged(outOrderNo: string): Promise<void> {
  expect(rig.sim.douyin.order(outOrderNo)?.status).toBe('PROCESSING');
  expect(rig.app.payments.get(outOrderNo)).toBeUndefined();
  // No fault rule took hold: the platform API still answers.
  const query = await fetch(`${rig.sim.url}/api/apps/ecpay/v1/query_order`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(query.status).toBe(200);
}

describe('a page on another site, in a real browser', () => {
  it('posts forms (text/plain) at the controls: each reaches the simulator, is refused (403: another site), and changes nothing', async () => {
    await createEcpayOrder(rig.sim, 'order_8001');
    const { page } = await openAttackerPage();
    const from = rig.sim.log.length;
    for (const [id, path] of [
      ['pay', '/_sim/douyin/pay'],
      ['button', '/_sim/api/orders/douyin/order_8001/pay'],
      ['fault', '/_sim/faults'],
    ] as const) {
      await page.goto(`${attackerOrigin}/`);
      const landed = page.waitForURL(`${rig.sim.url}${path}`);
      await page.locator(`form#${id}`).evaluate((form: { submit(): void }) => form.submit());
      await landed;
      expect(await page.locator('body').textContent(), id).toContain('FORBIDDEN');
    }
    expect(controlLog(from)).toEqual([
      'POST /_sim/douyin/pay 403',
      'POST /_sim/api/orders/douyin/order_8001/pay 403',
      'POST /_sim/faults 403',
    ]);
    await unchanged('order_8001');
    await page.close();
  });

  it('fetches the controls: no-cors posts are refused by the simulator, JSON never passes the preflight, reads stay unread', async () => {
    await createEcpayOrder(rig.sim, 'order_8002');
    const { page } = await openAttackerPage();
    const from = rig.sim.log.length;
    const outcomes = await page.evaluate(async (sim: string) => {
      const body = JSON.stringify({ out_order_no: 'order_8002' });
      const attempt = (init: RequestInit) =>
        fetch(`${sim}/_sim/douyin/pay`, { method: 'POST', body, ...init }).then(
          (res) => `answered ${res.type} ${res.status}`,
          (error: Error) => `failed: ${error.name}`,
        );
      return [
        await attempt({ mode: 'no-cors' }),
        await attempt({ mode: 'no-cors', headers: { 'content-type': 'text/plain' } }),
        await attempt({ headers: { 'content-type': 'application/json' } }),
        await fetch(`${sim}/_sim/log`).then(
          (res) => `answered ${res.status}`,
          (error: Error) => `failed: ${error.name}`,
        ),
      ];
    }, rig.sim.url);
    // The page learns nothing: the no-cors answers are blocked by Cross-Origin-Resource-Policy, the JSON
    // post by its preflight, the read by CORS.
    expect(outcomes).toEqual(Array(4).fill('failed: TypeError'));
    const seen = controlLog(from);
    // The no-cors posts reached the simulator and were refused; the JSON one stopped at its preflight.
    expect(seen.filter((l) => l.startsWith('POST'))).toEqual([
      'POST /_sim/douyin/pay 403',
      'POST /_sim/douyin/pay 403',
    ]);
    await unchanged('order_8002');
    await page.close();
  });

  it('rebinds its own name to 127.0.0.1 (DNS rebinding): the simulator refuses the foreign Host, reads and controls alike', async () => {
    await createEcpayOrder(rig.sim, 'order_8003');
    browser ??= await launchChromium({ args: [`--host-resolver-rules=MAP ${ATTACKER_HOST} 127.0.0.1`] });
    const { page } = await browser.newPage();
    // The attacker's name now points at the simulator's address: to the browser, the simulator is
    // same-origin with the attacker's page.
    const rebound = `http://${ATTACKER_HOST}:${rig.sim.port}`;
    const landing = await page.goto(`${rebound}/_sim/`);
    expect(landing?.status()).toBe(403);
    const from = rig.sim.log.length;
    const outcomes = await page.evaluate(async () => {
      const state = await fetch('/_sim/api/state');
      const pay = await fetch('/_sim/douyin/pay', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ out_order_no: 'order_8003' }),
      });
      return [state.status, (await state.text()).includes('deliveries'), pay.status];
    });
    expect(outcomes).toEqual([403, false, 403]);
    expect(controlLog(from)).toEqual(['POST /_sim/douyin/pay 403']);
    await unchanged('order_8003');
    await page.close();
  });

  it("leaves the simulator's own page working: its Pay button still pays", async () => {
    await createEcpayOrder(rig.sim, 'order_8004');
    browser ??= await launchChromium({ args: [`--host-resolver-rules=MAP ${ATTACKER_HOST} 127.0.0.1`] });
    const { page, errors } = await browser.newPage();
    await page.goto(`${rig.sim.url}/_sim/`);
    await page.locator('body[data-loaded="true"]').waitFor();
    await page.locator('tr[data-order="order_8004"] button[data-action="pay"]').click();
    await expect.poll(() => rig.app.payments.get('order_8004')).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
