import { type EcpayPaymentEvent, verifyEcpayCallback } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { ecpayCall, type Receiver, startReceiver } from './simulator-test-helpers.js';

const { token } = demoCredentials.douyin;
let sim: Simulator;
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startSimulator({ timeScale: 0.0001 });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

const order = (overrides: Record<string, unknown> = {}) => ({
  out_order_no: 'order_1001',
  total_amount: 9900,
  subject: 'Tea',
  body: 'A demo order',
  valid_time: 900,
  cp_extra: 'cart-7',
  disable_msg: 0,
  notify_url: receiver.url,
  ...overrides,
});

describe('the simulated ecpay API serves a whole order lifecycle to a correctly signing client', () => {
  it('create_order answers data{order_id, order_token} and query_order shows the order PROCESSING', async () => {
    const created = await ecpayCall(sim, 'create_order', order());
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      err_no: 0,
      data: { order_id: expect.stringMatching(/^N\d+$/), order_token: expect.any(String) },
    });

    const queried = await ecpayCall(sim, 'query_order', { out_order_no: 'order_1001' });
    expect(queried.json).toMatchObject({
      err_no: 0,
      out_order_no: 'order_1001',
      order_id: (created.json.data as { order_id: string }).order_id,
      payment_info: { total_fee: 9900, order_status: 'PROCESSING', pay_time: '', cp_extra: 'cart-7' },
    });
  });

  it('pay delivers a payment callback that verifyEcpayCallback accepts, and query_order turns SUCCESS', async () => {
    const created = await ecpayCall(sim, 'create_order', order());
    const result = await sim.douyin.pay('order_1001');

    expect(result).toMatchObject({ url: receiver.url, attempts: 1, acknowledged: true });
    expect(receiver.requests).toHaveLength(1);
    const event = verifyEcpayCallback(
      { rawBody: receiver.requests[0]!.body },
      { token },
    ) as EcpayPaymentEvent;
    expect(event.type).toBe('payment');
    expect(event.msg).toMatchObject({
      appid: demoCredentials.douyin.appId,
      cp_orderno: 'order_1001',
      cp_extra: 'cart-7',
      total_amount: 9900,
      status: 'SUCCESS',
      way: '10',
      order_id: (created.json.data as { order_id: string }).order_id,
    });

    const queried = await ecpayCall(sim, 'query_order', { out_order_no: 'order_1001' });
    expect(queried.json.payment_info).toMatchObject({
      order_status: 'SUCCESS',
      way: 10, // a number in the query, the string "10" in the callback (docs/PROTOCOLS.md §1.1)
      pay_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    expect(sim.douyin.order('order_1001')).toMatchObject({ status: 'SUCCESS', total_amount: 9900 });
  });

  it('create_refund, completeRefund, query_refund (camelCase refundInfo) and the refund callback agree', async () => {
    await ecpayCall(sim, 'create_order', order());
    await sim.douyin.pay('order_1001');
    const refund = await ecpayCall(sim, 'create_refund', {
      out_order_no: 'order_1001',
      out_refund_no: 'refund_1',
      reason: 'too sweet',
      refund_amount: 3000,
      cp_extra: 'r-extra',
      notify_url: receiver.url,
    });
    expect(refund.json).toMatchObject({ err_no: 0, refund_no: expect.any(String) });
    expect((await ecpayCall(sim, 'query_refund', { out_refund_no: 'refund_1' })).json).toMatchObject({
      err_no: 0,
      refundInfo: { refund_no: refund.json.refund_no, refund_amount: 3000, refund_status: 'PROCESSING' },
    });

    const result = await sim.douyin.completeRefund('refund_1');
    expect(result.acknowledged).toBe(true);
    const event = verifyEcpayCallback({ rawBody: receiver.requests.at(-1)!.body }, { token });
    expect(event).toMatchObject({
      type: 'refund',
      key: 'douyin:ecpay:refund:refund_1',
      msg: {
        cp_refundno: 'refund_1',
        refund_amount: 3000,
        status: 'SUCCESS',
        refund_no: refund.json.refund_no,
      },
    });
    expect((await ecpayCall(sim, 'query_refund', { out_refund_no: 'refund_1' })).json).toMatchObject({
      refundInfo: { refund_status: 'SUCCESS', cp_extra: 'r-extra', refunded_at: expect.any(Number) },
    });
  });

  it('settle settles what is left after refunds; callback and query_settle agree (gross or net left open, §6 Q23)', async () => {
    await ecpayCall(sim, 'create_order', order());
    await sim.douyin.pay('order_1001');
    await ecpayCall(sim, 'create_refund', {
      out_order_no: 'order_1001',
      out_refund_no: 'refund_1',
      reason: 'partial',
      refund_amount: 1900,
      notify_url: receiver.url,
    });
    const settled = await ecpayCall(sim, 'settle', {
      out_order_no: 'order_1001',
      out_settle_no: 'settle_1',
      settle_desc: 'monthly',
      notify_url: receiver.url,
    });
    expect(settled.json).toMatchObject({ err_no: 0, settle_no: expect.any(String) });
    expect((await ecpayCall(sim, 'unsettle_amount', { out_order_no: 'order_1001' })).json).toMatchObject({
      data: { unsettle_amount: 0 },
    });

    await sim.douyin.completeSettle('settle_1');
    const event = verifyEcpayCallback({ rawBody: receiver.requests.at(-1)!.body }, { token });
    expect(event.type).toBe('settle');
    const msg = event.msg as {
      settle_amount: number;
      rake: number;
      cp_settle_no: string;
      out_order_no: string;
    };
    expect(msg).toMatchObject({ cp_settle_no: 'settle_1', out_order_no: 'order_1001' });
    expect(msg.rake).toBeGreaterThan(0);
    // Whether settle_amount is gross or net of the rake is unsettled (docs/PROTOCOLS.md §6 Q23): asserted
    // neither way, only that it is one of the two.
    expect([9900 - 1900, 9900 - 1900 - msg.rake]).toContain(msg.settle_amount);
    expect((await ecpayCall(sim, 'query_settle', { out_settle_no: 'settle_1' })).json).toMatchObject({
      err_no: 0,
      settle_info: { settle_status: 'SUCCESS', settle_amount: msg.settle_amount },
    });
  });
});
