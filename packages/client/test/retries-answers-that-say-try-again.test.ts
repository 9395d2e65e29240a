import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaptureServer, json, startCaptureServer } from './helpers/capture-server.js';
import { testClients } from './helpers/clients.js';

/**
 * A 200 whose result code says "repeat with the same parameters" (ecpay err_no 1000/1001, trade
 * 13000/23000, TikTok 36009002/36009003) is retried like a 5xx — on queries only — with got's own retry.
 */
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

const busy = json(200, { err_no: 1000, err_tips: 'system busy' });
const queried = json(200, {
  err_no: 0,
  err_tips: '',
  payment_info: { total_fee: 1, order_status: 'SUCCESS' },
});

describe('an answer that says "try again"', () => {
  it('is retried on a query, which then succeeds', async () => {
    server.respond(busy, queried);
    await expect(clients.ecpay.queryOrder({ out_order_no: 'o1' })).resolves.toMatchObject({
      payment_info: { order_status: 'SUCCESS' },
    });
    expect(server.requests).toHaveLength(2);
  });

  it('still so after the last attempt, is decoded as the platform error it is', async () => {
    server.respond(busy);
    await expect(clients.ecpay.queryOrder({ out_order_no: 'o1' })).rejects.toMatchObject({
      platformCode: 1000,
      attempts: 3,
    });
    expect(server.requests).toHaveLength(3);
  });

  it('in a 4xx answer too', async () => {
    server.respond(json(400, { err_no: 1001, err_tips: 'try again' }), queried);
    await expect(clients.ecpay.queryOrder({ out_order_no: 'o1' })).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
  });

  it('TikTok 36009003 on a query', async () => {
    server.respond(
      json(200, { code: 36009003, message: 'internal error' }),
      json(200, { code: 0, message: 'Success', data: { orders: [] } }),
    );
    await expect(clients.tiktok.getOrders(['1'])).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
  });

  it('is final on a create: one request', async () => {
    server.respond(busy);
    await expect(
      clients.ecpay.createOrder({
        out_order_no: 'o',
        total_amount: 1,
        subject: 's',
        body: 'b',
        valid_time: 300,
      }),
    ).rejects.toMatchObject({ platformCode: 1000, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});
