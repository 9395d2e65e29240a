// A refund the user starts (trade system, docs/PROTOCOLS.md §2.5, §2.6) against a real Koa app on
// @ttpay/koa: the simulator sends the signed refund application until the app answers its out_refund_no,
// waits for the app's audit (or approves when the scaled 72 h pass), and completes the refund with the
// result callback carrying the app's number. Every message and answer is held to the recorded shapes.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildByteAuthorization, type TradeRefundApplicationEvent, type TradeRefundEvent } from '@ttpay/core';
import { silentLogger } from '@ttpay/core/internal';
import { douyinCallbacks, douyinReply, MemoryStore } from '@ttpay/koa';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials } from '@ttpay/testing';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { shape, shapeDifferences } from '../../../test/platform-shapes/load.js';
import { type Simulator, startSimulator } from '../src/index.js';
import {
  REFUND_APPLICATION_RETRY_SCHEDULE,
  REFUND_AUDIT_WINDOW_MS,
  TRADE_RETRY_SCHEDULE,
} from '../src/simulator/retry-schedules.js';
import { postJson, startReceiver } from './simulator-test-helpers.js';

const { douyin } = demoCredentials;

/** A shop on @ttpay/koa: answers each application with its own number (the same for a repeat). */
interface Shop {
  url: string;
  applications: TradeRefundApplicationEvent[];
  refunds: TradeRefundEvent[];
  /** refund_id → the shop's out_refund_no. */
  numbers: Map<string, string>;
  /** The next `n` applications fail (the handler throws: 500, retried by the platform). */
  failNext(n: number): void;
  /** Resolves with the `n`th application the shop received (answered or not). */
  received(n: number): Promise<TradeRefundApplicationEvent>;
  close(): Promise<void>;
}

