import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { ECPAY_ERR_NO } from '../src/simulator/ecpay-api.js';
import { ecpayCall, type Receiver, startReceiver } from './simulator-test-helpers.js';

let sim: Simulator;
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startSimulator({ timeScale: 0.0001, douyin: { notifyUrl: receiver.url } });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

const valid = {
  out_order_no: 'order_3001',
  total_amount: 9900,
  subject: 'Tea',
  body: 'A demo order',
  valid_time: 900,
};

describe('create_order enforces the field rules of PROTOCOLS.md §1.1', () => {
  it.each([
    ['out_order_no with a "#"', { out_order_no: 'order#1' }, 'out_order_no'],
    ['out_order_no of 65 characters', { out_order_no: 'a'.repeat(65) }, 'out_order_no'],
    ['total_amount 0', { total_amount: 0 }, 'total_amount'],
    ['total_amount above 10000000000', { total_amount: 10_000_000_001 }, 'total_amount'],
    ['total_amount with fen fractions', { total_amount: 99.5 }, 'total_amount'],
    ['total_amount as a string', { total_amount: '9900' }, 'total_amount'],
    ['subject of 129 bytes', { subject: 'x'.repeat(129) }, 'subject'],
    ['subject of 43 characters', { subject: 'y'.repeat(43) }, 'subject'],
    ['subject of 43 CJK characters (129 bytes)', { subject: '茶'.repeat(43) }, 'subject'],
    ['body missing', { body: undefined }, 'body'],
    ['valid_time 299', { valid_time: 299 }, 'valid_time'],
    ['valid_time 172801', { valid_time: 172_801 }, 'valid_time'],
    [
      'notify_url over plain http to another host',
      { notify_url: 'http://shop.example/notify' },
      'notify_url',
    ],
    ['notify_url of 257 bytes', { notify_url: `https://shop.example/${'n'.repeat(236)}` }, 'notify_url'],
    ['notify_url not a URL', { notify_url: 'shop.example/notify' }, 'notify_url'],
    ['cp_extra of 2049 bytes', { cp_extra: 'c'.repeat(2049) }, 'cp_extra'],
    ['disable_msg 2', { disable_msg: 2 }, 'disable_msg'],
    ['limit_pay_way with an unknown way', { limit_pay_way: 'LIMIT_WX,LIMIT_CASH' }, 'limit_pay_way'],
  ])('rejects %s', async (_name, change, field) => {
    const res = await ecpayCall(sim, 'create_order', { ...valid, ...change });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      err_no: ECPAY_ERR_NO.INVALID_PARAMS,
      err_tips: expect.stringContaining(field),
    });
  });

  it.each([
    ['https', 'https://shop.example/douyin/notify'],
    ['http to 127.0.0.1', 'http://127.0.0.1:3000/douyin/notify'],
    ['http to localhost', 'http://localhost:3000/douyin/notify'],
    ['http to [::1]', 'http://[::1]:3000/douyin/notify'],
  ])('accepts notify_url over %s', async (_name, notify_url) => {
    const res = await ecpayCall(sim, 'create_order', { ...valid, notify_url });
    expect(res.json.err_no).toBe(0);
  });

  it('accepts 42 CJK characters (126 bytes) and the optional fields in their documented forms', async () => {
    const res = await ecpayCall(sim, 'create_order', {
      ...valid,
      subject: '茶'.repeat(42),
      disable_msg: 1,
      limit_pay_way: 'LIMIT_WX,LIMIT_ALI',
      expand_order_info: '{"original_delivery_fee":10,"actual_delivery_fee":10}',
    });
    expect(res.json.err_no).toBe(0);
  });

  it('takes expand_order_info as the JSON string both SDKs send, not as an object', async () => {
    const res = await ecpayCall(sim, 'create_order', {
      ...valid,
      expand_order_info: { original_delivery_fee: 10, actual_delivery_fee: 10 },
    });
    expect(res.json).toMatchObject({
      err_no: ECPAY_ERR_NO.INVALID_PARAMS,
      err_tips: expect.stringContaining('expand_order_info'),
    });
  });

  it('rejects a duplicate out_order_no', async () => {
    expect((await ecpayCall(sim, 'create_order', valid)).json.err_no).toBe(0);
    const again = await ecpayCall(sim, 'create_order', { ...valid, total_amount: 1 });
    expect(again.json).toMatchObject({
      err_no: ECPAY_ERR_NO.DUPLICATE,
      err_tips: expect.stringContaining('order_3001'),
    });
  });
});

