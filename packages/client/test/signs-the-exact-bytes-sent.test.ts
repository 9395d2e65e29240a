import { signEcpayRequest, signTikTokRequest } from '@ttpay/core';
import { verifyByteAuthorization } from '@ttpay/core/internal';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaptureServer, json, startCaptureServer } from './helpers/capture-server.js';
import { DEMO_DOUYIN_APP_SECRET, testClients } from './helpers/clients.js';

const d = demoCredentials;
let server: CaptureServer;
let clients: ReturnType<typeof testClients>;

beforeAll(async () => {
  server = await startCaptureServer();
  clients = testClients(server.url);
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function only() {
  expect(server.requests).toHaveLength(1);
  return server.requests[0]!;
}

describe('ecpay', () => {
  it('adds app_id and sign, and the sign covers exactly the fields sent', async () => {
    server.respond(json(200, { err_no: 0, err_tips: '', data: { order_id: 'N1', order_token: 'T1' } }));
    const result = await clients.ecpay.createOrder({
      out_order_no: 'ord_2024-001*a',
      total_amount: 1999,
      subject: '限时特惠！🎉 Tea',
      body: 'Oolong, 250 g',
      valid_time: 900,
      disable_msg: 0,
      cp_extra: '',
      expand_order_info: { original_delivery_fee: 10, actual_delivery_fee: 0 },
      limit_pay_way: ['LIMIT_WX', 'LIMIT_ALI'],
    });
    expect(result).toMatchObject({ order_id: 'N1', order_token: 'T1' });
    const req = only();
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/apps/ecpay/v1/create_order');
    expect(req.headers['content-type']).toBe('application/json');
    const sent = JSON.parse(req.body) as Record<string, unknown>;
    expect(sent.app_id).toBe(d.douyin.appId);
    expect(sent.limit_pay_way).toBe('LIMIT_WX,LIMIT_ALI');
    expect(sent.disable_msg).toBe(0); // signed as "0", never dropped
    const { sign, ...rest } = sent;
    expect(sign).toBe(signEcpayRequest(rest, d.douyin.salt));
    expect(sign).toMatch(/^[0-9a-f]{32}$/);
  });

  it('serialises settle_params once, as the JSON string the platform takes, and signs that string', async () => {
    server.respond(json(200, { err_no: 0, err_tips: '', settle_no: 'S1' }));
    await clients.ecpay.settle({
      out_order_no: 'o1',
      out_settle_no: 's1',
      settle_desc: 'split',
      settle_params: [{ merchant_uid: 'm1', amount: 60 }],
    });
    const sent = JSON.parse(only().body) as Record<string, unknown>;
    expect(sent.settle_params).toBe('[{"merchant_uid":"m1","amount":60}]');
    const { sign, ...rest } = sent;
    expect(sign).toBe(signEcpayRequest(rest, d.douyin.salt));
  });

  it('sends thirdparty_id unsigned when configured', async () => {
    const { DouyinEcpayClient } = await import('@ttpay/client');
    const { unsafeLoopbackTransportForTests } = await import('@ttpay/client/testing');
    const client = new DouyinEcpayClient({
      appId: d.douyin.appId,
      salt: d.douyin.salt,
      thirdpartyId: 'tp_1',
      transport: unsafeLoopbackTransportForTests({ baseUrl: server.url }),
    });
    server.respond(
      json(200, { err_no: 0, err_tips: '', out_order_no: 'o1', payment_info: { total_fee: 1 } }),
    );
    await client.queryOrder({ out_order_no: 'o1' });
    const sent = JSON.parse(only().body) as Record<string, unknown>;
    expect(sent.thirdparty_id).toBe('tp_1');
    const { sign, ...rest } = sent;
    expect(sign).toBe(signEcpayRequest(rest, d.douyin.salt));
  });
});

describe('TikTok Shop', () => {
  it('signs path, query and the exact body bytes, and sends the token as x-tts-access-token', async () => {
    server.respond(json(200, { code: 0, message: 'Success', request_id: 'r1', data: {} }));
    const before = Math.floor(Date.now() / 1000);
    await clients.tiktok.shipPackage('1152921504606846976', {
      self_shipment: { tracking_number: 'TX-ÄÖ-✓', shipping_provider_id: '6617675021119438849' },
    });
    const req = only();
    const url = new URL(req.url, 'http://x');
    expect(url.pathname).toBe('/fulfillment/202309/packages/1152921504606846976/ship');
    const query = Object.fromEntries(url.searchParams);
    expect(query).toMatchObject({ app_key: d.tiktok.appKey, shop_cipher: d.tiktok.shopCipher });
    expect(Number(query.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(query.timestamp)).toBeLessThan(before + 5); // seconds, not milliseconds
    expect(req.headers['x-tts-access-token']).toBe(d.tiktok.accessToken);
    expect(req.headers['content-type']).toBe('application/json');
    const { sign, ...unsigned } = query;
    expect(sign).toBe(
      signTikTokRequest({ path: url.pathname, query: unsigned, body: req.body }, d.tiktok.appSecret),
    );
    expect(JSON.parse(req.body)).toEqual({
      self_shipment: { tracking_number: 'TX-ÄÖ-✓', shipping_provider_id: '6617675021119438849' },
    });
  });

  it('signs a GET without a body', async () => {
    server.respond(json(200, { code: 0, message: 'Success', request_id: 'r2', data: { orders: [] } }));
    await clients.tiktok.getOrders(['576461413038785752', '576461413038785753']);
    const req = only();
    expect(req.method).toBe('GET');
    expect(req.body).toBe('');
    const url = new URL(req.url, 'http://x');
    const { sign, ...unsigned } = Object.fromEntries(url.searchParams);
    expect(unsigned.ids).toBe('576461413038785752,576461413038785753');
    expect(sign).toBe(signTikTokRequest({ path: url.pathname, query: unsigned }, d.tiktok.appSecret));
  });

  it('asks the auth host for tokens unsigned, with no access-token header', async () => {
    server.respond(
      json(200, { code: 0, message: 'success', request_id: 'r3', data: { access_token: 'new' } }),
    );
    await expect(clients.tiktok.refreshAccessToken('TTP_refresh')).resolves.toMatchObject({
      access_token: 'new',
    });
    const req = only();
    const url = new URL(req.url, 'http://x');
    expect(url.pathname).toBe('/api/v2/token/refresh');
    expect(url.searchParams.get('sign')).toBeNull();
    expect(url.searchParams.get('grant_type')).toBe('refresh_token');
    expect(req.headers['x-tts-access-token']).toBeUndefined();
  });
});

describe('Douyin trade system', () => {
  it('requestOrderData signs POST /requestOrder over the exact data string it returns', () => {
    const order = {
      skuList: [
        {
          skuId: 'sku1',
          price: 100,
          quantity: 2,
          title: '茶 🍵',
          imageList: ['https://img.example/1.png'],
          type: 401,
        },
      ],
      outOrderNo: 'out_1',
      totalAmount: 200,
      payNotifyUrl: 'https://shop.example/douyin/notify',
      orderEntrySchema: { path: 'pages/order/detail', params: '{"outOrderNo":"out_1"}' },
    };
    const { data, byteAuthorization } = clients.trade.requestOrderData(order, {
      timestamp: 1700000000,
      nonce: 'n0nce',
    });
    expect(data).toBe(JSON.stringify(order));
    const parsed = verifyByteAuthorization(
      { method: 'POST', uri: '/requestOrder', body: data, header: byteAuthorization },
      d.douyin.appPublicKey,
    );
    expect(parsed).toMatchObject({
      appId: d.douyin.appId,
      keyVersion: '1',
      timestamp: '1700000000',
      nonce: 'n0nce',
    });
  });

  it('calls server APIs with the client token in the access-token header', async () => {
    server.respond(
      json(200, {
        data: { access_token: 'clt.abc', expires_in: 7200, error_code: 0, description: '' },
        message: 'success',
      }),
      json(200, { err_no: 0, err_msg: '', log_id: 'L1', data: { order_id: 'X', item_order_list: [] } }),
    );
    await expect(clients.trade.orderQuery({ out_order_no: 'o1' })).resolves.toEqual({
      order_id: 'X',
      item_order_list: [],
    });
    expect(server.requests).toHaveLength(2);
    const [tokenReq, apiReq] = server.requests as [(typeof server.requests)[0], (typeof server.requests)[0]];
    expect(tokenReq.url).toBe('/oauth/stable_client_token/');
    expect(JSON.parse(tokenReq.body)).toEqual({
      client_key: d.douyin.appId,
      client_secret: DEMO_DOUYIN_APP_SECRET,
      grant_type: 'client_credential',
    });
    expect(apiReq.url).toBe('/api/trade_basic/v1/developer/order_query/');
    expect(apiReq.headers['access-token']).toBe('clt.abc');
    expect(JSON.parse(apiReq.body)).toEqual({ out_order_no: 'o1' });
  });
});

describe('AlgoVoi', () => {
  it('sends Bearer and X-Tenant-Id, a 2-decimal amount, and derives the token from checkout_url', async () => {
    server.respond(
      json(201, {
        checkout_url: 'https://pay.algovoi.example/checkout/tok_9f8e',
        chain: 'algorand',
        amount_microunits: 12340000,
      }),
    );
    const link = await clients.algovoi.createPaymentLink({
      amount: '12.34',
      currency: 'USD',
      label: 'TikTok Shop order 1',
      preferred_network: 'algorand_mainnet',
    });
    expect(link).toEqual({
      checkout_url: 'https://pay.algovoi.example/checkout/tok_9f8e',
      chain: 'algorand',
      amount_microunits: 12340000,
      token: 'tok_9f8e',
    });
    const req = only();
    expect(req.url).toBe('/v1/payment-links');
    expect(req.headers.authorization).toBe(`Bearer ${d.algovoi.apiKey}`);
    expect(req.headers['x-tenant-id']).toBe(d.algovoi.tenantId);
    expect(req.body).toBe(
      '{"amount":12.34,"currency":"USD","label":"TikTok Shop order 1","preferred_network":"algorand_mainnet"}',
    );
  });

  it('percent-encodes the token in the checkout path and reads paid statuses', async () => {
    for (const [status, paid] of [
      ['paid', true],
      ['completed', true],
      ['confirmed', true],
      ['pending', false],
      ['PAID', false],
    ] as const) {
      server.requests.length = 0;
      server.respond(json(200, { status }));
      const result = await clients.algovoi.verifyPayment('a/b?c#d ../e');
      expect(result).toMatchObject({ paid, status, token: 'a/b?c#d ../e' });
      expect(only().url).toBe('/checkout/a%2Fb%3Fc%23d%20..%2Fe/status');
    }
  });
});
