import type { DouyinTradeClient } from '@ttpay/client';
import {
  bodyOnlySignedTikTokWebhook,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
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
      signedEcpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 9900 } }),
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
      signedEcpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 1 } }),
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
      signedEcpayCallback({ type: 'payment', msg: { cp_orderno: 'dy_never_created' } }),
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
    const refund = signedTradeCallback({
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

describe('TikTok Shop: orders paid at TikTok’s checkout ship through TikTok — no payment link', () => {
  const tiktokUrl = () => `${run.url}/tiktok/webhook`;
  const linkCalls = (from: number) =>
    run.sim.log.slice(from).filter((e) => e.direction === 'in' && e.path === '/v1/payment-links');
  async function awaitingShipment(orderId: string, extra: Record<string, unknown> = {}) {
    return run.sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false, ...extra },
      { url: tiktokUrl() },
    );
  }
  // Failed attempts are retried after pg-boss's backoff (1–2 s, then 2–4 s).
  const shipped = (outOrderNo: string) =>
    until(async () => {
      await run.shop.jobs.idle();
      const o = await order(outOrderNo);
      return o.status === 'shipped' ? o : undefined;
    }, 20_000);

  it('AWAITING_SHIPMENT: answered at once, no link asked for, shipped once through a TikTok outage', async () => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD', status: 'UNPAID' });
    const outOrderNo = `tiktok-${orderId}`;
    const logStart = run.sim.log.length;
    run.sim.fault({ platform: 'tiktok', path: '/fulfillment/', status: 503, times: 2 });

    // The buyer pays at TikTok's checkout; TikTok announces it (here twice more: retries and duplicates).
    const paid = await run.sim.tiktok.pay(orderId, { url: tiktokUrl(), duplicates: 2 });
    expect(paid).toMatchObject({ acknowledged: true, attempts: 3 });
    const done = await shipped(outOrderNo);

    // What the buyer paid TikTok, for the books — and no gateway was involved (docs/PROTOCOLS.md §3.8).
    expect(done).toMatchObject({
      status: 'shipped',
      amount: 1234,
      currency: 'USD',
      platformOrderId: orderId,
    });
    expect(done.algovoi).toBeUndefined();
    expect(run.sim.log.slice(logStart).filter((e) => e.platform === 'algovoi')).toEqual([]);
    const shipments = run.sim.tiktok.shipments(orderId);
    expect(shipments).toEqual([expect.objectContaining({ action: 'ship_package' })]);
    // TikTok shipping: handover_method is optional, and the shop leaves it to the warehouse setting.
    expect(shipments[0]).not.toHaveProperty('handover_method');
    expect(shipments[0]).not.toHaveProperty('tracking_number');
    const ship = run.sim.log
      .slice(logStart)
      .filter((e) => e.direction === 'in' && e.path.startsWith('/fulfillment/'))
      .map((e) => [e.status, e.code]);
    expect(ship).toEqual([
      [503, undefined],
      [503, undefined],
      [200, 0],
    ]);

    // Another notification for the same order (a new tts_notification_id): nothing ships twice.
    await awaitingShipment(orderId, { update_time: Math.floor(Date.now() / 1000) + 1 });
    await run.shop.jobs.idle();
    expect(run.sim.tiktok.shipments(orderId)).toHaveLength(1);
    expect(linkCalls(logStart)).toEqual([]);
  });

  it('seller shipping waits, paid, for the carrier’s tracking number; the operator’s route ships with it', async () => {
    const orderId = run.sim.tiktok.addOrder({
      total_amount: '5.00',
      currency: 'EUR',
      shipping_type: 'SELLER',
    });
    const outOrderNo = `tiktok-${orderId}`;
    await awaitingShipment(orderId);
    await run.shop.jobs.idle();
    expect(await order(outOrderNo)).toMatchObject({ status: 'paid', amount: 500, currency: 'EUR' });
    expect(run.sim.tiktok.shipments(orderId)).toEqual([]);

    const refused = await postJson(`${run.url}/orders/${outOrderNo}/shipment`, { tracking_number: 'x' });
    expect(refused).toMatchObject({ status: 400, json: { error: 'INVALID_TRACKING_NUMBER' } });
    const accepted = await postJson(`${run.url}/orders/${outOrderNo}/shipment`, {
      tracking_number: '9400100000000000000777',
      shipping_provider_id: '7117858858072016686', // USPS, from Get Shipping Providers
    });
    expect(accepted.status).toBe(202);
    await shipped(outOrderNo);
    expect(run.sim.tiktok.shipments(orderId)).toEqual([
      expect.objectContaining({
        tracking_number: '9400100000000000000777',
        shipping_provider_id: '7117858858072016686',
      }),
    ]);
  });

  it('an order on hold gets no shipment until a later notification releases it', async () => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '3.00', currency: 'GBP' });
    await awaitingShipment(orderId, { is_on_hold_order: true, update_time: 100 });
    await run.shop.jobs.idle();
    expect(run.sim.tiktok.shipments(orderId)).toEqual([]);
    await run.sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false, update_time: 200 },
      { url: tiktokUrl() },
    );
    await shipped(`tiktok-${orderId}`);
  });

  it.each([
    ['CANCEL', 'the webhook documentation’s spelling'],
    ['CANCELLED', 'the Order API’s spelling'],
  ])('order_status %s (%s) marks the order cancelled, and nothing ships', async (status) => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '3.00', currency: 'GBP', status: 'UNPAID' });
    const delivery = await run.sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: status, is_on_hold_order: false, update_time: 300 },
      { url: tiktokUrl() },
    );
    expect(delivery.acknowledged).toBe(true);
    await run.shop.jobs.idle();
    expect(await order(`tiktok-${orderId}`)).toMatchObject({ status: 'cancelled', platformStatus: status });
    expect(run.sim.tiktok.shipments(orderId)).toEqual([]);
  });
});

