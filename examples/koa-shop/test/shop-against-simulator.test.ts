import type { DouyinTradeClient } from '@ttpay/client';
import {
  algoVoiWebhook,
  bodyOnlyTikTokWebhook,
  ecpayCallback,
  tikTokWebhook,
  tradeCallback,
  withBadSignature,
} from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppliedEvent, OrderRecord } from '../src/orders/order-repository.js';
import { deliver, getJson, postJson, type Running, startShopWithSimulator, until } from './helpers.js';

type OrderView = OrderRecord & { anomalies: { kind: string; detail: string }[] };

let run: Running;
beforeAll(async () => {
  run = await startShopWithSimulator();
});
afterAll(async () => {
  await run?.close();
});

const order = async (outOrderNo: string) =>
  (await getJson<OrderView>(`${run.url}/orders/${outOrderNo}`)).json;
const events = async () => (await getJson<AppliedEvent[]>(`${run.url}/events`)).json;
const notify = () => `${run.url}/douyin/notify`;
const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';

async function createOrder(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await postJson(`${run.url}/orders`, body);
  expect(res.status).toBe(201);
  return res.json;
}

describe('Douyin ecpay through the shop and the simulator, over HTTP', () => {
  it('POST /orders → create_order → the buyer pays → signed callback → paid; duplicates change nothing', async () => {
    const created = await createOrder({ subject: 'Oolong tea', amount: 9900 });
    expect(created).toMatchObject({ system: 'ecpay', amount: 9900, currency: 'CNY', status: 'created' });
    expect(created.orderId).toEqual(expect.any(String));
    expect(created.orderToken).toEqual(expect.any(String));
    const outOrderNo = created.outOrderNo as string;
    expect(run.sim.douyin.order(outOrderNo)).toMatchObject({ total_amount: 9900 });

    const before = (await events()).length;
    const paid = await run.sim.douyin.pay(outOrderNo, { url: notify(), duplicates: 2 });
    expect(paid.acknowledged).toBe(true);
    expect(paid.responses.map((r) => r.body)).toEqual([DOUYIN_ACK, DOUYIN_ACK, DOUYIN_ACK]);
    const paidOrder = await order(outOrderNo);
    expect(paidOrder).toMatchObject({ status: 'paid', amount: 9900, platformOrderId: created.orderId });
    const after = await events();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toEqual({
      platform: 'douyin',
      type: 'ecpay.payment',
      key: `douyin:ecpay:payment:${outOrderNo}:SUCCESS`,
      ref: outOrderNo,
      at: expect.any(String),
    });

    // A redelivery later (new timestamp and nonce, same event): acknowledged, nothing changes.
    const again = await deliver(
      notify(),
      ecpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 9900 } }),
    );
    expect(again).toEqual({ status: 200, text: DOUYIN_ACK });
    expect(await events()).toHaveLength(before + 1);
    expect(await order(outOrderNo)).toEqual(paidOrder);
  });

  it('refund created through the client, completed by the simulator → refunded; a failed refund is only recorded', async () => {
    const { outOrderNo } = (await createOrder({ subject: 'Green tea', amount: 5000 })) as {
      outOrderNo: string;
    };
    await run.sim.douyin.pay(outOrderNo, { url: notify() });
    const ecpay = run.shop.clients.douyin.ecpay;

    await ecpay.createRefund({
      out_order_no: outOrderNo,
      out_refund_no: `${outOrderNo}_r1`,
      reason: 'x',
      refund_amount: 1000,
    });
    expect(
      await run.sim.douyin.completeRefund(`${outOrderNo}_r1`, { status: 'FAIL', url: notify() }),
    ).toMatchObject({
      acknowledged: true,
    });
    expect(await order(outOrderNo)).toMatchObject({ status: 'paid', refundedAmount: 0 });

    await ecpay.createRefund({
      out_order_no: outOrderNo,
      out_refund_no: `${outOrderNo}_r2`,
      reason: 'x',
      refund_amount: 2000,
    });
    await run.sim.douyin.completeRefund(`${outOrderNo}_r2`, { url: notify() });
    expect(await order(outOrderNo)).toMatchObject({ status: 'partially_refunded', refundedAmount: 2000 });

    await ecpay.createRefund({
      out_order_no: outOrderNo,
      out_refund_no: `${outOrderNo}_r3`,
      reason: 'x',
      refund_amount: 3000,
    });
    await run.sim.douyin.completeRefund(`${outOrderNo}_r3`, { url: notify() });
    const refunded = await order(outOrderNo);
    expect(refunded).toMatchObject({ status: 'refunded', refundedAmount: 5000 });
    expect(refunded.refunds.map((r) => [r.refundNo, r.status])).toEqual([
      [`${outOrderNo}_r1`, 'FAIL'],
      [`${outOrderNo}_r2`, 'SUCCESS'],
      [`${outOrderNo}_r3`, 'SUCCESS'],
    ]);
    expect(
      (await events()).filter((e) => e.type === 'ecpay.refund' && e.ref.startsWith(outOrderNo)),
    ).toHaveLength(3);
  });

  it('settlement created through the client → settled', async () => {
    const { outOrderNo } = (await createOrder({ subject: 'White tea', amount: 10_000 })) as {
      outOrderNo: string;
    };
    await run.sim.douyin.pay(outOrderNo, { url: notify() });
    await run.shop.clients.douyin.ecpay.settle({
      out_order_no: outOrderNo,
      out_settle_no: `${outOrderNo}_s`,
      settle_desc: 'monthly',
    });
    await run.sim.douyin.completeSettle(`${outOrderNo}_s`, { url: notify() });
    const settled = await order(outOrderNo);
    expect(settled).toMatchObject({
      status: 'settled',
      settlements: [{ settleNo: `${outOrderNo}_s`, status: 'SUCCESS' }],
    });
    expect((await events()).at(-1)).toMatchObject({ type: 'ecpay.settle', ref: `${outOrderNo}_s` });
  });

  it('a payment of another amount is acknowledged, not applied, and recorded as an anomaly', async () => {
    const { outOrderNo } = (await createOrder({ subject: 'Black tea', amount: 9900 })) as {
      outOrderNo: string;
    };
    const before = (await events()).length;
    const reply = await deliver(
      notify(),
      ecpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 1 } }),
    );
    expect(reply).toEqual({ status: 200, text: DOUYIN_ACK });
    const unchanged = await order(outOrderNo);
    expect(unchanged.status).toBe('created');
    expect(unchanged.anomalies).toEqual([
      expect.objectContaining({ kind: 'amount-mismatch', detail: expect.stringContaining('paid 1 fen') }),
    ]);
    expect(await events()).toHaveLength(before);
    expect(run.logs.lines.some((l) => l.msg === 'anomaly: amount-mismatch' && l.level === 50)).toBe(true);
  });

  it('a callback for an order the shop never created is acknowledged and recorded, not applied', async () => {
    const before = (await events()).length;
    const reply = await deliver(
      notify(),
      ecpayCallback({ type: 'payment', msg: { cp_orderno: 'dy_never_created' } }),
    );
    expect(reply.status).toBe(200);
    expect(await events()).toHaveLength(before);
    expect(await run.shop.orders.anomalies()).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'unknown-order', ref: 'dy_never_created' })]),
    );
  });
});

