// The Douyin money lifecycle through the shop and the simulator, over HTTP: a user-started refund answered
// with the shop's number and audited by the operator (approved: refunded; denied: stays denied), pinned
// against the documented shapes; refunds and settlements whose callbacks were lost found by one
// reconciliation run; payments checked for their app and their system; Tokens kept during a rotation.
import { type TradeRefundApplicationEvent, verifyTradeCallback } from '@ttpay/core';
import { startSimulator } from '@ttpay/simulator';
import { demoCredentials, signedEcpayCallback, signedTradeCallback } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shape, shapeDifferences } from '../../../test/platform-shapes/load.js';
import { douyinEventHandlers } from '../src/handlers/douyin-events.js';
import type { AppliedEvent, OrderRecord } from '../src/orders/order-repository.js';
import {
  deliver,
  getJson,
  postJson,
  type Running,
  startShop,
  startShopWithSimulator,
  until,
} from './helpers.js';

type OrderView = OrderRecord & { anomalies: { kind: string; detail: string }[] };

let run: Running;
beforeAll(async () => {
  run = await startShopWithSimulator();
});
afterAll(async () => {
  await run?.close();
});

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
const order = async (outOrderNo: string) =>
  (await getJson<OrderView>(`${run.url}/orders/${outOrderNo}`)).json;
const events = async () => (await getJson<AppliedEvent[]>(`${run.url}/events`)).json;
const notify = () => `${run.url}/douyin/notify`;
const audit = (outOrderNo: string, refundNo: string, body: Record<string, unknown>) =>
  postJson(`${run.url}/orders/${outOrderNo}/refunds/${refundNo}/audit`, body);
