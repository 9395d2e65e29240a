import { TtpayClientError } from '@ttpay/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaptureServer, json, resetConnection, startCaptureServer } from './helpers/capture-server.js';
import { testClients } from './helpers/clients.js';

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

const unavailable = json(503, { message: 'busy' });
const queried = json(200, {
  err_no: 0,
  err_tips: '',
  payment_info: { total_fee: 1, order_status: 'SUCCESS' },
});

describe('queries are retried', () => {
  it('after a 503, and succeed on the second attempt', async () => {
    server.respond(unavailable, queried);
    await expect(clients.ecpay.queryOrder({ out_order_no: 'o1' })).resolves.toMatchObject({
      payment_info: { order_status: 'SUCCESS' },
    });
    expect(server.requests).toHaveLength(2);
  });

  it('after a reset connection', async () => {
    server.respond(resetConnection, json(200, { status: 'paid' }));
    await expect(clients.algovoi.verifyPayment('tok')).resolves.toMatchObject({ paid: true });
    expect(server.requests).toHaveLength(2);
  });

  it('at most twice by default, then the 5xx is reported with the attempt count', async () => {
    server.respond(unavailable);
    const error = await clients.tiktok.getOrders(['1']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TtpayClientError);
    expect(error).toMatchObject({
      code: 'HTTP_STATUS',
      status: 503,
      attempts: 3,
      host: 'open-api.tiktokglobalshop.com',
    });
    expect(server.requests).toHaveLength(3);
  });

  it('as configured (limit 0 means once)', async () => {
    const once = testClients(server.url, { retry: { limit: 0 } });
    server.respond(unavailable);
    await expect(once.ecpay.queryRefund({ out_refund_no: 'r' })).rejects.toMatchObject({
      code: 'HTTP_STATUS',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('each attempt is logged, and each retry as a warning', async () => {
    const entries: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
    const at =
      (level: string) =>
      (obj: Record<string, unknown>, msg?: string): void => {
        entries.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
      };
    const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    server.respond(unavailable, queried);
    await testClients(server.url, { logger }).ecpay.queryOrder({ out_order_no: 'o1' });
    expect(entries.map((e) => [e.level, e.obj.status, e.obj.attempt])).toEqual([
      ['debug', 503, 1],
      ['warn', 503, 1],
      ['debug', 200, 2],
    ]);
    expect(entries[0]?.obj).toMatchObject({
      platform: 'douyin-ecpay',
      method: 'POST',
      host: 'developer.toutiao.com',
      path: '/api/apps/ecpay/v1/query_order',
    });
  });

  it('but a platform error code is final, not retried', async () => {
    server.respond(json(200, { err_no: 2010, err_tips: 'parameter error' }));
    await expect(clients.ecpay.queryOrder({ out_order_no: 'o1' })).rejects.toMatchObject({
      platformCode: 2010,
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe('creates, refunds, settlements and shipping are never retried', () => {
  const calls: [string, () => Promise<unknown>][] = [
    [
      'ecpay createOrder',
      () =>
        clients.ecpay.createOrder({
          out_order_no: 'o',
          total_amount: 1,
          subject: 's',
          body: 'b',
          valid_time: 300,
        }),
    ],
    [
      'ecpay createRefund',
      () =>
        clients.ecpay.createRefund({ out_order_no: 'o', out_refund_no: 'r', reason: 'x', refund_amount: 1 }),
    ],
    ['ecpay settle', () => clients.ecpay.settle({ out_order_no: 'o', out_settle_no: 's', settle_desc: 'd' })],
    ['ecpay createReturn', () => clients.ecpay.createReturn({ out_order_no: 'o' })],
    [
      'TikTok shipPackage',
      () =>
        clients.tiktok.shipPackage('1', {
          self_shipment: { tracking_number: 't', shipping_provider_id: 'p' },
        }),
    ],
    [
      'TikTok updateShippingInfo',
      () => clients.tiktok.updateShippingInfo('1', { tracking_number: 't', shipping_provider_id: 'p' }),
    ],
    ['TikTok token get', () => clients.tiktok.getAccessToken('code')],
    [
      'AlgoVoi createPaymentLink',
      () =>
        clients.algovoi.createPaymentLink({
          amount: 1,
          currency: 'USD',
          label: 'l',
          preferred_network: 'voi_mainnet',
        }),
    ],
  ];

  // AlgoVoi's create says OUTCOME_UNKNOWN instead: the link may exist (docs/PROTOCOLS.md §4.2).
  const unknownFor = (name: string, code: string) => (name.startsWith('AlgoVoi') ? 'OUTCOME_UNKNOWN' : code);

  it.each(calls)('%s: one request after a 503', async (name, call) => {
    server.respond(unavailable);
    await expect(call()).rejects.toMatchObject({
      code: unknownFor(name, 'HTTP_STATUS'),
      status: 503,
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
  });

  it.each(calls)('%s: one request after a reset connection', async (name, call) => {
    server.respond(resetConnection);
    await expect(call()).rejects.toMatchObject({
      code: unknownFor(name, 'NETWORK'),
      networkCode: 'ECONNRESET',
    });
    expect(server.requests).toHaveLength(1);
  });
});