describe('POST /orders validates its input with stable error codes', () => {
  it.each([
    ['zero', { subject: 'Tea', amount: 0 }, 'INVALID_AMOUNT'],
    ['negative', { subject: 'Tea', amount: -100 }, 'INVALID_AMOUNT'],
    ['fractional', { subject: 'Tea', amount: 99.5 }, 'INVALID_AMOUNT'],
    ['a string', { subject: 'Tea', amount: '9900' }, 'INVALID_AMOUNT'],
    ['missing', { subject: 'Tea' }, 'INVALID_AMOUNT'],
    ['too large', { subject: 'Tea', amount: 10_000_000_001 }, 'INVALID_AMOUNT'],
    ['infinite (1e999 in JSON)', '{"subject":"Tea","amount":1e999}', 'INVALID_AMOUNT'],
    ['no subject', { amount: 100 }, 'INVALID_SUBJECT'],
    ['a subject of 43 characters', { subject: 'x'.repeat(43), amount: 100 }, 'INVALID_SUBJECT'],
    ['an unknown system', { subject: 'Tea', amount: 100, system: 'paypal' }, 'INVALID_SYSTEM'],
    ['not JSON', '{"amount": NaN}', 'MALFORMED_JSON'],
    ['not an object', '[1,2]', 'MALFORMED_REQUEST'],
  ])('%s → 400 %s, and nothing is created', async (_, body, code) => {
    const sent = run.sim.log.length;
    const res = await postJson(`${run.url}/orders`, body);
    expect(res).toMatchObject({ status: 400, json: { error: code } });
    expect(run.sim.log.slice(sent).filter((e) => e.platform === 'douyin')).toEqual([]);
  });

  it('a body that is not JSON → 415', async () => {
    const res = await fetch(`${run.url}/orders`, { method: 'POST', body: 'amount=100' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('Douyin unreachable → 503 PLATFORM_UNAVAILABLE; the order stays created (a late payment still applies)', async () => {
    const remove = run.sim.fault({
      platform: 'douyin',
      path: '/api/apps/ecpay/v1/create_order',
      status: 503,
    });
    const res = await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 100 });
    remove();
    expect(res).toMatchObject({ status: 503, json: { error: 'PLATFORM_UNAVAILABLE' } });
    expect((await order(res.json.outOrderNo as string)).status).toBe('created');
  });

  it('Douyin refusing the order (here: a wrong DOUYIN_SALT) → 502 PLATFORM_REFUSED; the order is failed', async () => {
    const other = await startShopWithSimulator({ DOUYIN_SALT: 'not_the_salt_douyin_knows' });
    try {
      const res = await postJson(`${other.url}/orders`, { subject: 'Tea', amount: 100 });
      expect(res).toMatchObject({
        status: 502,
        json: { error: 'PLATFORM_REFUSED', platformCode: expect.any(Number) },
      });
      expect(JSON.stringify(res.json)).not.toContain('not_the_salt_douyin_knows');
      const failed = await getJson<OrderView>(`${other.url}/orders/${res.json.outOrderNo}`);
      expect(failed.json.status).toBe('failed');
    } finally {
      await other.close();
    }
  });
});

describe('Douyin trade system (RSA) through the shop', () => {
  it('POST /orders system=trade → tt.requestOrder → pay → RSA callback → paid; a refund callback applies', async () => {
    const created = await createOrder({ subject: 'Jasmine tea', amount: 4900, system: 'trade' });
    const outOrderNo = created.outOrderNo as string;
    const request = created.requestOrderData as { data: string; byteAuthorization: string };
    expect(JSON.parse(request.data)).toMatchObject({ outOrderNo, totalAmount: 4900 });
    expect(request.byteAuthorization).toMatch(/^SHA256-RSA2048 appid=/);

    const res = await postJson(`${run.sim.url}/requestOrder`, request);
    expect(res.json).toMatchObject({ err_no: 0 });
    const orderId = (res.json.data as { orderId: string }).orderId;

    const paid = await run.sim.douyin.pay(outOrderNo, { url: notify() });
    expect(paid).toMatchObject({ acknowledged: true, attempts: 1 });
    expect(await order(outOrderNo)).toMatchObject({ status: 'paid', amount: 4900, platformOrderId: orderId });
    expect((await events()).at(-1)).toMatchObject({ type: 'trade.payment', ref: outOrderNo });

    // A trade refund callback (as the platform would send it) finds the order by its order_id.
    const refund = tradeCallback({
      type: 'refund',
      msg: {
        order_id: orderId,
        out_refund_no: `${outOrderNo}_r`,
        refund_total_amount: 4900,
        status: 'SUCCESS',
      },
    });
    expect(await deliver(notify(), refund)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect(await order(outOrderNo)).toMatchObject({ status: 'refunded', refundedAmount: 4900 });
  });

  it('an unpaid trade order that Douyin cancels (payment callback status CANCEL) is cancelled', async () => {
    const created = await createOrder({ subject: 'Oolong', amount: 1200, system: 'trade' });
    const outOrderNo = created.outOrderNo as string;
    const res = await postJson(`${run.sim.url}/requestOrder`, created.requestOrderData);
    expect(res.json).toMatchObject({ err_no: 0 });
    const cancelled = await run.sim.douyin.cancel(outOrderNo, { url: notify() });
    expect(cancelled).toMatchObject({ acknowledged: true, attempts: 1 });
    expect(await order(outOrderNo)).toMatchObject({ status: 'cancelled' });
  });

  it('the shop signs tt.requestOrder data the trade client itself would sign (same key, same data)', async () => {
    const created = await createOrder({ subject: 'Tea', amount: 100, system: 'trade' });
    const { data } = created.requestOrderData as { data: string };
    const client: DouyinTradeClient = run.shop.clients.douyin.trade;
    expect(client.requestOrderData(JSON.parse(data)).data).toBe(data);
    // The order links back to its page in the mini-program, as tt.requestOrder requires (PROTOCOLS.md §2.1).
    expect(JSON.parse(data).orderEntrySchema).toEqual({
      path: 'pages/order/detail',
      params: JSON.stringify({ outOrderNo: created.outOrderNo }),
    });
  });
});

describe('TikTok Shop → AlgoVoi → shipping, with jobs', () => {
  const tiktokUrl = () => `${run.url}/tiktok/webhook`;
  const algovoiUrl = () => `${run.url}/algovoi/webhook`;
  async function awaitingShipment(orderId: string, extra: Record<string, unknown> = {}) {
    return run.sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false, ...extra },
      { url: tiktokUrl() },
    );
  }

  it('answers the webhook at once; jobs create one link and, through a TikTok outage, ship exactly once', async () => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD' });
    const outOrderNo = `tiktok-${orderId}`;
    const logStart = run.sim.log.length;

    const webhook = await run.sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
      { url: tiktokUrl(), duplicates: 2 },
    );
    expect(webhook).toMatchObject({ acknowledged: true, attempts: 3 });
    const linked = await until(async () => {
      const o = await order(outOrderNo);
      return o.algovoi ? o : undefined;
    });
    expect(linked).toMatchObject({
      status: 'awaiting_payment',
      amount: 1234,
      currency: 'USD',
      platformOrderId: orderId,
    });
    await run.shop.jobs.idle();
    const linkCalls = run.sim.log
      .slice(logStart)
      .filter((e) => e.direction === 'in' && e.path === '/v1/payment-links');
    expect(linkCalls).toHaveLength(1);

    // Another notification for the same order (a different tts_notification_id): no second link.
    await awaitingShipment(orderId, { update_time: Math.floor(Date.now() / 1000) + 1 });
    await run.shop.jobs.idle();
    expect(
      run.sim.log.slice(logStart).filter((e) => e.direction === 'in' && e.path === '/v1/payment-links'),
    ).toHaveLength(1);

    const token = linked.algovoi?.token as string;
    const shipStart = run.sim.log.length;
    run.sim.fault({ platform: 'tiktok', path: '/fulfillment/', status: 503, times: 2 });
    const paid = await run.sim.algovoi.pay(token, { url: algovoiUrl(), duplicates: 1 });
    expect(paid).toMatchObject({ acknowledged: true, attempts: 2 });
    const txId = run.sim.algovoi.checkout(token)?.tx_id;

    // Two failed attempts, each retried after pg-boss's backoff (1–2 s, then 2–4 s).
    const shipped = await until(async () => {
      const o = await order(outOrderNo);
      return o.status === 'shipped' ? o : undefined;
    }, 20_000);
    await run.shop.jobs.idle();
    expect(shipped.algovoi).toMatchObject({ txId, gatewayStatus: 'paid', shippedAt: expect.any(String) });
    const shipments = run.sim.tiktok.shipments(orderId);
    expect(shipments).toHaveLength(1);
    // TikTok shipping: a handover method; the transaction id stays on the order, never a tracking number
    // (TikTok refuses numbers no carrier issued: 11028006, docs/PROTOCOLS.md §5.6).
    expect(shipments[0]).toMatchObject({ action: 'ship_package', handover_method: 'DROP_OFF' });
    expect(shipments[0]).not.toHaveProperty('tracking_number');
    const ship = run.sim.log
      .slice(shipStart)
      .filter((e) => e.direction === 'in' && e.path.startsWith('/fulfillment/'))
      .map((e) => [e.status, e.code]);
    expect(ship).toEqual([
      [503, undefined],
      [503, undefined],
      [200, 0],
    ]);

    // The gateway's webhook again, later: acknowledged, nothing ships twice.
    expect(
      (await deliver(algovoiUrl(), algoVoiWebhook({ payload: { token, status: 'paid', tx_id: txId } })))
        .status,
    ).toBe(200);
    await run.shop.jobs.idle();
    expect(run.sim.tiktok.shipments(orderId)).toHaveLength(1);

    const recorded = (await events()).filter((e) => e.ref === token || e.platform === 'tiktok');
    expect(recorded.map((e) => e.type)).toEqual(
      expect.arrayContaining(['ORDER_STATUS_CHANGE', 'webhook.paid']),
    );
  });

  it('retries the settlement job through an Open API outage, and still creates one link', async () => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '5.00', currency: 'EUR' });
    const logStart = run.sim.log.length;
    // The client retries a GET twice itself (3 requests per job attempt): 4 failures outlast one attempt.
    run.sim.fault({ platform: 'tiktok', path: '/order/202309/orders', status: 503, times: 4 });
    await awaitingShipment(orderId);
    const linked = await until(async () => {
      const o = await order(`tiktok-${orderId}`);
      return o.algovoi ? o : undefined;
    }, 20_000);
    expect(linked).toMatchObject({ amount: 500, currency: 'EUR' });
    const calls = run.sim.log.slice(logStart).filter((e) => e.direction === 'in');
    expect(calls.filter((e) => e.path === '/order/202309/orders').map((e) => e.status)).toEqual([
      503, 503, 503, 503, 200,
    ]);
    expect(calls.filter((e) => e.path === '/v1/payment-links')).toHaveLength(1);
  });

  it.each([
    ['a zero amount', { total_amount: '0.00', currency: 'USD' }, 'amount must be greater than 0'],
    ['a currency off the allow-list', { total_amount: '1000', currency: 'JPY' }, 'currency'],
  ])('refuses %s: no link, an anomaly, no retries', async (_, input, detail) => {
    const orderId = run.sim.tiktok.addOrder(input);
    const logStart = run.sim.log.length;
    await awaitingShipment(orderId);
    const anomalies = await until(async () => {
      await run.shop.jobs.idle();
      const o = await order(`tiktok-${orderId}`);
      return o.anomalies.length > 0 ? o.anomalies : undefined;
    });
    expect(anomalies).toEqual([
      expect.objectContaining({ kind: 'settlement-refused', detail: expect.stringContaining(detail) }),
    ]);
    const calls = run.sim.log.slice(logStart).filter((e) => e.direction === 'in');
    expect(calls.filter((e) => e.platform === 'algovoi')).toEqual([]);
    expect(calls.filter((e) => e.path === '/order/202309/orders')).toHaveLength(1);
    expect((await order(`tiktok-${orderId}`)).algovoi).toBeUndefined();
  });

  it.each([
    ['CANCEL', 'the webhook documentation’s spelling'],
    ['CANCELLED', 'the Order API’s spelling'],
  ])('order_status %s (%s) marks the order cancelled, and no link is made', async (status) => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '3.00', currency: 'GBP', status: 'UNPAID' });
    const delivery = await run.sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: status, is_on_hold_order: false, update_time: 300 },
      { url: tiktokUrl() },
    );
    expect(delivery.acknowledged).toBe(true);
    await run.shop.jobs.idle();
    expect(await order(`tiktok-${orderId}`)).toMatchObject({ status: 'cancelled', platformStatus: status });
    expect((await order(`tiktok-${orderId}`)).algovoi).toBeUndefined();
  });

  it('an order on hold gets no job until a later notification releases it', async () => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '3.00', currency: 'GBP' });
    await awaitingShipment(orderId, { is_on_hold_order: true, update_time: 100 });
    await run.shop.jobs.idle();
    expect((await order(`tiktok-${orderId}`)).algovoi).toBeUndefined();
    await awaitingShipment(orderId, { is_on_hold_order: false, update_time: 200 });
    await until(async () => (await order(`tiktok-${orderId}`)).algovoi);
  });

  it('a gateway webhook for a checkout the shop never created is acknowledged and recorded', async () => {
    const reply = await deliver(
      algovoiUrl(),
      algoVoiWebhook({ payload: { token: 'tok_not_ours', status: 'paid' } }),
    );
    expect(reply.status).toBe(200);
    expect(await run.shop.orders.anomalies()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'unknown-order', platform: 'algovoi', ref: 'tok_not_ours' }),
      ]),
    );
  });
});