describe('TikTok Shop: an order marked for settlement outside TikTok’s checkout (AlgoVoi)', () => {
  const algovoiUrl = () => `${run.url}/algovoi/webhook`;
  const settle = (outOrderNo: string, body: Record<string, unknown>) =>
    postJson(`${run.url}/orders/${outOrderNo}/settlement`, body);
  const invoice = { payer: 'Acme Fulfilment Ltd', amount: '120.00', currency: 'GBP' };
  const linkCalls = (from: number) =>
    run.sim.log.slice(from).filter((e) => e.direction === 'in' && e.path === '/v1/payment-links');

  it('exactly one link; shipment held until the link is paid (confirmed through /status), then shipped', async () => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '0.00', currency: 'GBP' });
    const outOrderNo = `tiktok-${orderId}`;
    const logStart = run.sim.log.length;

    const first = await settle(outOrderNo, invoice);
    expect(first.status).toBe(201);
    const settlement = first.json.settlement as { token: string; label: string; link: string };
    expect(settlement).toMatchObject({
      ...invoice,
      link: 'created',
      label: `Settlement of ${outOrderNo} — Acme Fulfilment Ltd`,
      token: expect.any(String),
    });
    // The same request again is the same settlement; another one is refused.
    expect(await settle(outOrderNo, invoice)).toMatchObject({ status: 200, json: { settlement } });
    expect(await settle(outOrderNo, { ...invoice, amount: '99.00' })).toMatchObject({
      status: 409,
      json: { error: 'SETTLEMENT_EXISTS' },
    });
    expect(linkCalls(logStart)).toHaveLength(1);
    expect(run.sim.algovoi.checkout(settlement.token)).toMatchObject({
      amount: 120,
      currency: 'GBP',
      label: settlement.label,
    });

    // TikTok's AWAITING_SHIPMENT: the order is held for its settlement — nothing ships yet.
    await run.sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
      { url: `${run.url}/tiktok/webhook` },
    );
    await run.shop.jobs.idle();
    expect(await order(outOrderNo)).toMatchObject({ status: 'awaiting_payment' });
    expect(run.sim.tiktok.shipments(orderId)).toEqual([]);

    // The payer pays; the gateway's published webhook (t=,v1=,v2=; data.*) arrives, twice.
    const paid = await run.sim.algovoi.pay(settlement.token, { url: algovoiUrl(), duplicates: 1 });
    expect(paid).toMatchObject({ acknowledged: true, attempts: 2 });
    const txId = run.sim.algovoi.checkout(settlement.token)?.tx_id;
    const done = await until(async () => {
      await run.shop.jobs.idle();
      const o = await order(outOrderNo);
      return o.status === 'shipped' ? o : undefined;
    });
    expect(done.algovoi).toMatchObject({
      paidAt: expect.any(String),
      txId,
      gatewayEvent: 'payment.confirmed',
    });
    expect(run.sim.tiktok.shipments(orderId)).toHaveLength(1);
    const statusReads = run.sim.log
      .slice(logStart)
      .filter((e) => e.direction === 'in' && e.path === `/checkout/${settlement.token}/status`);
    expect(statusReads.length).toBeGreaterThanOrEqual(1);
    expect(linkCalls(logStart)).toHaveLength(1);
    expect((await events()).filter((e) => e.platform === 'algovoi' && e.ref === settlement.token)).toEqual([
      expect.objectContaining({ type: 'payment.confirmed', key: expect.stringMatching(/^algovoi:evt_/) }),
    ]);
  });

  it('a lost create answer: 202 outcome-unknown, never a second link; the webhook is matched by its label', async () => {
    const orderId = run.sim.tiktok.addOrder({
      total_amount: '0.00',
      currency: 'GBP',
      shipping_type: 'SELLER',
    });
    const outOrderNo = `tiktok-${orderId}`;
    const logStart = run.sim.log.length;
    run.sim.fault({ platform: 'algovoi', path: '/v1/payment-links', dropAnswer: true });

    const lost = await settle(outOrderNo, invoice);
    expect(lost).toMatchObject({ status: 202, json: { settlement: { link: 'outcome-unknown' } } });
    expect(await settle(outOrderNo, invoice)).toMatchObject({ status: 202 });
    expect(linkCalls(logStart)).toHaveLength(1);
    const label = `Settlement of ${outOrderNo} — Acme Fulfilment Ltd`;
    const link = run.sim.algovoi.checkouts().find((c) => c.label === label);
    expect(link).toBeDefined();

    await run.sim.algovoi.pay(String(link?.token), { url: algovoiUrl() });
    const settled = await until(async () => {
      await run.shop.jobs.idle();
      const o = await order(outOrderNo);
      return o.algovoi?.paidAt ? o : undefined;
    });
    expect(settled.algovoi).toMatchObject({ link: 'created', token: link?.token, label });
    expect(settled.anomalies).toEqual([
      expect.objectContaining({
        kind: 'settlement-refused',
        detail: expect.stringContaining('outcome unknown'),
      }),
    ]);
  });

  it('refuses a body without payer, amount or currency (400), and an order TikTok does not have (404)', async () => {
    const orderId = run.sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    expect(await settle(`tiktok-${orderId}`, { ...invoice, payer: '' })).toMatchObject({
      status: 400,
      json: { error: 'INVALID_PAYER' },
    });
    expect(await settle(`tiktok-${orderId}`, { ...invoice, amount: '1.234' })).toMatchObject({
      status: 400,
      json: { error: 'INVALID_AMOUNT' },
    });
    expect(await settle('tiktok-99999999999', invoice)).toMatchObject({
      status: 404,
      json: { error: 'ORDER_NOT_FOUND' },
    });
    expect(await settle('dy_not_tiktok', invoice)).toMatchObject({
      status: 400,
      json: { error: 'INVALID_ORDER_NO' },
    });
  });

  it('a gateway webhook for a checkout the shop never created is acknowledged and recorded', async () => {
    const reply = await deliver(
      algovoiUrl(),
      signedAlgoVoiWebhook({ data: { payment_link_token: 'tok_not_ours' } }),
    );
    expect(reply.status).toBe(200);
    expect(await run.shop.orders.anomalies()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'unknown-order', platform: 'algovoi', ref: 'tok_not_ours' }),
      ]),
    );
  });
});

