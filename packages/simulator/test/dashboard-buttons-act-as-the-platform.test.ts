import { afterEach, describe, expect, it } from 'vitest';
import {
  createEcpayOrder,
  createPaymentLink,
  createTradeOrder,
  deliveryOf,
  press,
  type Rig,
  startRig,
  state,
  until,
} from './dashboard-test-helpers.js';
import { ecpayCall, tiktokCall } from './simulator-test-helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const orderRow = async (r: Rig, id: string) => (await state(r.sim)).orders.find((o) => o.id === id);

describe('the order buttons', () => {
  it('Douyin: cancel times an unpaid order out; pay, refund and settle send their signed callbacks', async () => {
    rig = await startRig();
    const r = rig;
    await createEcpayOrder(r.sim, 'order_3001');
    await createEcpayOrder(r.sim, 'order_3002');
    expect(await orderRow(r, 'order_3001')).toMatchObject({
      platform: 'douyin',
      system: 'ecpay',
      amount: '¥99.00',
      status: 'PROCESSING',
      actions: ['pay', 'cancel'],
    });

    expect((await press(r.sim, '/_sim/api/orders/douyin/order_3002/cancel')).status).toBe(202);
    expect(await orderRow(r, 'order_3002')).toMatchObject({ status: 'TIMEOUT', actions: [] });
    expect((await ecpayCall(r.sim, 'query_order', { out_order_no: 'order_3002' })).json).toMatchObject({
      payment_info: { order_status: 'TIMEOUT' },
    });

    expect((await press(r.sim, '/_sim/api/orders/douyin/order_3001/pay')).status).toBe(202);
    await deliveryOf(r.sim, 'order_3001', (d) => d.state === 'acknowledged');
    expect(r.app.payments.get('order_3001')).toBe(1);
    expect(await orderRow(r, 'order_3001')).toMatchObject({ status: 'SUCCESS', actions: ['refund'] });

    // A settlement started by the app shows up; the button completes it.
    const settle = await ecpayCall(r.sim, 'settle', {
      out_order_no: 'order_3001',
      out_settle_no: 'settle_3001',
      settle_desc: 'monthly',
    });
    expect(settle.json.err_no).toBe(0);
    expect((await orderRow(r, 'order_3001'))?.actions).toEqual(['refund', 'settle']);
    await press(r.sim, '/_sim/api/orders/douyin/order_3001/settle');
    const settled = await deliveryOf(r.sim, 'settle_3001', (d) => d.state === 'acknowledged');
    expect(settled).toMatchObject({ type: 'settle', scheme: 'ecpay' });
    expect((await orderRow(r, 'order_3001'))?.settlement).toMatchObject({
      id: 'settle_3001',
      status: 'SUCCESS',
    });
  });

  it('Douyin trade system: cancel sends the payment callback with status CANCEL', async () => {
    rig = await startRig();
    const r = rig;
    await createTradeOrder(r.sim, 'trade_3004');
    expect((await orderRow(r, 'trade_3004'))?.actions).toEqual(['pay', 'cancel']);
    expect((await press(r.sim, '/_sim/api/orders/douyin/trade_3004/cancel')).status).toBe(202);
    const cancelled = await deliveryOf(r.sim, 'trade_3004', (d) => d.state === 'acknowledged');
    expect(cancelled).toMatchObject({ scheme: 'trade', type: 'payment' });
    const body = JSON.parse(cancelled.attempts[0]!.request.body) as { msg: string };
    expect(JSON.parse(body.msg)).toMatchObject({ out_order_no: 'trade_3004', status: 'CANCEL' });
    expect(await orderRow(r, 'trade_3004')).toMatchObject({ status: 'TIMEOUT', actions: [] });
  });

  it('Douyin refund: completes the pending refund, or refunds the rest as the console would', async () => {
    rig = await startRig();
    const r = rig;
    await createEcpayOrder(r.sim, 'order_3003');
    await r.sim.douyin.pay('order_3003');
    const started = await ecpayCall(r.sim, 'create_refund', {
      out_order_no: 'order_3003',
      out_refund_no: 'refund_3003',
      reason: 'changed mind',
      refund_amount: 1000,
    });
    expect(started.json.err_no).toBe(0);
    await press(r.sim, '/_sim/api/orders/douyin/order_3003/refund');
    await deliveryOf(r.sim, 'refund_3003', (d) => d.state === 'acknowledged');
    await press(r.sim, '/_sim/api/orders/douyin/order_3003/refund');
    const row = await until(async () => {
      const o = await orderRow(r, 'order_3003');
      return o?.refunds?.length === 2 && o.refunds.every((f) => f.status === 'SUCCESS') && o;
    });
    expect(row.refunds).toEqual([
      { id: 'refund_3003', amount: '¥10.00', status: 'SUCCESS' },
      { id: expect.stringMatching(/^sim_refund_/), amount: '¥89.00', status: 'SUCCESS' },
    ]);
    expect(row.actions).toEqual([]);
    expect(await press(r.sim, '/_sim/api/orders/douyin/order_3003/refund')).toMatchObject({ status: 409 });
  });

  it('TikTok Shop: pay, cancel and refund send the matching webhooks; the Open API sees the new status', async () => {
    rig = await startRig();
    const r = rig;
    const id = r.sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD', status: 'UNPAID' });
    expect(await orderRow(r, id)).toMatchObject({ amount: '12.34 USD', status: 'UNPAID' });
    await press(r.sim, `/_sim/api/orders/tiktok/${id}/pay`);
    await until(async () => (await orderRow(r, id))?.status === 'AWAITING_SHIPMENT');
    await press(r.sim, `/_sim/api/orders/tiktok/${id}/refund`);
    await press(r.sim, `/_sim/api/orders/tiktok/${id}/cancel`);
    const deliveries = await until(async () => {
      const all = (await state(r.sim)).deliveries.filter((d) => d.ref === id);
      return all.length === 3 && all.every((d) => d.state === 'acknowledged') && all;
    });
    expect(deliveries.map((d) => d.type).sort()).toEqual([
      '1 order status change',
      '11 cancellation',
      '12 return status',
    ]);
    expect(await orderRow(r, id)).toMatchObject({ status: 'CANCELLED', actions: [] });
    const fetched = await tiktokCall(r.sim, '/order/202309/orders', { query: { ids: id } });
    expect(fetched.json).toMatchObject({ code: 0, data: { orders: [{ id, status: 'CANCELLED' }] } });
    expect(await press(r.sim, `/_sim/api/orders/tiktok/${id}/pay`)).toMatchObject({ status: 409 });
  });

  it('AlgoVoi: pay sends the gateway webhook; cancel lets the link expire', async () => {
    rig = await startRig();
    const r = rig;
    const paid = await createPaymentLink(r.sim);
    const dropped = await createPaymentLink(r.sim);
    await press(r.sim, `/_sim/api/orders/algovoi/${paid}/pay`);
    await press(r.sim, `/_sim/api/orders/algovoi/${dropped}/cancel`);
    expect(await deliveryOf(r.sim, paid, (d) => d.state === 'acknowledged')).toMatchObject({
      scheme: 'algovoi',
      type: 'payment.confirmed',
      ref: paid,
      breakable: ['bad-signature', 'stale-timestamp'],
    });
    expect(await orderRow(r, paid)).toMatchObject({ status: 'paid', amount: '12.34 USD', actions: [] });
    expect(await orderRow(r, dropped)).toMatchObject({ status: 'expired', actions: [] });
    // Keyed on the event id (docs/PROTOCOLS.md §4.3).
    expect(r.app.applied.filter((key) => key.startsWith('algovoi:evt_'))).toHaveLength(1);
  });
});