describe('forged deliveries are refused and change nothing', () => {
  it('Douyin bad signature → 400; TikTok body-only HMAC → 401; AlgoVoi bad signature → 401', async () => {
    const { outOrderNo } = (await createOrder({ subject: 'Tea', amount: 100 })) as { outOrderNo: string };
    const before = await events();
    const forged = withBadSignature(
      ecpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 100 } }),
    );
    expect(await deliver(notify(), forged)).toEqual({
      status: 400,
      text: '{"err_no":400,"err_tips":"SIGNATURE_MISMATCH"}',
    });
    const forgedTrade = withBadSignature(
      tradeCallback({ type: 'payment', msg: { out_order_no: outOrderNo, total_amount: 100 } }),
    );
    expect((await deliver(notify(), forgedTrade)).status).toBe(400);
    const orderId = run.sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    const seedBug = bodyOnlyTikTokWebhook({
      type: 1,
      data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT' },
    });
    expect((await deliver(`${run.url}/tiktok/webhook`, seedBug)).status).toBe(401);
    expect(
      (await deliver(`${run.url}/tiktok/webhook`, withBadSignature(tikTokWebhook({ type: 1 })))).status,
    ).toBe(401);
    expect((await deliver(`${run.url}/algovoi/webhook`, withBadSignature(algoVoiWebhook()))).status).toBe(
      401,
    );

    expect(await events()).toEqual(before);
    expect((await order(outOrderNo)).status).toBe('created');
    expect((await getJson(`${run.url}/orders/tiktok-${orderId}`)).status).toBe(404);
  });
});

describe('GET /healthz', () => {
  it('answers 200 with the store kind', async () => {
    expect(await getJson(`${run.url}/healthz`)).toMatchObject({
      status: 200,
      json: { status: 'ok', store: 'postgres' },
    });
  });
});