describe('refunds and settlements follow the order state', () => {
  const refund = (out_refund_no: string, refund_amount: number) =>
    ecpayCall(sim, 'create_refund', {
      out_order_no: 'order_3001',
      out_refund_no,
      reason: 'r',
      refund_amount,
    });

  it('rejects a refund of an unpaid order, and of an unknown one', async () => {
    await ecpayCall(sim, 'create_order', valid);
    expect((await refund('refund_1', 100)).json.err_no).toBe(ECPAY_ERR_NO.INVALID_STATE);
    const unknown = await ecpayCall(sim, 'create_refund', {
      out_order_no: 'nope',
      out_refund_no: 'refund_2',
      reason: 'r',
      refund_amount: 1,
    });
    expect(unknown.json.err_no).toBe(ECPAY_ERR_NO.NOT_FOUND);
  });

  it('rejects refunds above the paid amount, counting refunds in progress, and a reused out_refund_no', async () => {
    await ecpayCall(sim, 'create_order', valid);
    await sim.douyin.pay('order_3001');
    expect((await refund('refund_1', 9901)).json).toMatchObject({
      err_no: ECPAY_ERR_NO.INVALID_STATE,
      err_tips: expect.stringContaining('9900'),
    });
    expect((await refund('refund_1', 6000)).json.err_no).toBe(0);
    expect((await refund('refund_2', 4000)).json.err_no).toBe(ECPAY_ERR_NO.INVALID_STATE);
    expect((await refund('refund_1', 100)).json.err_no).toBe(ECPAY_ERR_NO.DUPLICATE);
    // A failed refund gives its amount back.
    await sim.douyin.completeRefund('refund_1', { status: 'FAIL' });
    expect((await refund('refund_3', 9900)).json.err_no).toBe(0);
  });

  it('settles an order once, and refuses settle_params that are not a JSON string', async () => {
    await ecpayCall(sim, 'create_order', valid);
    await sim.douyin.pay('order_3001');
    const settle = (out_settle_no: string, extra: Record<string, unknown> = {}) =>
      ecpayCall(sim, 'settle', { out_order_no: 'order_3001', out_settle_no, settle_desc: 'd', ...extra });
    const asArray = await settle('settle_0', { settle_params: [{ merchant_uid: 'm1', amount: 60 }] });
    expect(asArray.json).toMatchObject({
      err_no: ECPAY_ERR_NO.INVALID_PARAMS,
      err_tips: expect.stringContaining('settle_params'),
    });
    expect(
      (await settle('settle_1', { settle_params: JSON.stringify([{ merchant_uid: 'm1', amount: 60 }]) })).json
        .err_no,
    ).toBe(0);
    expect((await settle('settle_2')).json.err_no).toBe(ECPAY_ERR_NO.INVALID_STATE);
  });

  it('reports an unknown order, refund and settlement as not found', async () => {
    expect((await ecpayCall(sim, 'query_order', { out_order_no: 'nope' })).json.err_no).toBe(2000);
    // query_refund's own code for "not found" (docs/PROTOCOLS.md §5.3).
    expect((await ecpayCall(sim, 'query_refund', { out_refund_no: 'nope' })).json.err_no).toBe(3101);
    expect((await ecpayCall(sim, 'query_settle', { out_settle_no: 'nope' })).json.err_no).toBe(
      ECPAY_ERR_NO.NOT_FOUND,
    );
  });
});