const developer = async (name: string, body: Record<string, unknown>) => {
  const token = await run.shop.clients.douyin.trade.clientToken();
  const res = await fetch(`${run.sim.url}/api/trade_basic/v1/developer/${name}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'access-token': token },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
};

/** A trade order made through POST /orders, tt.requestOrder (played here) and the buyer's payment. */
async function paidTradeOrder(amount: number): Promise<string> {
  const created = await postJson(`${run.url}/orders`, { subject: 'Tea set', amount, system: 'trade' });
  const outOrderNo = created.json.outOrderNo as string;
  const requested = await postJson(`${run.sim.url}/requestOrder`, created.json.requestOrderData);
  expect(requested.json.err_no).toBe(0);
  expect((await run.sim.douyin.pay(outOrderNo, { url: notify() })).acknowledged).toBe(true);
  return outOrderNo;
}

async function paidEcpayOrder(amount: number): Promise<string> {
  const created = await postJson(`${run.url}/orders`, { subject: 'Oolong tea', amount });
  const outOrderNo = created.json.outOrderNo as string;
  expect((await run.sim.douyin.pay(outOrderNo, { url: notify() })).acknowledged).toBe(true);
  return outOrderNo;
}

/** The refund the shop recorded when it answered the application. */
const answeredRefund = (outOrderNo: string) =>
  until(async () => (await order(outOrderNo)).refunds.find((r) => r.refundId !== undefined), 10_000);

describe('a user-started refund (退款申请回调 and 退款审核)', () => {
  it('completes with the shop’s out_refund_no after the operator approves it', async () => {
    const outOrderNo = await paidTradeOrder(4900);
    const done = run.sim.douyin.userRefund(outOrderNo, { url: notify() });
    const refund = await answeredRefund(outOrderNo);
    expect(refund).toMatchObject({ status: 'PROCESSING', audit: 'pending', amount: 4900 });

    const approved = await audit(outOrderNo, refund.refundNo, { decision: 'approve' });
    expect(approved).toEqual({
      status: 202,
      json: { outOrderNo, refundNo: refund.refundNo, audit: 'approved' },
    });
    const result = await done;

    // The platform took the shop's number, in the documented reply shape, and the audit.
    expect(result).toMatchObject({
      out_refund_no: refund.refundNo,
      audit: 'AGREE',
      result: { acknowledged: true },
    });
    const reply = JSON.parse(result.application.responses.at(-1)?.body ?? '{}');
    expect(shapeDifferences(shape('douyin-trade', 'pre_create_refund.reply'), reply)).toEqual([]);
    expect(reply.data).toEqual({ out_refund_no: refund.refundNo });
    const queried = await developer('refund_query', { out_refund_no: refund.refundNo });
    expect(shapeDifferences(shape('douyin-trade', 'refund_query.answer'), queried)).toEqual([]);
    expect(queried.data).toMatchObject({
      refund_list: [{ refund_status: 'SUCCESS', merchant_audit_detail: { audit_status: 'AGREE' } }],
    });

    expect(await order(outOrderNo)).toMatchObject({
      status: 'refunded',
      refundedAmount: 4900,
      refunds: [{ refundNo: refund.refundNo, status: 'SUCCESS', audit: 'approved' }],
    });
    const keys = [
      `douyin:trade:pre_create_refund:${refund.refundId}`,
      `douyin:trade:refund:${refund.refundNo}`,
    ];
    expect((await events()).filter((e) => keys.includes(e.key)).map((e) => [e.type, e.key])).toEqual([
      ['trade.pre_create_refund', keys[0]],
      ['trade.refund', keys[1]],
    ]);
  });

  it('a denied one stays denied: no money moves, and reconciliation records the platform’s FAIL', async () => {
    const outOrderNo = await paidTradeOrder(3300);
    const done = run.sim.douyin.userRefund(outOrderNo, { url: notify() });
    const refund = await answeredRefund(outOrderNo);
    expect((await audit(outOrderNo, refund.refundNo, { decision: 'deny' })).json).toMatchObject({
      error: 'INVALID_MESSAGE',
    });
    expect(
      (await audit(outOrderNo, refund.refundNo, { decision: 'deny', message: '茶叶已开封' })).status,
    ).toBe(202);
    // The same decision again is the same; another is refused.
    expect(
      (await audit(outOrderNo, refund.refundNo, { decision: 'deny', message: '茶叶已开封' })).status,
    ).toBe(202);
    expect((await audit(outOrderNo, refund.refundNo, { decision: 'approve' })).json).toMatchObject({
      error: 'NOT_AWAITING_AUDIT',
    });
    await expect(done).resolves.toMatchObject({ audit: 'DENY', out_refund_no: refund.refundNo });
    expect((await done).result).toBeUndefined(); // no result callback for a denial (docs/PROTOCOLS.md §6 Q24)
    expect(await order(outOrderNo)).toMatchObject({
      status: 'paid',
      refundedAmount: 0,
      refunds: [
        { refundNo: refund.refundNo, status: 'PROCESSING', audit: 'denied', denyMessage: '茶叶已开封' },
      ],
    });

    await run.shop.reconcile({ afterMs: 0 });
    expect(await order(outOrderNo)).toMatchObject({
      status: 'paid',
      refundedAmount: 0,
      refunds: [{ refundNo: refund.refundNo, status: 'FAIL', audit: 'denied' }],
    });
    const queried = await developer('refund_query', { out_refund_no: refund.refundNo });
    expect(shapeDifferences(shape('douyin-trade', 'refund_query.answer'), queried)).toEqual([]);
    expect(queried.data).toMatchObject({
      refund_list: [
        {
          refund_status: 'FAIL',
          merchant_audit_detail: { audit_status: 'DENY', deny_message: '茶叶已开封' },
        },
      ],
    });
  });

  it('a repeated application — its done-record missing — is answered the same number, recorded once', async () => {
    const outOrderNo = await paidTradeOrder(1200);
    const { platformOrderId } = await order(outOrderNo);
    const event = verifyTradeCallback(
      signedTradeCallback({
        type: 'pre_create_refund',
        msg: { out_order_no: outOrderNo, order_id: platformOrderId, refund_total_amount: 1200 },
      }),
      { publicKey: demoCredentials.douyin.platformPublicKey },
    ) as TradeRefundApplicationEvent;
    const handlers = douyinEventHandlers({ orders: run.shop.orders, logger: run.shop.logger });
    const scope = { payment: { tx: undefined } };
    const first = await handlers.onRefundApplication(event, scope);
    const again = await handlers.onRefundApplication(event, scope);
    expect(again.data.out_refund_no).toBe(first.data.out_refund_no);
    expect(Buffer.byteLength(first.data.out_refund_no)).toBeLessThanOrEqual(64);
    expect((await order(outOrderNo)).refunds).toEqual([
      expect.objectContaining({ refundNo: first.data.out_refund_no, refundId: event.msg.refund_id }),
    ]);
  });

  it('operator routes refuse what is not theirs to decide', async () => {
    const outOrderNo = await paidEcpayOrder(800);
    expect((await audit(outOrderNo, 'rf_nope', { decision: 'approve' })).json).toMatchObject({
      error: 'REFUND_NOT_FOUND',
    });
    expect((await audit('dy_no_such_order', 'rf_nope', { decision: 'approve' })).json).toMatchObject({
      error: 'ORDER_NOT_FOUND',
    });
    expect((await audit(outOrderNo, 'rf_nope', { decision: 'maybe' })).json).toMatchObject({
      error: 'INVALID_DECISION',
    });
    const unpaid = (await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 100 })).json.outOrderNo;
    expect((await postJson(`${run.url}/orders/${unpaid}/douyin-settlement`, {})).json).toMatchObject({
      error: 'NOT_SETTLEABLE',
    });
  });
});

describe('reconciliation of refunds and settlements', () => {
  it('one run finds a lost refund result and a lost settlement result; the late callbacks are duplicates', async () => {
    // A refund the user started (no audit needed) whose result callback is lost.
    const refunded = await paidTradeOrder(2500);
    const userRefund = await run.sim.douyin.userRefund(refunded, {
      needAudit: false,
      url: notify(),
      loseResultCallback: true,
    });
    expect(userRefund.result).toMatchObject({ attempts: 0 });
    // A settlement the operator started, whose result callback is lost.
    const settled = await paidEcpayOrder(6600);
    const started = await postJson(`${run.url}/orders/${settled}/douyin-settlement`, {});
    expect(started.status).toBe(202);
    const settleNo = started.json.settleNo as string;
    expect((await postJson(`${run.url}/orders/${settled}/douyin-settlement`, {})).status).toBe(409);
    await run.shop.jobs.idle();
    const lost = await run.sim.douyin.completeSettle(settleNo, { url: notify(), loseCallbacks: true });
    expect(lost.attempts).toBe(0);
    expect(await order(refunded)).toMatchObject({ status: 'paid', refunds: [{ status: 'PROCESSING' }] });
    expect(await order(settled)).toMatchObject({
      status: 'paid',
      settlements: [{ settleNo, status: 'PROCESSING' }],
    });

    await run.shop.reconcile({ afterMs: 0 });
    const refundNo = userRefund.out_refund_no;
    expect(await order(refunded)).toMatchObject({
      status: 'refunded',
      refundedAmount: 2500,
      refunds: [{ refundNo, status: 'SUCCESS' }],
    });
    expect(await order(settled)).toMatchObject({
      status: 'settled',
      settlements: [{ settleNo, status: 'SUCCESS' }],
    });
    const applied = await events();
    expect(applied.filter((e) => e.key === `douyin:trade:refund:${refundNo}`)).toHaveLength(1);
    expect(applied.filter((e) => e.key === `douyin:ecpay:settle:${settleNo}`)).toHaveLength(1);

    // The callbacks arrive after all: acknowledged, nothing applied twice.
    const { platformOrderId } = await order(refunded);
    const lateRefund = signedTradeCallback({
      type: 'refund',
      msg: {
        order_id: platformOrderId,
        refund_id: userRefund.refund_id,
        out_refund_no: refundNo,
        refund_total_amount: 2500,
      },
    });
    const lateSettle = signedEcpayCallback({
      type: 'settle',
      msg: { cp_settle_no: settleNo, out_order_no: settled },
    });
    expect(await deliver(notify(), lateRefund)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect(await deliver(notify(), lateSettle)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect(await events()).toHaveLength(applied.length);
    expect(await order(refunded)).toMatchObject({ refundedAmount: 2500 });
  });
});

describe('what a verified payment must also be to change an order', () => {
  it('of this shop’s system: a trade payment for an ecpay order is acknowledged as an anomaly, not applied', async () => {
    const created = await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 9900 });
    const outOrderNo = created.json.outOrderNo as string;
    const before = (await events()).length;
    const wrongSystem = signedTradeCallback({
      type: 'payment',
      msg: { out_order_no: outOrderNo, total_amount: 9900 },
    });
    expect(await deliver(notify(), wrongSystem)).toEqual({ status: 200, text: DOUYIN_ACK });
    const after = await order(outOrderNo);
    expect(after.status).toBe('created');
    expect(after.anomalies).toEqual([expect.objectContaining({ kind: 'system-mismatch' })]);
    expect(await events()).toHaveLength(before);
  });

  it('of this shop’s app: a callback naming another app is refused 400 APP_ID_MISMATCH', async () => {
    const created = await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 9900 });
    const outOrderNo = created.json.outOrderNo as string;
    const otherApp = signedEcpayCallback({
      type: 'payment',
      msg: { cp_orderno: outOrderNo, total_amount: 9900, appid: 'tt_another_app_0002' },
    });
    const reply = await deliver(notify(), otherApp);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ err_tips: 'APP_ID_MISMATCH' });
    expect((await order(outOrderNo)).status).toBe('created');
  });

  it('of a documented status: a trade payment with another status changes nothing', async () => {
    const outOrderNo = (await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 500, system: 'trade' }))
      .json.outOrderNo as string;
    const before = (await events()).length;
    const unknown = signedTradeCallback({
      type: 'payment',
      msg: { out_order_no: outOrderNo, total_amount: 500, status: 'PENDING' },
    });
    expect(await deliver(notify(), unknown)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect((await order(outOrderNo)).status).toBe('created');
    expect(await events()).toHaveLength(before);
  });
});

it('ecpay callbacks of orders paid under the previous Token still verify during a rotation (DOUYIN_TOKEN=new,old)', async () => {
  // The console Token changed; the simulator — the platform — still signs with the old one (demo's) for an
  // order paid before, as refund and settlement callbacks of old orders may come much later (§2.4).
  const rotated = await startShop(run.sim, {
    DOUYIN_TOKEN: `new_console_token_0001,${demoCredentials.douyin.token}`,
  });
  try {
    const created = await postJson(`${rotated.url}/orders`, { subject: 'Tea', amount: 700 });
    const outOrderNo = created.json.outOrderNo as string;
    const paid = await run.sim.douyin.pay(outOrderNo, { url: `${rotated.url}/douyin/notify` });
    expect(paid.responses.map((r) => r.body)).toEqual([DOUYIN_ACK]);
    await run.shop.clients.douyin.ecpay.createRefund({
      out_order_no: outOrderNo,
      out_refund_no: `${outOrderNo}_r`,
      reason: 'x',
      refund_amount: 700,
    });
    const refunded = await run.sim.douyin.completeRefund(`${outOrderNo}_r`, {
      url: `${rotated.url}/douyin/notify`,
    });
    expect(refunded.acknowledged).toBe(true);
    expect((await getJson<OrderView>(`${rotated.url}/orders/${outOrderNo}`)).json.status).toBe('refunded');
    // Signed with the new Token: verifies too. With neither: refused.
    const newToken = signedEcpayCallback({
      type: 'settle',
      token: 'new_console_token_0001',
      msg: { out_order_no: outOrderNo },
    });
    expect((await deliver(`${rotated.url}/douyin/notify`, newToken)).status).toBe(200);
    const stranger = signedEcpayCallback({
      type: 'settle',
      token: 'a_token_never_configured',
      msg: { out_order_no: outOrderNo },
    });
    expect((await deliver(`${rotated.url}/douyin/notify`, stranger)).status).toBe(400);
  } finally {
    await rotated.close();
  }
});

it('an audit that comes after the 72-hour default approval is refused by Douyin (22006): an anomaly for a human', async () => {
  // 72 hours in about a second: the audit window runs out before the operator decides.
  const sim = await startSimulator({ timeScale: 0.000005 });
  const late = await startShop(sim);
  try {
    const url = `${late.url}/douyin/notify`;
    const created = await postJson(`${late.url}/orders`, { subject: 'Tea', amount: 900, system: 'trade' });
    const outOrderNo = created.json.outOrderNo as string;
    await postJson(`${sim.url}/requestOrder`, created.json.requestOrderData);
    await sim.douyin.pay(outOrderNo, { url });
    const result = await sim.douyin.userRefund(outOrderNo, { url });
    expect(result.audit).toBe('AUTO_AGREE');
    const lateOrder = async () => (await getJson<OrderView>(`${late.url}/orders/${outOrderNo}`)).json;
    const [refund] = (await lateOrder()).refunds;
    expect(refund).toMatchObject({ audit: 'pending', status: 'SUCCESS' });

    const denied = await postJson(`${late.url}/orders/${outOrderNo}/refunds/${refund?.refundNo}/audit`, {
      decision: 'deny',
      message: '太晚了',
    });
    expect(denied.status).toBe(202);
    await late.shop.jobs.idle();
    expect((await lateOrder()).anomalies).toEqual([
      expect.objectContaining({
        kind: 'refund-audit-refused',
        detail: expect.stringContaining('AUTO_AGREE'),
      }),
    ]);
  } finally {
    await late.close();
    await sim.close();
  }
});
