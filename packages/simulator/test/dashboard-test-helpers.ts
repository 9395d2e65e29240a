import { randomBytes } from 'node:crypto';
import { buildByteAuthorization } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { type Simulator, startSimulator } from '../src/index.js';
import type { DashboardState, DeliveryView } from '../src/simulator/dashboard/dashboard-state.js';
import { type PaymentApp, startPaymentApp } from './dashboard-test-app.js';
import { ecpayCall, postJson } from './simulator-test-helpers.js';

/** Shared by the dashboard-*.test.ts files: the simulator delivering to a real Koa app, and the page's calls. */

export interface Rig {
  sim: Simulator;
  app: PaymentApp;
  close(): Promise<void>;
}

/** The app, then the simulator delivering every platform's callbacks to it. */
export async function startRig(timeScale = 0.0001): Promise<Rig> {
  const app = await startPaymentApp();
  const sim = await startSimulator({
    timeScale,
    douyin: { notifyUrl: `${app.url}/douyin/notify` },
    tiktok: { webhookUrl: `${app.url}/tiktok/webhook` },
    algovoi: { webhookUrl: `${app.url}/algovoi/webhook` },
  });
  return {
    sim,
    app,
    async close() {
      await sim.close();
      await app.close();
    },
  };
}

export async function state(sim: Simulator): Promise<DashboardState> {
  const res = await fetch(`${sim.url}/_sim/api/state`);
  if (res.status !== 200) throw new Error(`GET /_sim/api/state answered ${res.status}`);
  return (await res.json()) as DashboardState;
}

/** What a button on the page sends. */
export async function press(
  sim: Simulator,
  path: string,
  body: unknown = {},
  method: 'POST' | 'PUT' = 'POST',
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Polls until `probe` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function until<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The delivery about `ref` (newest first), once `ready` holds for it. */
export function deliveryOf(
  sim: Simulator,
  ref: string,
  ready: (d: DeliveryView) => boolean = () => true,
): Promise<DeliveryView> {
  return until(async () => (await state(sim)).deliveries.find((d) => d.ref === ref && ready(d)));
}

/** Every request of the delivery has its reply. */
export const settled = (d: DeliveryView) => d.attempts.every((a) => a.reply !== undefined);

export async function createEcpayOrder(sim: Simulator, outOrderNo: string, subject = 'Tea'): Promise<void> {
  const created = await ecpayCall(sim, 'create_order', {
    out_order_no: outOrderNo,
    total_amount: 9900,
    subject,
    body: 'A demo order',
    valid_time: 900,
  });
  if (created.json.err_no !== 0) throw new Error(`create_order: ${JSON.stringify(created.json)}`);
}

/** A trade-system order, as the mini-program's tt.requestOrder creates it. */
export async function createTradeOrder(sim: Simulator, outOrderNo: string): Promise<void> {
  const { douyin } = demoCredentials;
  const data = JSON.stringify({
    skuList: [
      { skuId: 'sku_1', price: 4900, quantity: 1, title: 'Jasmine tea', type: 401, tagGroupId: 'tag_1' },
    ],
    outOrderNo,
    totalAmount: 4900,
    payExpireSeconds: 900,
    merchantUid: douyin.merchantUid,
    orderEntrySchema: { path: 'pages/order/index' },
  });
  const byteAuthorization = buildByteAuthorization(
    {
      method: 'POST',
      uri: '/requestOrder',
      timestamp: Math.floor(Date.now() / 1000),
      nonce: randomBytes(8).toString('hex'),
      body: data,
      appId: douyin.appId,
      keyVersion: douyin.keyVersion,
    },
    douyin.appPrivateKey,
  );
  const created = await postJson(`${sim.url}/requestOrder`, { data, byteAuthorization });
  if (created.json.err_no !== 0) throw new Error(`requestOrder: ${JSON.stringify(created.json)}`);
}

/** An AlgoVoi payment link; returns its checkout token. */
export async function createPaymentLink(sim: Simulator): Promise<string> {
  const { algovoi } = demoCredentials;
  const created = await postJson(
    `${sim.url}/v1/payment-links`,
    { amount: 12.34, currency: 'USD', label: 'tiktok-576461413038785752' },
    { authorization: `Bearer ${algovoi.apiKey}`, 'x-tenant-id': algovoi.tenantId },
  );
  const url = created.json.checkout_url;
  if (typeof url !== 'string') throw new Error(`payment-links: ${created.status}`);
  return url.slice(url.lastIndexOf('/') + 1);
}