describe('TikTok Shop: the order’s life after the first webhook', () => {
  const tiktokUrl = () => `${run.url}/tiktok/webhook`;

  it('a cancellation request before shipping is approved; after shipping it is rejected as packed', async () => {
    // Seller-shipped and waiting for its tracking number: not shipped, so the shop approves.
    const waiting = run.sim.tiktok.addOrder({
      total_amount: '4.00',
      currency: 'USD',
      shipping_type: 'SELLER',
    });
    await run.sim.tiktok.sendWebhook(
      1,
      { order_id: waiting, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
      { url: tiktokUrl() },
    );
    await run.shop.jobs.idle();
    const approved = await run.sim.tiktok.requestCancellation(waiting, { url: tiktokUrl() });
    expect(approved.delivery.acknowledged).toBe(true);
    await run.shop.jobs.idle();
    expect(run.sim.tiktok.cancellation(approved.cancel_id)).toMatchObject({
      cancel_status: 'CANCELLATION_REQUEST_COMPLETE',
    });
    expect(await order(`tiktok-${waiting}`)).toMatchObject({ status: 'cancelled' });
    // The operator's tracking number comes too late: nothing ships.
    await postJson(`${run.url}/orders/tiktok-${waiting}/shipment`, {
      tracking_number: '9400100000000000000888',
    });
    await run.shop.jobs.idle();
    expect(run.sim.tiktok.shipments(waiting)).toEqual([]);

    // TikTok-shipped, handed over: the request is rejected with TikTok's "packed" reason.
    const gone = run.sim.tiktok.addOrder({ total_amount: '4.00', currency: 'USD' });
    await run.sim.tiktok.sendWebhook(
      1,
      { order_id: gone, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
      { url: tiktokUrl() },
    );
    await until(async () => {
      await run.shop.jobs.idle();
      return (await order(`tiktok-${gone}`)).status === 'shipped' || undefined;
    });
    const rejected = await run.sim.tiktok.requestCancellation(gone, { url: tiktokUrl() });
    await run.shop.jobs.idle();
    expect(run.sim.tiktok.cancellation(rejected.cancel_id)).toMatchObject({
      cancel_status: 'CANCELLATION_REQUEST_CANCELLED',
      reject_reason: 'seller_reject_apply_product_has_been_packed',
    });
    expect((await events()).filter((e) => e.key.startsWith('tiktok:cancellation:'))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'CANCELLATION_APPROVED', ref: waiting }),
        expect.objectContaining({ type: 'CANCELLATION_REJECTED', ref: gone }),
      ]),
    );
  });

  it('backfill: orders whose webhooks were lost are found by update time; the late webhook is a duplicate', async () => {
    const ids = [0, 1].map(() =>
      run.sim.tiktok.addOrder({ total_amount: '8.00', currency: 'USD', status: 'UNPAID' }),
    );
    for (const id of ids) await run.sim.tiktok.pay(id, { url: tiktokUrl(), loseWebhook: true });
    const pendingOn = run.sim.tiktok.addOrder({
      total_amount: '8.00',
      currency: 'USD',
      shipping_type: 'SELLER',
    });
    const { cancel_id } = await run.sim.tiktok.requestCancellation(pendingOn, { loseWebhook: true });
    for (const id of ids) expect((await getJson(`${run.url}/orders/tiktok-${id}`)).status).toBe(404);

    await run.shop.reconcile({ tiktokLookbackSeconds: 3600 });
    await run.shop.jobs.idle();
    for (const id of ids) {
      expect(await order(`tiktok-${id}`)).toMatchObject({
        status: 'shipped',
        platformStatus: 'AWAITING_SHIPMENT',
      });
      expect(run.sim.tiktok.shipments(id)).toHaveLength(1);
    }
    expect(run.sim.tiktok.cancellation(cancel_id)).toMatchObject({
      cancel_status: 'CANCELLATION_REQUEST_COMPLETE',
    });

    // TikTok's own webhook, late: acknowledged, and it changes nothing.
    const before = await events();
    const late = run.sim.tiktok.order(ids[0] as string) as { update_time: number };
    const delivery = await run.sim.tiktok.sendWebhook(
      1,
      {
        order_id: ids[0],
        order_status: 'AWAITING_SHIPMENT',
        is_on_hold_order: false,
        update_time: late.update_time,
      },
      { url: tiktokUrl() },
    );
    expect(delivery.acknowledged).toBe(true);
    await run.shop.jobs.idle();
    expect(await events()).toEqual(before);
    expect(run.sim.tiktok.shipments(ids[0] as string)).toHaveLength(1);
  });

  it('type 7 (authorization expiring): the token is refreshed and a human is told to have the seller re-authorize', async () => {
    const before = run.sim.log.filter((e) => e.path === '/api/v2/token/refresh').length;
    const expiration = String(Math.floor(Date.now() / 1000) + 20 * 86_400);
    const delivery = await run.sim.tiktok.sendWebhook(
      7,
      { message: 'expiring', expiration_time: expiration },
      {
        url: tiktokUrl(),
      },
    );
    expect(delivery.acknowledged).toBe(true);
    await run.shop.jobs.idle();
    expect(run.sim.log.filter((e) => e.path === '/api/v2/token/refresh').length - before).toBe(1);
    expect(await run.shop.orders.anomalies()).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'authorization-expiring', ref: expiration })]),
    );
  });

  it('an access token that expires mid-flow (105002) is refreshed and the order still ships', async () => {
    run.sim.tiktok.expireAccessTokens();
    const orderId = run.sim.tiktok.addOrder({ total_amount: '2.00', currency: 'USD' });
    await run.sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
      { url: tiktokUrl() },
    );
    await until(async () => {
      await run.shop.jobs.idle();
      return (await order(`tiktok-${orderId}`)).status === 'shipped' || undefined;
    });
    expect(run.sim.log.some((e) => e.platform === 'tiktok' && e.code === 105002)).toBe(true);
    expect(run.sim.tiktok.shipments(orderId)).toHaveLength(1);
  });
});

