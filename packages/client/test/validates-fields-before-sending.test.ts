import type { DouyinEcpayClient } from '@ttpay/client';
import { TtpayError } from '@ttpay/core';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaptureServer, json, startCaptureServer } from './helpers/capture-server.js';
import { testClients } from './helpers/clients.js';

let server: CaptureServer;
let clients: ReturnType<typeof testClients>;
beforeAll(async () => {
  server = await startCaptureServer(
    json(200, { err_no: 0, err_tips: '', data: { order_id: 'a', order_token: 'b' } }),
  );
  clients = testClients(server.url);
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function expectInvalid(promise: Promise<unknown>): Promise<TtpayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TtpayError);
  expect((error as TtpayError).code).toBe('INVALID_ARGUMENT');
  expect(server.requests).toHaveLength(0);
  return error as TtpayError;
}

const order: DouyinEcpayClient.CreateOrderRequest = {
  out_order_no: 'o_1',
  total_amount: 100,
  subject: 'Tea',
  body: 'Oolong',
  valid_time: 900,
};

describe('ecpay createOrder', () => {
  it.each<[string, Partial<Record<keyof DouyinEcpayClient.CreateOrderRequest, unknown>>]>([
    ['amount 0', { total_amount: 0 }],
    ['amount above 10000000000', { total_amount: 10_000_000_001 }],
    ['fractional amount', { total_amount: 9.99 }],
    ['NaN amount', { total_amount: Number.NaN }],
    ['string amount', { total_amount: '100' }],
    ['out_order_no of 65 characters', { out_order_no: 'a'.repeat(65) }],
    ['out_order_no with a space', { out_order_no: 'o 1' }],
    ['out_order_no with a slash', { out_order_no: 'o/1' }],
    ['empty out_order_no', { out_order_no: '' }],
    ['subject of 43 characters', { subject: 'a'.repeat(43) }],
    ['subject of 129 bytes', { subject: `${'茶'.repeat(42)}aa` }],
    ['empty body', { body: '' }],
    ['valid_time 299', { valid_time: 299 }],
    ['valid_time 172801', { valid_time: 172_801 }],
    ['http notify_url', { notify_url: 'http://shop.example/notify' }],
    ['notify_url of 257 characters', { notify_url: `https://shop.example/${'a'.repeat(236)}` }],
    ['cp_extra of 2049 characters', { cp_extra: 'x'.repeat(2049) }],
    ['disable_msg 2', { disable_msg: 2 }],
    ['unknown limit_pay_way', { limit_pay_way: 'LIMIT_WX,LIMIT_CASH' }],
    ['fractional delivery fee', { expand_order_info: { actual_delivery_fee: 1.5 } }],
  ])('refuses %s before sending', async (_, patch) => {
    await expectInvalid(
      clients.ecpay.createOrder({ ...order, ...patch } as DouyinEcpayClient.CreateOrderRequest),
    );
  });

  it('takes the boundaries', async () => {
    await clients.ecpay.createOrder({
      ...order,
      out_order_no: `${'A'.repeat(60)}_*-9`,
      total_amount: 10_000_000_000,
      subject: '茶'.repeat(42),
      valid_time: 172_800,
      notify_url: `https://shop.example/${'a'.repeat(235)}`,
    });
    await clients.ecpay.createOrder({ ...order, total_amount: 1, valid_time: 300 });
    expect(server.requests).toHaveLength(2);
  });

  it('refuses an endpoint ecpay does not have (no path tricks on the platform host)', async () => {
    await expectInvalid(clients.ecpay.request('../../oauth/x' as 'query_order', { out_order_no: 'o' }));
  });

  it('refuses app_id and sign among generic fields (the client adds them)', async () => {
    await expectInvalid(clients.ecpay.request('query_order', { out_order_no: 'o', sign: 'x' }));
    await expectInvalid(clients.ecpay.unsettleAmount({ out_order_no: 'o', app_id: 'other' }));
  });

  it('refuses values JSON would silently change', async () => {
    await expectInvalid(clients.ecpay.queryPlatformOrder({ out_order_no: 'o', n: Number.POSITIVE_INFINITY }));
    await expectInvalid(
      clients.ecpay.createReturn({ when: new Date() as unknown as string, out_order_no: 'o' }),
    );
  });

  it('accepts any out_order_no made of the allowed characters and refuses any other', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 64 }), async (outOrderNo) => {
        server.requests.length = 0;
        const ok = /^[A-Za-z0-9_*-]+$/.test(outOrderNo);
        const sent = clients.ecpay.createOrder({ ...order, out_order_no: outOrderNo });
        if (ok) await expect(sent).resolves.toBeDefined();
        else await expectInvalid(sent);
      }),
      { numRuns: 60 },
    );
  });
});

