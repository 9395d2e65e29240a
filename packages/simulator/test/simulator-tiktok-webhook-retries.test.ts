import { verifyTikTokWebhook } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, SimulatorError, startSimulator } from '../src/index.js';
import { type Receiver, startReceiver } from './simulator-test-helpers.js';

let sim: Simulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

describe('sim.tiktok.sendWebhook', () => {
  it('retries on the TikTok schedule until HTTP 200 (any body) and verifyTikTokWebhook accepts every copy received', async () => {
    receiver = await startReceiver((n) => (n < 3 ? { status: 503 } : { status: 200, body: '' }));
    sim = await startSimulator({ timeScale: 0.0001, tiktok: { webhookUrl: receiver.url } });
    const orderId = sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD' });

    const result = await sim.tiktok.sendWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' });

    expect(result).toMatchObject({ url: receiver.url, attempts: 3, acknowledged: true });
    expect(result.responses.map((r) => r.status)).toEqual([503, 503, 200]);
    const ids = receiver.requests.map((r) => {
      const event = verifyTikTokWebhook(
        { rawBody: r.body, headers: { authorization: r.headers.authorization } },
        { appKey: demoCredentials.tiktok.appKey, appSecret: demoCredentials.tiktok.appSecret },
      );
      expect(event).toMatchObject({
        name: 'ORDER_STATUS_CHANGE',
        shop_id: demoCredentials.tiktok.shopId,
        data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT' },
      });
      return event.tts_notification_id;
    });
    // A retry is the same notification.
    expect(new Set(ids).size).toBe(1);
  });

  it('gives up after 5 attempts (1 + retries at 2m/30m/3h/12h)', async () => {
    receiver = await startReceiver(() => ({ status: 500 }));
    sim = await startSimulator({ timeScale: 0.000001 });
    const result = await sim.tiktok.sendWebhook(
      1,
      { order_id: '1', order_status: 'CANCELLED' },
      { url: receiver.url },
    );
    expect(result).toMatchObject({ attempts: 5, acknowledged: false });
  });

  it('sends duplicates of the acknowledged webhook, and keeps the simulated order status in step', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    sim = await startSimulator({ timeScale: 0.0001, tiktok: { webhookUrl: receiver.url } });
    const orderId = sim.tiktok.addOrder({ total_amount: '5.00', currency: 'GBP' });
    const result = await sim.tiktok.sendWebhook(
      1,
      { order_id: orderId, order_status: 'CANCELLED' },
      { duplicates: 2 },
    );

    expect(result).toMatchObject({ attempts: 3, acknowledged: true });
    expect(receiver.requests.every((r) => r.body.equals(receiver!.requests[0]!.body))).toBe(true);
    expect(sim.tiktok.order(orderId)).toMatchObject({ status: 'CANCELLED' });
  });

  it('refuses to send without a webhook URL', async () => {
    sim = await startSimulator();
    await expect(sim.tiktok.sendWebhook(1, { order_id: '1' })).rejects.toMatchObject({
      name: 'SimulatorError',
      code: 'NO_DELIVERY_URL',
    });
    await expect(sim.tiktok.sendWebhook(1, { order_id: '1' })).rejects.toBeInstanceOf(SimulatorError);
  });
});
