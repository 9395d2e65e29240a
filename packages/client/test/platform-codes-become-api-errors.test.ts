import { TtpayApiError, TtpayClientError } from '@ttpay/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CaptureServer, json, startCaptureServer } from './helpers/capture-server.js';
import { testClients } from './helpers/clients.js';

let server: CaptureServer;
let clients: ReturnType<typeof testClients>;
beforeAll(async () => {
  server = await startCaptureServer();
  clients = testClients(server.url);
});
afterAll(() => server.close());

it('ecpay err_no != 0 with HTTP 200 is a TtpayApiError with the code and tips', async () => {
  server.respond(json(200, { err_no: 2008, err_tips: 'sign does not match' }));
  const error = await clients.ecpay.queryOrder({ out_order_no: 'o' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TtpayApiError);
  expect(error).toBeInstanceOf(TtpayClientError);
  expect(error).toMatchObject({
    code: 'PLATFORM_ERROR',
    platform: 'douyin-ecpay',
    platformCode: 2008,
    platformMessage: 'sign does not match',
    status: 200,
    method: 'POST',
    host: 'developer.toutiao.com',
    path: '/api/apps/ecpay/v1/query_order',
  });
});

it('TikTok code != 0 with HTTP 200 is a TtpayApiError with code, message and request_id', async () => {
  server.respond(json(200, { code: 106001, message: 'Invalid sign', request_id: '2024REQ', data: {} }));
  await expect(clients.tiktok.getOrders(['1'])).rejects.toMatchObject({
    platform: 'tiktok',
    platformCode: 106001,
    platformMessage: 'Invalid sign',
    requestId: '2024REQ',
  });
});

it('a trade-system err_no carries its log_id', async () => {
  server.respond(
    json(200, { data: { access_token: 'clt.x', expires_in: 7200, error_code: 0 }, message: 'success' }),
    json(200, { err_no: 10000, err_msg: 'parameter error', log_id: 'LOG1' }),
  );
  await expect(clients.trade.refundQuery({ out_refund_no: 'r' })).rejects.toMatchObject({
    platform: 'douyin-trade',
    platformCode: 10000,
    requestId: 'LOG1',
  });
});

it('a platform code on a non-200 answer is still reported as the platform error', async () => {
  server.respond(json(429, { code: 36009003, message: 'rate limited', request_id: 'R' }));
  await expect(
    clients.tiktok.updateShippingInfo('1', { tracking_number: 't', shipping_provider_id: 'p' }),
  ).rejects.toMatchObject({
    code: 'PLATFORM_ERROR',
    status: 429,
    platformCode: 36009003,
  });
});

it.each([
  ['HTTP 200 without a result code', json(200, { data: {} })],
  ['HTTP 200 with a string result code', json(200, { code: '0', data: {} })],
  ['HTTP 200 with garbage', json(200, '<html>gateway</html>')],
  ['HTTP 200 with a JSON array', json(200, '[0]')],
])('%s is MALFORMED_RESPONSE, never success', async (_, responder) => {
  server.respond(responder);
  await expect(
    clients.tiktok.shipPackage('1', { self_shipment: { tracking_number: 't', shipping_provider_id: 'p' } }),
  ).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
});

it('an HTTP error without a result code is HTTP_STATUS', async () => {
  server.respond(json(401, { detail: 'bad key' }));
  await expect(
    clients.algovoi.createPaymentLink({
      amount: 5,
      currency: 'EUR',
      label: 'l',
      preferred_network: 'stellar_mainnet',
    }),
  ).rejects.toMatchObject({
    code: 'HTTP_STATUS',
    status: 401,
    platform: 'algovoi',
    host: 'pay.algovoi.example',
  });
});

it('a success without the documented result fields is MALFORMED_RESPONSE', async () => {
  server.respond(json(200, { err_no: 0, err_tips: '', data: { order_id: 'N' } }));
  await expect(
    clients.ecpay.createOrder({
      out_order_no: 'o',
      total_amount: 1,
      subject: 's',
      body: 'b',
      valid_time: 300,
    }),
  ).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
  server.respond(
    json(200, { checkout_url: 'https://pay.algovoi.example/', chain: 'voi', amount_microunits: 1 }),
  );
  await expect(
    clients.algovoi.createPaymentLink({
      amount: 5,
      currency: 'EUR',
      label: 'l',
      preferred_network: 'voi_mainnet',
    }),
    // A garbled 2xx to a create: the gateway may hold a link it could not describe (docs/PROTOCOLS.md §4.2).
  ).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN', status: 200 });
});