describe('ecpay refunds and settlements', () => {
  it('refuses a refund amount that is not integer fen', async () => {
    await expectInvalid(
      clients.ecpay.createRefund({ out_order_no: 'o', out_refund_no: 'r', reason: 'x', refund_amount: 0.5 }),
    );
  });
  it('refuses an empty settle_params list and a fractional split', async () => {
    await expectInvalid(
      clients.ecpay.settle({ out_order_no: 'o', out_settle_no: 's', settle_desc: 'd', settle_params: [] }),
    );
    await expectInvalid(
      clients.ecpay.settle({
        out_order_no: 'o',
        out_settle_no: 's',
        settle_desc: 'd',
        settle_params: [{ merchant_uid: 'm', amount: 1.5 }],
      }),
    );
  });
});

describe('AlgoVoi createPaymentLink', () => {
  const link = { amount: 10, currency: 'USD', label: 'order', preferred_network: 'voi_mainnet' as const };

  it.each<[string, Record<string, unknown>]>([
    ['amount 0', { amount: 0 }],
    ['negative amount', { amount: -1 }],
    ['NaN', { amount: Number.NaN }],
    ['Infinity', { amount: Number.POSITIVE_INFINITY }],
    ['three decimals', { amount: 12.345 }],
    ['a string with three decimals', { amount: '12.345' }],
    ['an exponent string', { amount: '1e3' }],
    ['a negative string', { amount: '-5.00' }],
    ['a currency off the list', { currency: 'JPY' }],
    ['a lowercase currency', { currency: 'usd' }],
    ['an unknown network', { preferred_network: 'ethereum_mainnet' }],
    ['an http redirect', { redirect_url: 'http://shop.example/thanks' }],
    ['a javascript: redirect', { redirect_url: 'javascript:alert(1)' }],
    ['a fractional expiry', { expires_in_seconds: 1.5 }],
    ['an empty label', { label: '' }],
  ])('refuses %s before sending', async (_, patch) => {
    await expectInvalid(clients.algovoi.createPaymentLink({ ...link, ...patch } as typeof link));
  });

  it.each<[number | string, number]>([
    [12.34, 12.34],
    ['12.3', 12.3],
    ['0.01', 0.01],
    [0.1 + 0.2, 0.3],
    [100, 100],
  ])('sends %j as %j', async (amount, sent) => {
    server.respond(
      json(200, {
        checkout_url: 'https://pay.algovoi.example/checkout/t',
        chain: 'voi',
        amount_microunits: 1,
      }),
    );
    await clients.algovoi.createPaymentLink({ ...link, amount });
    expect(JSON.parse(server.requests[0]!.body).amount).toBe(sent);
  });
});

describe('TikTok Shop', () => {
  it('refuses ids that would change the signed path or query', async () => {
    await expectInvalid(clients.tiktok.getOrders([]));
    await expectInvalid(clients.tiktok.getOrders(['1,2']));
    await expectInvalid(
      clients.tiktok.shipPackage('../orders', {
        self_shipment: { tracking_number: 't', shipping_provider_id: 'p' },
      }),
    );
    await expectInvalid(
      clients.tiktok.shipPackage('1', { self_shipment: { tracking_number: '', shipping_provider_id: 'p' } }),
    );
    await expectInvalid(clients.tiktok.request({ method: 'GET', path: '/order/../auth', query: {} }));
    await expectInvalid(
      clients.tiktok.request({ method: 'GET', path: '/order/202309/orders', query: { sign: 'x' } }),
    );
  });
});

describe('Douyin trade requestOrderData', () => {
  it('refuses an order without skus, a fractional amount, an http notify URL, no orderEntrySchema', () => {
    const base = {
      skuList: [{ skuId: 's', price: 1, quantity: 1, title: 't', imageList: [], type: 401 }],
      outOrderNo: 'o',
      totalAmount: 1,
      orderEntrySchema: { path: 'pages/order/detail' },
    };
    expect(clients.trade.requestOrderData(base).data).toContain(
      '"orderEntrySchema":{"path":"pages/order/detail"}',
    );
    for (const patch of [
      { skuList: [] },
      { totalAmount: 1.5 },
      { payNotifyUrl: 'http://shop.example/n' },
      { orderEntrySchema: undefined },
      { orderEntrySchema: { path: '' } },
      { orderEntrySchema: { path: 'pages/order/detail', params: 7 } },
    ]) {
      expect(() => clients.trade.requestOrderData({ ...base, ...patch } as typeof base)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    expect(() => clients.trade.requestOrderData(base, { nonce: 'a\nb' })).toThrow(TtpayError);
  });
});

describe('options', () => {
  it('refuses a bad per-call timeout before sending', async () => {
    await expectInvalid(clients.ecpay.queryOrder({ out_order_no: 'o' }, { timeoutMs: 0 }));
    await expectInvalid(clients.algovoi.verifyPayment('t', { timeoutMs: Number.NaN }));
  });

  it('refuses bad client options when the client is built', () => {
    expect(() => testClients(server.url, { timeoutMs: -1 })).toThrow(TtpayError);
    expect(() => testClients(server.url, { retry: { limit: 1.5 } })).toThrow(TtpayError);
  });
});
