import { verifyEcpayCallback } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ECPAY_RETRY_SCHEDULE } from '../src/simulator/retry-schedules.js';
import {
  createEcpayOrder,
  createTradeOrder,
  deliveryOf,
  press,
  type Rig,
  settled,
  startRig,
  state,
} from './dashboard-test-helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('the dashboard journal', () => {
  it("keeps each request's exact bytes and headers, the app's reply and latency", async () => {
    rig = await startRig();
    await createEcpayOrder(rig.sim, 'order_2001');
    const result = await rig.sim.douyin.pay('order_2001', { duplicates: 1 });

    const delivery = await deliveryOf(rig.sim, 'order_2001', (d) => d.state === 'acknowledged');
    expect(delivery).toMatchObject({
      platform: 'douyin',
      scheme: 'ecpay',
      type: 'payment',
      url: `${rig.app.url}/douyin/notify`,
    });
    expect(delivery.attempts.map((a) => [a.n, a.kind, a.reply?.status, a.acknowledged])).toEqual([
      [1, 'scheduled', 200, true],
      [2, 'duplicate', 200, true],
    ]);
    // The replies the journal shows are the replies the delivery got.
    expect(delivery.attempts.map((a) => a.reply?.body)).toEqual(result.responses.map((r) => r.body));
    const [first] = delivery.attempts;
    // The body shown is a correctly signed callback for that order: the bytes that went out.
    const event = verifyEcpayCallback(
      { rawBody: first!.request.body },
      { token: demoCredentials.douyin.token },
    );
    expect(event.key).toBe('douyin:ecpay:payment:order_2001:SUCCESS');
    expect(first!.request.bytes).toBe(Buffer.byteLength(first!.request.body));
    expect(first!.request.headers['content-type']).toBe('application/json');
    expect(first!.latencyMs).toEqual(expect.any(Number));
    expect(rig.app.payments.get('order_2001')).toBe(1);
  });

  it('shows when the next retry is due while the app keeps failing', async () => {
    rig = await startRig(1); // the real schedule: the first retry is 15 s away
    rig.app.failNextDouyin(1);
    await createEcpayOrder(rig.sim, 'order_2002');
    void rig.sim.douyin.pay('order_2002');

    const waiting = await deliveryOf(rig.sim, 'order_2002', (d) => d.state === 'retry-scheduled');
    const [failed] = waiting.attempts;
    expect(failed).toMatchObject({
      kind: 'scheduled',
      reply: { status: 503, body: 'busy' },
      acknowledged: false,
    });
    const sentAt = failed!.sentAt;
    const firstWait = ECPAY_RETRY_SCHEDULE[0]!;
    expect(waiting.nextRetryAt).toBeGreaterThanOrEqual(sentAt + firstWait);
    expect(waiting.nextRetryAt).toBeLessThan(sentAt + firstWait + ECPAY_RETRY_SCHEDULE[1]!);

    expect(rig.app.payments.get('order_2002')).toBeUndefined();

    // No need to wait for the schedule: resend it now. The platform's own retry stays scheduled.
    await press(rig.sim, `/_sim/api/deliveries/${waiting.id}/resend`);
    const resent = await deliveryOf(rig.sim, 'order_2002', (d) => d.attempts.length === 2 && settled(d));
    expect(resent.attempts[1]).toMatchObject({ kind: 'resend', reply: { status: 200 }, acknowledged: true });
    expect(resent.state).toBe('retry-scheduled');
    expect(rig.app.payments.get('order_2002')).toBe(1);
  });

  it('resends N copies at once: every one acknowledged, the payment applied once', async () => {
    rig = await startRig();
    await createEcpayOrder(rig.sim, 'order_2003');
    await rig.sim.douyin.pay('order_2003');
    const paid = await deliveryOf(rig.sim, 'order_2003', (d) => d.state === 'acknowledged');

    const resend = await press(rig.sim, `/_sim/api/deliveries/${paid.id}/resend`, { copies: 5 });
    expect(resend).toEqual({ status: 202, json: { ok: true } });
    const after = await deliveryOf(rig.sim, 'order_2003', (d) => d.attempts.length === 6 && settled(d));
    const copies = after.attempts.slice(1);
    expect(copies.map((a) => a.kind)).toEqual(Array(5).fill('resend'));
    expect(copies.every((a) => a.reply?.status === 200 && a.acknowledged)).toBe(true);
    // ecpay resends the same bytes, as the platform's retries do.
    expect(new Set(after.attempts.map((a) => a.request.body)).size).toBe(1);
    expect(rig.app.payments.get('order_2003')).toBe(1);
  });

  it('sends a delivery broken on request: the app refuses it and applies nothing', async () => {
    rig = await startRig();
    await createTradeOrder(rig.sim, 'trade_2004');
    await rig.sim.douyin.pay('trade_2004');
    const paid = await deliveryOf(rig.sim, 'trade_2004', (d) => d.state === 'acknowledged');
    expect(paid).toMatchObject({
      scheme: 'trade',
      type: 'payment',
      breakable: ['bad-signature', 'stale-timestamp'],
    });

    await press(rig.sim, `/_sim/api/deliveries/${paid.id}/resend`, { break: 'bad-signature' });
    await press(rig.sim, `/_sim/api/deliveries/${paid.id}/resend`, { break: 'stale-timestamp' });
    const after = await deliveryOf(rig.sim, 'trade_2004', (d) => d.attempts.length === 3 && settled(d));
    const [, bad, stale] = after.attempts;
    expect(bad).toMatchObject({ kind: 'bad-signature', reply: { status: 400 }, acknowledged: false });
    expect(bad!.reply!.body).toContain('SIGNATURE_MISMATCH');
    expect(stale).toMatchObject({ kind: 'stale-timestamp', reply: { status: 400 }, acknowledged: false });
    expect(stale!.reply!.body).toContain('TIMESTAMP_OUT_OF_RANGE');
    // Same body bytes; only the signed timestamp moved back (74 h, past the default window).
    expect(stale!.request.body).toBe(after.attempts[0]!.request.body);
    expect(Number(stale!.request.headers['byte-timestamp'])).toBeLessThan(
      Number(after.attempts[0]!.request.headers['byte-timestamp']) - 3000,
    );
    expect(rig.app.payments.get('trade_2004')).toBe(1);
  });

  it('refuses what cannot be done, with the reason', async () => {
    rig = await startRig();
    expect(await press(rig.sim, '/_sim/api/deliveries/99/resend')).toMatchObject({
      status: 404,
      json: { error: 'UNKNOWN_DELIVERY' },
    });
    await createEcpayOrder(rig.sim, 'order_2005');
    await rig.sim.douyin.pay('order_2005');
    const paid = await deliveryOf(rig.sim, 'order_2005', (d) => d.state === 'acknowledged');
    for (const copies of [0, 51, 1.5, '3']) {
      expect(await press(rig.sim, `/_sim/api/deliveries/${paid.id}/resend`, { copies })).toMatchObject({
        status: 400,
        json: { error: 'INVALID_ARGUMENT', message: expect.stringContaining('copies') },
      });
    }
    expect(await press(rig.sim, '/_sim/api/orders/douyin/order_2005/pay')).toMatchObject({
      status: 409,
      json: { error: 'INVALID_STATE' },
    });
    expect(await press(rig.sim, '/_sim/api/orders/douyin/nope/pay')).toMatchObject({
      status: 404,
      json: { error: 'UNKNOWN_ORDER' },
    });
    expect(await press(rig.sim, '/_sim/api/orders/douyin/order_2005/ship')).toMatchObject({ status: 400 });
    // Nothing was sent by any of these.
    expect((await state(rig.sim)).deliveries.find((d) => d.ref === 'order_2005')?.attempts).toHaveLength(1);
  });
});