describe('forged deliveries are refused and change nothing', () => {
  it('Douyin bad signature → 400; TikTok body-only HMAC → 401 (empty); AlgoVoi tampered or stale → 401 (empty)', async () => {
    const { outOrderNo } = (await createOrder({ subject: 'Tea', amount: 100 })) as { outOrderNo: string };
    const before = await events();
    const forged = withBadSignature(
      signedEcpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 100 } }),
    );
    expect(await deliver(notify(), forged)).toEqual({
      status: 400,
      text: '{"err_no":400,"err_tips":"SIGNATURE_MISMATCH"}',
    });
    const forgedTrade = withBadSignature(
      signedTradeCallback({ type: 'payment', msg: { out_order_no: outOrderNo, total_amount: 100 } }),
    );
    expect((await deliver(notify(), forgedTrade)).status).toBe(400);
    const orderId = run.sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    const seedBug = bodyOnlySignedTikTokWebhook({
      type: 1,
      data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT' },
    });
    // TikTok's configuration guide: 401 with an empty body (and a 401 ends TikTok's retries).
    expect(await deliver(`${run.url}/tiktok/webhook`, seedBug)).toEqual({ status: 401, text: '' });
    expect(
      (await deliver(`${run.url}/tiktok/webhook`, withBadSignature(signedTikTokWebhook({ type: 1 })))).status,
    ).toBe(401);
    // AlgoVoi (the published verifier, docs/PROTOCOLS.md §4.3): tampered, stale, from the future — 401.
    const genuine = signedAlgoVoiWebhook();
    for (const forgedAv of [
      withBadSignature(genuine),
      // One digit of the amount changed: still JSON, so it is the signature that refuses it.
      { ...genuine, body: Buffer.from(genuine.rawBody.replace('12340000', '12340001')) },
      signedAlgoVoiWebhook({ timestamp: Math.floor(Date.now() / 1000) - 301 }),
      signedAlgoVoiWebhook({ timestamp: Math.floor(Date.now() / 1000) + 301 }),
    ]) {
      expect(await deliver(`${run.url}/algovoi/webhook`, forgedAv)).toEqual({ status: 401, text: '' });
    }

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