describe('the outage switches', () => {
  it("answer 503 to the platform's API while on, and are off again after sim.clearFaults()", async () => {
    rig = await startRig();
    const r = rig;
    const query = () =>
      ecpayCall(r.sim, 'query_order', { out_order_no: 'order_none' }).catch(() => 'not JSON');
    expect(await press(r.sim, '/_sim/api/outages/douyin', { on: true }, 'PUT')).toEqual({
      status: 200,
      json: { platform: 'douyin', on: true },
    });
    expect((await state(r.sim)).outages).toEqual({ douyin: true, tiktok: false, algovoi: false });
    const down = await fetch(`${r.sim.url}/api/apps/ecpay/v1/query_order`, { method: 'POST', body: '{}' });
    expect(down.status).toBe(503);
    expect(await query()).toBe('not JSON');
    // Still down after many calls: an outage does not run out.
    for (let i = 0; i < 5; i++)
      expect((await fetch(`${r.sim.url}/api/apps/ecpay/v1/query_order`, { method: 'POST' })).status).toBe(
        503,
      );
    // Control routes and the other platforms are unaffected.
    expect((await tiktokCall(r.sim, '/order/202309/orders', { query: { ids: 'x' } })).status).toBe(200);

    await press(r.sim, '/_sim/api/outages/douyin', { on: false }, 'PUT');
    expect(await query()).toMatchObject({ status: 200 });

    await press(r.sim, '/_sim/api/outages/tiktok', { on: true }, 'PUT');
    r.sim.clearFaults();
    expect((await state(r.sim)).outages.tiktok).toBe(false);
    expect((await tiktokCall(r.sim, '/order/202309/orders', { query: { ids: 'x' } })).status).toBe(200);
    expect(await press(r.sim, '/_sim/api/outages/nowhere', { on: true }, 'PUT')).toMatchObject({
      status: 400,
    });
    expect(await press(r.sim, '/_sim/api/outages/douyin', { on: 'yes' }, 'PUT')).toMatchObject({
      status: 400,
    });
  });
});
