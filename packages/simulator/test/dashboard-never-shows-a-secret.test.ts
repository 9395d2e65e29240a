import { readFileSync } from 'node:fs';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownSecrets } from '../../../test/security/known-secrets.js';
import {
  createEcpayOrder,
  createPaymentLink,
  createTradeOrder,
  deliveryOf,
  type Rig,
  settled,
  startRig,
  state,
  until,
} from './dashboard-test-helpers.js';
import { ecpayCall } from './simulator-test-helpers.js';

/**
 * Every form a configured secret could take on the page: the value itself, its base64, base64url and hex,
 * each line of a private key's PEM body and the whole body on one line (as a JSON string or a console's
 * "bare base64" shows it).
 */
function secretForms(): { name: string; value: string }[] {
  const forms: { name: string; value: string }[] = [];
  for (const { name, value } of knownSecrets()) {
    forms.push({ name, value });
    if (name.includes('(line ')) continue;
    const bytes = Buffer.from(value);
    forms.push({ name: `${name} as base64`, value: bytes.toString('base64').replace(/=+$/, '') });
    forms.push({ name: `${name} as base64url`, value: bytes.toString('base64url') });
    forms.push({ name: `${name} as hex`, value: bytes.toString('hex') });
  }
  const { appPrivateKey, platformPrivateKey } = demoCredentials.douyin;
  for (const [name, pem] of Object.entries({ appPrivateKey, platformPrivateKey })) {
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    forms.push({ name: `demoCredentials.douyin.${name} (PEM body)`, value: body });
    forms.push({
      name: `demoCredentials.douyin.${name} (PEM, JSON-escaped)`,
      value: JSON.stringify(pem).slice(1, 40),
    });
  }
  return forms;
}

/** Every `/_sim/…` path the page's script and HTML name (template strings up to their first `${`). */
function pathsThePageUses(): string[] {
  const files = ['../dashboard/dashboard.js', '../dashboard/index.html'].map((f) =>
    readFileSync(new URL(f, import.meta.url), 'utf8'),
  );
  return [...new Set(files.flatMap((text) => [...text.matchAll(/\/_sim\/[^'"`$\s<>]*/g)].map((m) => m[0])))];
}

let rig: Rig;
/** What each endpoint answered: path → body text. */
const answers = new Map<string, string>();

async function record(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${rig.sim.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  answers.set(`${method} ${path}`, `${JSON.stringify([...res.headers])}\n${await res.text()}`);
}

beforeAll(async () => {
  rig = await startRig();
  const { sim } = rig;
  // Every kind of delivery and every button: ecpay (SHA-1 with the token), the trade system (RSA with the
  // platform's private key), refunds, settlements, TikTok Shop (HMAC with the app secret), AlgoVoi.
  await createEcpayOrder(sim, 'order_5001');
  await createEcpayOrder(sim, 'order_5002');
  await createTradeOrder(sim, 'trade_5003');
  const token = await createPaymentLink(sim);
  const tiktokOrder = sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD' });
  await record('POST', '/_sim/api/orders/douyin/order_5001/pay', {});
  await record('POST', '/_sim/api/orders/douyin/order_5002/cancel', {});
  await record('POST', '/_sim/api/orders/douyin/trade_5003/pay', {});
  await record('POST', `/_sim/api/orders/algovoi/${token}/pay`, {});
  await record('POST', `/_sim/api/orders/tiktok/${tiktokOrder}/pay`, {});
  await deliveryOf(sim, 'order_5001', (d) => d.state === 'acknowledged');
  await ecpayCall(sim, 'settle', {
    out_order_no: 'order_5001',
    out_settle_no: 'settle_5001',
    settle_desc: 'monthly',
  });
  await record('POST', '/_sim/api/orders/douyin/order_5001/settle', {});
  await record('POST', '/_sim/api/orders/douyin/order_5001/refund', {});
  await record('POST', '/_sim/api/orders/douyin/nope/pay', {});
  for (const d of (await state(sim)).deliveries) {
    await record('POST', `/_sim/api/deliveries/${d.id}/resend`, { copies: 2 });
    for (const how of d.breakable)
      await record('POST', `/_sim/api/deliveries/${d.id}/resend`, { break: how });
  }
  await record('PUT', '/_sim/api/outages/douyin', { on: true });
  await record('PUT', '/_sim/api/outages/douyin', { on: false });
  await until(async () => {
    const deliveries = (await state(sim)).deliveries;
    return deliveries.length === 6 && deliveries.every((d) => d.state === 'acknowledged' && settled(d));
  });
  for (const path of [
    '/_sim/',
    '/_sim/assets/dashboard.js',
    '/_sim/assets/dashboard.css',
    '/_sim/api/state',
  ]) {
    await record('GET', path);
  }
  // The event stream: read what it sent, then hang up.
  const controller = new AbortController();
  const events = await fetch(`${sim.url}/_sim/api/events`, { signal: controller.signal });
  const { value } = await events.body!.getReader().read();
  answers.set(
    'GET /_sim/api/events',
    `${JSON.stringify([...events.headers])}\n${Buffer.from(value!).toString()}`,
  );
  controller.abort();
});
afterAll(async () => {
  await rig?.close();
});

describe('the dashboard and its JSON endpoints', () => {
  it('were all exercised: every path the page uses was fetched, with deliveries of every scheme', async () => {
    const fetched = [...answers.keys()].map((k) => k.split(' ')[1]!);
    for (const path of pathsThePageUses()) {
      expect(
        fetched.some((f) => f.startsWith(path)),
        `the page uses ${path}`,
      ).toBe(true);
    }
    const { deliveries } = await state(rig.sim);
    expect(new Set(deliveries.map((d) => d.scheme))).toEqual(
      new Set(['ecpay', 'trade', 'tiktok', 'algovoi']),
    );
    expect(new Set(deliveries.flatMap((d) => d.attempts.map((a) => a.kind)))).toEqual(
      new Set(['scheduled', 'resend', 'bad-signature', 'stale-timestamp']),
    );
  });

  it('never contain a secret of the simulator, in any encoding', () => {
    const leaks: string[] = [];
    const forms = secretForms();
    expect(forms.length).toBeGreaterThan(20);
    for (const [endpoint, text] of answers) {
      for (const { name, value } of forms) {
        if (text.includes(value)) leaks.push(`${endpoint} shows ${name}`);
      }
    }
    // Names only: the test output must not print the values either.
    expect(leaks).toEqual([]);
  });
});