async function startShop(): Promise<Shop> {
  const applications: TradeRefundApplicationEvent[] = [];
  const refunds: TradeRefundEvent[] = [];
  const numbers = new Map<string, string>();
  let failing = 0;
  const waiting: { n: number; resolve: (e: TradeRefundApplicationEvent) => void }[] = [];
  const app = new Koa().use(
    douyinCallbacks({
      platformPublicKey: douyin.platformPublicKey,
      appId: douyin.appId,
      store: new MemoryStore(),
      logger: silentLogger,
      onRefundApplication: (event) => {
        applications.push(event);
        for (const w of waiting.filter((w) => w.n === applications.length)) w.resolve(event);
        if (failing > 0) {
          failing -= 1;
          throw new Error('the shop is down');
        }
        const number = numbers.get(event.msg.refund_id) ?? `shop_refund_${numbers.size + 1}`;
        numbers.set(event.msg.refund_id, number);
        return douyinReply({
          out_refund_no: number,
          order_entry_schema: { path: 'pages/refund/detail', params: JSON.stringify({ number }) },
        });
      },
      onPayment: () => {},
      onRefund: (event) => {
        if (event.system === 'trade') refunds.push(event);
      },
    }),
  );
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/douyin/notify`,
    applications,
    refunds,
    numbers,
    failNext: (n) => {
      failing = n;
    },
    received: (n) => {
      const seen = applications[n - 1];
      return seen ? Promise.resolve(seen) : new Promise((resolve) => void waiting.push({ n, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let sim: Simulator | undefined;
let shop: Shop | undefined;
afterEach(async () => {
  await sim?.close();
  await shop?.close();
  sim = undefined;
  shop = undefined;
});

async function start(timeScale = 0.0001): Promise<{ sim: Simulator; shop: Shop }> {
  shop = await startShop();
  sim = await startSimulator({ timeScale, douyin: { notifyUrl: shop.url } });
  return { sim, shop };
}

async function stableToken(s: Simulator): Promise<string> {
  const grant = await postJson(`${s.url}/oauth/stable_client_token/`, {
    client_key: douyin.appId,
    client_secret: DEMO_DOUYIN_APP_SECRET,
    grant_type: 'client_credential',
  });
  expect(shapeDifferences(shape('douyin-trade', 'stable_client_token.answer'), grant.json)).toEqual([]);
  return (grant.json.data as { access_token: string }).access_token;
}

const developer = async (s: Simulator, name: string, body: unknown) =>
  postJson(`${s.url}/api/trade_basic/v1/developer/${name}/`, body, { 'access-token': await stableToken(s) });

/** A paid trade order of 1990 fen, as tt.requestOrder and the buyer make it. */
async function paidTradeOrder(s: Simulator, outOrderNo: string): Promise<void> {
  const data = JSON.stringify({
    skuList: [{ skuId: 'sku_1', price: 1990, quantity: 1, title: 'Tea', imageList: [], type: 401 }],
    outOrderNo,
    totalAmount: 1990,
    orderEntrySchema: { path: 'pages/order/detail', params: JSON.stringify({ outOrderNo }) },
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
  expect((await postJson(`${s.url}/requestOrder`, { data, byteAuthorization })).json.err_no).toBe(0);
  expect((await s.douyin.pay(outOrderNo)).acknowledged).toBe(true);
}

const audit = (s: Simulator, body: Record<string, unknown>) => developer(s, 'refund_audit_callback', body);

/** Waits until the platform has taken the app's answer: the refund carries its out_refund_no. */
async function answerTaken(s: Simulator, refundId: string): Promise<string> {
  for (;;) {
    const queried = await developer(s, 'refund_query', { refund_id: refundId });
    const [refund] = (queried.json.data as { refund_list: { out_refund_no: string }[] }).refund_list;
    if (refund && refund.out_refund_no !== '') return refund.out_refund_no;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the documented schedules', () => {
  it('trade result callbacks: 12s/12s/33s/1m/2m/3m/4m/5m/6m/7m, about 29 minutes; the application: every 10 min for 72 h', () => {
    expect(TRADE_RETRY_SCHEDULE.map((ms) => ms / 1000)).toEqual([
      12, 12, 33, 60, 120, 180, 240, 300, 360, 420,
    ]);
    expect(TRADE_RETRY_SCHEDULE.reduce((a, b) => a + b, 0) / 60_000).toBeCloseTo(29, 0);
    expect(REFUND_APPLICATION_RETRY_SCHEDULE).toHaveLength(432);
    expect(new Set(REFUND_APPLICATION_RETRY_SCHEDULE)).toEqual(new Set([10 * 60_000]));
    expect(REFUND_AUDIT_WINDOW_MS).toBe(72 * 3600_000);
  });
});

describe('a user-started refund', () => {
  it('approved: the app answers its number, audits, and the result callback carries that number', async () => {
    const { sim, shop } = await start();
    await paidTradeOrder(sim, 'ur_order_1');
    const done = sim.douyin.userRefund('ur_order_1', { amount: 500 });
    const application = await shop.received(1);
    expect(await answerTaken(sim, application.msg.refund_id)).toBe('shop_refund_1');

    // The application is the recorded pre_create_refund msg, signed, version "2.0".
    expect(application.version).toBe('2.0');
    expect(shapeDifferences(shape('douyin-trade', 'pre_create_refund.msg'), application.msg)).toEqual([]);
    expect(application.msg).toMatchObject({
      out_order_no: 'ur_order_1',
      refund_total_amount: 500,
      need_refund_audit: 1,
    });
    expect(application.key).toBe(`douyin:trade:pre_create_refund:${application.msg.refund_id}`);

    // Audited through the recorded request shape: the answer is the recorded one.
    const approved = await audit(sim, { refund_id: application.msg.refund_id, refund_audit_status: 1 });
    expect(shapeDifferences(shape('douyin-trade', 'refund_audit_callback.answer'), approved.json)).toEqual(
      [],
    );
    const result = await done;

    expect(result).toMatchObject({
      refund_id: application.msg.refund_id,
      out_refund_no: 'shop_refund_1',
      audit: 'AGREE',
      application: { attempts: 1, acknowledged: true },
      result: { acknowledged: true },
    });
    // The app's answer is the recorded reply shape.
    const reply = JSON.parse(result.application.responses[0]!.body);
    expect(shapeDifferences(shape('douyin-trade', 'pre_create_refund.reply'), reply)).toEqual([]);
    // The result callback names the app's number and the platform's id.
    expect(shop.refunds.map((e) => [e.msg.status, e.msg.out_refund_no, e.msg.refund_id])).toEqual([
      ['SUCCESS', 'shop_refund_1', application.msg.refund_id],
    ]);
    const queried = await developer(sim, 'refund_query', { refund_id: application.msg.refund_id });
    expect(shapeDifferences(shape('douyin-trade', 'refund_query.answer'), queried.json)).toEqual([]);
    expect((queried.json.data as { refund_list: unknown[] }).refund_list).toEqual([
      expect.objectContaining({
        out_refund_no: 'shop_refund_1',
        refund_status: 'SUCCESS',
        merchant_audit_detail: expect.objectContaining({ audit_status: 'AGREE', need_refund_audit: 1 }),
      }),
    ]);
  });

  it('denied: stays denied — no result callback, refund_query says FAIL with the message; a second audit is 22006', async () => {
    const { sim, shop } = await start();
    await paidTradeOrder(sim, 'ur_order_2');
    const done = sim.douyin.userRefund('ur_order_2');
    const { msg } = await shop.received(1);
    await answerTaken(sim, msg.refund_id);
    const recorded = shape('douyin-trade', 'refund_audit_callback.request').body;
    const denied = await audit(sim, { ...recorded, refund_id: msg.refund_id });
    expect(denied.json.err_no).toBe(0);
    await expect(done).resolves.toMatchObject({ audit: 'DENY', out_refund_no: 'shop_refund_1' });
    expect((await done).result).toBeUndefined();
    expect(shop.refunds).toEqual([]);

    const again = await audit(sim, { refund_id: msg.refund_id, refund_audit_status: 1 });
    expect(
      shapeDifferences(shape('douyin-trade', 'refund_audit_callback.already_audited'), again.json),
    ).toEqual([]);
    expect(again.json.err_no).toBe(22006);
    const queried = await developer(sim, 'refund_query', { out_refund_no: 'shop_refund_1' });
    expect((queried.json.data as { refund_list: unknown[] }).refund_list).toEqual([
      expect.objectContaining({
        refund_status: 'FAIL',
        merchant_audit_detail: expect.objectContaining({
          audit_status: 'DENY',
          deny_message: recorded.deny_message,
        }),
      }),
    ]);
    // The money stays refundable: a later refund of the whole order goes through.
    await expect(
      sim.douyin.userRefund('ur_order_2', { amount: 1990, needAudit: false }),
    ).resolves.toMatchObject({
      out_refund_no: 'shop_refund_2',
      result: { acknowledged: true },
    });
  });

  it('retries the application every (scaled) 10 minutes until the answer is usable; an audit before the answer is 22006', async () => {
    const { sim, shop } = await start();
    await paidTradeOrder(sim, 'ur_order_3');
    shop.failNext(2);
    const done = sim.douyin.userRefund('ur_order_3');
    const { msg } = await shop.received(1);
    // Not answered yet (the shop failed): no audit before the application is answered.
    const early = await audit(sim, { refund_id: msg.refund_id, refund_audit_status: 1 });
    expect(early.json).toMatchObject({ err_no: 22006, err_msg: expect.stringContaining('前置流程') });
    await answerTaken(sim, msg.refund_id);
    expect((await audit(sim, { refund_id: msg.refund_id, refund_audit_status: 1 })).json.err_no).toBe(0);
    const result = await done;
    expect(result.application.responses.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(shop.applications.map((a) => a.msg.refund_id)).toEqual([
      msg.refund_id,
      msg.refund_id,
      msg.refund_id,
    ]);
    expect(result).toMatchObject({ audit: 'AGREE', out_refund_no: 'shop_refund_1' });
  });

  it('an answer reusing another refund’s number counts as failed and is asked again', async () => {
    // A bare receiver (no idempotency store), answering in turn: the payment, refund 1's application
    // (R1), its result, then refund 2's application with R1 twice before R2, then its result.
    const ack = { status: 200, body: '{"err_no":0,"err_tips":"success"}' };
    const number = (n: string) => ({
      status: 200,
      body: JSON.stringify({ err_no: 0, err_tips: 'success', data: { out_refund_no: n } }),
    });
    const replies = [ack, number('R1'), ack, number('R1'), number('R1'), number('R2'), ack];
    const receiver = await startReceiver((n) => replies[n - 1] ?? ack);
    try {
      sim = await startSimulator({ timeScale: 0.0001, douyin: { notifyUrl: receiver.url } });
      await paidTradeOrder(sim, 'ur_order_4');
      const first = await sim.douyin.userRefund('ur_order_4', { amount: 100, needAudit: false });
      expect(first).toMatchObject({ audit: 'NONE', out_refund_no: 'R1', application: { attempts: 1 } });
      const second = await sim.douyin.userRefund('ur_order_4', { amount: 100, needAudit: false });
      expect(second).toMatchObject({ out_refund_no: 'R2', application: { attempts: 3, acknowledged: true } });
    } finally {
      await receiver.close();
    }
  });

  it('an audit-exempt refund is completed without an audit; its audit is refused (22006), as is one of a shop-made refund', async () => {
    const { sim, shop } = await start();
    await paidTradeOrder(sim, 'ur_order_5');
    const result = await sim.douyin.userRefund('ur_order_5', { needAudit: false });
    expect(result).toMatchObject({ audit: 'NONE', result: { acknowledged: true } });
    expect(shop.applications[0]?.msg.need_refund_audit).toBe(2);
    expect((await audit(sim, { refund_id: result.refund_id, refund_audit_status: 1 })).json.err_no).toBe(
      22006,
    );
    // The shop's own refund (refund_create) is audit-exempt too.
    await paidTradeOrder(sim, 'ur_order_5b');
    const order = (await developer(sim, 'order_query', { out_order_no: 'ur_order_5b' })).json.data as {
      order_id: string;
    };
    const created = await developer(sim, 'refund_create', {
      order_id: order.order_id,
      out_refund_no: 'shop_made_1',
      refund_total_amount: 1990,
      refund_reason: [{ code: 101, text: '不想要了' }],
      order_entry_schema: { path: 'pages/order/detail' },
      refund_all: true,
    });
    const refundId = (created.json.data as { refund_id: string }).refund_id;
    const refused = await audit(sim, { refund_id: refundId, refund_audit_status: 1 });
    expect(refused.json).toMatchObject({ err_no: 22006, err_msg: expect.stringContaining('免审') });
  });

  it('not audited within the (scaled) 72 hours: approved and completed', async () => {
    const { sim, shop } = await start(0.000005); // 72 h → about 1.3 s
    await paidTradeOrder(sim, 'ur_order_6');
    const result = await sim.douyin.userRefund('ur_order_6');
    expect(result).toMatchObject({ audit: 'AUTO_AGREE', result: { acknowledged: true } });
    expect(shop.refunds.map((e) => e.msg.out_refund_no)).toEqual([result.out_refund_no]);
    expect(
      (await audit(sim, { refund_id: result.refund_id, refund_audit_status: 2, deny_message: 'late' })).json
        .err_no,
    ).toBe(22006);
  });

  it('never answered: after 72 h of retries (433 attempts) the platform passes it with a number of its own', async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: '{"err_no":0,"err_tips":"success"}' }));
    try {
      sim = await startSimulator({ timeScale: 0.000001, douyin: { notifyUrl: receiver.url } });
      await paidTradeOrder(sim, 'ur_order_7');
      // A bare acknowledgement has no out_refund_no: not an answer. Audit-exempt, so it completes at once.
      const result = await sim.douyin.userRefund('ur_order_7', { needAudit: false });
      expect(result.application).toMatchObject({ attempts: 433, acknowledged: false });
      expect(result.out_refund_no).toBe(`dy_${result.refund_id}`);
      expect(result.result?.attempts).toBeGreaterThan(0);
    } finally {
      await receiver.close();
    }
  });

  it('is refused for an ecpay order, an unpaid one, or more than is left (409 INVALID_STATE), also over the control route', async () => {
    const { sim } = await start();
    await expect(sim.douyin.userRefund('nope')).rejects.toMatchObject({ code: 'UNKNOWN_ORDER' });
    await paidTradeOrder(sim, 'ur_order_8');
    await expect(sim.douyin.userRefund('ur_order_8', { amount: 1991 })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    const route = await postJson(`${sim.url}/_sim/douyin/user-refund`, {
      out_order_no: 'ur_order_8',
      amount: 5000,
    });
    expect(route).toMatchObject({ status: 409, json: { error: 'INVALID_STATE' } });
    const bad = await postJson(`${sim.url}/_sim/douyin/user-refund`, {
      out_order_no: 'ur_order_8',
      need_audit: 'yes',
    });
    expect(bad).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
  });

  it('the control route runs the same flow and answers its result', async () => {
    const { sim } = await start();
    await paidTradeOrder(sim, 'ur_order_9');
    const route = await postJson(`${sim.url}/_sim/douyin/user-refund`, {
      out_order_no: 'ur_order_9',
      need_audit: false,
    });
    expect(route).toMatchObject({
      status: 200,
      json: { audit: 'NONE', out_refund_no: 'shop_refund_1', result: { acknowledged: true } },
    });
  });
});
