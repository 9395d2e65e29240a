import { TtpayClientError } from '@ttpay/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CaptureServer, delay, json, startCaptureServer } from './helpers/capture-server.js';
import { testClients } from './helpers/clients.js';

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const createOrder = { out_order_no: 'o', total_amount: 1, subject: 's', body: 'b', valid_time: 300 };
const created = json(200, { err_no: 0, err_tips: '', data: { order_id: 'N', order_token: 'T' } });

describe('timeouts', () => {
  it('a slow answer becomes TIMEOUT after the client timeout', async () => {
    const { ecpay } = testClients(server.url, { timeoutMs: 100 });
    server.respond(delay(1000, created));
    const started = Date.now();
    await expect(ecpay.createOrder(createOrder)).rejects.toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(900);
    expect(server.requests).toHaveLength(1);
  });

  it('a per-call timeout overrides the client one', async () => {
    const { ecpay } = testClients(server.url, { timeoutMs: 5000 });
    server.respond(delay(1000, created));
    await expect(ecpay.createOrder(createOrder, { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('a query that timed out is retried', async () => {
    const { ecpay } = testClients(server.url, { timeoutMs: 100 });
    server.respond(
      delay(1000, created),
      json(200, { err_no: 0, err_tips: '', payment_info: { total_fee: 1, order_status: 'SUCCESS' } }),
    );
    await expect(ecpay.queryOrder({ out_order_no: 'o' })).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
  });
});

describe('AbortSignal', () => {
  it('aborts a request in flight', async () => {
    const { algovoi } = testClients(server.url);
    server.respond(delay(2000, json(200, { status: 'paid' })));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await algovoi.verifyPayment('tok', { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TtpayClientError);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(server.requests).toHaveLength(1); // and no retry
  });

  it('sends nothing when already aborted', async () => {
    const { tiktok } = testClients(server.url);
    await expect(tiktok.getOrders(['1'], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('ends the wait between retries', async () => {
    const { ecpay } = testClients(server.url, { retry: { baseDelayMs: 5000, maxDelayMs: 5000 } });
    server.respond(json(503, {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(
      ecpay.queryOrder({ out_order_no: 'o' }, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
  });

  it('an AbortSignal.timeout() counts as the caller aborting', async () => {
    const { algovoi } = testClients(server.url);
    server.respond(delay(2000, json(200, { status: 'paid' })));
    await expect(algovoi.verifyPayment('tok', { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});
