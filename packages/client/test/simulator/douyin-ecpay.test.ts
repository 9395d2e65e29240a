import { DouyinEcpayClient, TtpayApiError } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatorHarness, startHarness } from '../helpers/simulator.js';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.sim.clearFaults());

let n = 0;
const outNo = (prefix: string) => `${prefix}_${Date.now()}_${++n}`;
const order = (out_order_no: string) => ({
  out_order_no,
  total_amount: 1000,
  subject: '乌龙茶 Oolong',
  body: 'Tea, 250 g',
  valid_time: 900,
  cp_extra: 'cart=42',
});

describe('the whole ecpay lifecycle against the simulator', () => {
  it('create → pay → query → refund → settle → unsettle_amount', async () => {
    const { ecpay } = h.clients;
    const out_order_no = outNo('ord');
    const created = await ecpay.createOrder(order(out_order_no));
    expect(created.order_id).toMatch(/.+/);
    expect(created.order_token).toMatch(/.+/);

    await expect(ecpay.queryOrder({ out_order_no })).resolves.toMatchObject({
      out_order_no,
      order_id: created.order_id,
      payment_info: { total_fee: 1000, order_status: 'PROCESSING', cp_extra: 'cart=42' },
    });

    const delivery = await h.sim.douyin.pay(out_order_no);
    expect(delivery.acknowledged).toBe(true);
    await expect(ecpay.queryOrder({ out_order_no })).resolves.toMatchObject({
      payment_info: { order_status: 'SUCCESS' },
    });

    const out_refund_no = outNo('ref');
    const refund = await ecpay.createRefund({
      out_order_no,
      out_refund_no,
      reason: 'broken cup',
      refund_amount: 300,
    });
    expect(refund.refund_no).toMatch(/.+/);
    await expect(ecpay.queryRefund({ out_refund_no })).resolves.toMatchObject({
      refundInfo: { refund_no: refund.refund_no, refund_amount: 300 },
    });

    await expect(ecpay.unsettleAmount({ out_order_no })).resolves.toBeDefined();

    const out_settle_no = outNo('set');
    const settled = await ecpay.settle({
      out_order_no,
      out_settle_no,
      settle_desc: 'goods delivered',
      settle_params: [{ merchant_uid: 'demo_merchant_0002', amount: 60 }],
    });
    expect(settled.settle_no).toMatch(/.+/);
    await expect(ecpay.querySettle({ out_settle_no })).resolves.toHaveProperty('settle_info');
  });

  it('surfaces what the simulator does not model as a platform error, not a success', async () => {
    const { ecpay } = h.clients;
    for (const call of [
      () =>
        ecpay.createReturn({ out_order_no: 'o', out_settle_no: 's', out_return_no: 'r', return_amount: 1 }),
      () => ecpay.queryReturn({ out_return_no: 'r' }),
      () => ecpay.queryPlatformOrder({ out_order_no: 'o' }),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(TtpayApiError);
    }
  });
});

describe('platform errors', () => {
  it('a wrong salt is err_no != 0 with the platform tips', async () => {
    const wrong = new DouyinEcpayClient({
      appId: demoCredentials.douyin.appId,
      salt: 'not-the-salt',
      transport: unsafeLoopbackTransportForTests({ baseUrl: h.sim.url }),
    });
    const error = await wrong.createOrder(order(outNo('bad'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TtpayApiError);
    const apiError = error as TtpayApiError;
    expect(apiError.platformCode).not.toBe(0);
    expect(apiError.platformMessage).toMatch(/sign/);
    expect(apiError.message).not.toContain('not-the-salt');
  });

  it('a duplicate out_order_no is refused by the platform', async () => {
    const out_order_no = outNo('dup');
    await h.clients.ecpay.createOrder(order(out_order_no));
    await expect(h.clients.ecpay.createOrder(order(out_order_no))).rejects.toBeInstanceOf(TtpayApiError);
  });

  it('a 200 with garbage is MALFORMED_RESPONSE', async () => {
    h.sim.fault({ platform: 'douyin', path: '/api/apps/ecpay/v1/query_order', garbage: true, times: 3 });
    await expect(h.clients.ecpay.queryOrder({ out_order_no: 'x' })).rejects.toMatchObject({
      code: 'MALFORMED_RESPONSE',
    });
  });
});

describe('retries and timeouts', () => {
  it('a query is retried after a 503 and succeeds: two requests', async () => {
    const out_order_no = outNo('rq');
    await h.clients.ecpay.createOrder(order(out_order_no));
    const path = '/api/apps/ecpay/v1/query_order';
    const before = h.received(path);
    h.sim.fault({ platform: 'douyin', path, status: 503, times: 1 });
    await expect(h.clients.ecpay.queryOrder({ out_order_no })).resolves.toMatchObject({ out_order_no });
    expect(h.received(path) - before).toBe(2);
  });

  it('a create is not retried after a 503: one request', async () => {
    const path = '/api/apps/ecpay/v1/create_order';
    const before = h.received(path);
    h.sim.fault({ platform: 'douyin', path, status: 503, times: 1 });
    await expect(h.clients.ecpay.createOrder(order(outNo('nr')))).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      status: 503,
    });
    expect(h.received(path) - before).toBe(1);
  });

  it('a slow platform times out', async () => {
    h.sim.fault({ platform: 'douyin', path: '/api/apps/ecpay/v1/create_order', delayMs: 1000 });
    const { ecpay } = h.with({ timeoutMs: 100 });
    await expect(ecpay.createOrder(order(outNo('slow')))).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
