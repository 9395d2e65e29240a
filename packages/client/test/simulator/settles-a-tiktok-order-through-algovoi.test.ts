import {
  type SettleTikTokOrderResult,
  settleTikTokOrderViaAlgoVoi,
  shipTikTokOrderPaidViaAlgoVoi,
} from '@ttpay/client';
import { type TikTokEvent, TtpayError, verifyAlgoVoiWebhook, verifyTikTokWebhook } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHarness, startHarness } from '../helpers/simulator.js';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const d = demoCredentials;
const SHIPPING_PROVIDER = 'prov_onchain_1';

/** The simulator delivers a signed TikTok webhook; verify it as @ttpay/koa would. */
async function tiktokWebhook(type: number, data: Record<string, unknown>): Promise<TikTokEvent> {
  const delivery = await h.sim.tiktok.sendWebhook(type, data);
  expect(delivery.acknowledged).toBe(true);
  const received = h.receiver.requests.filter((r) => r.url === '/tiktok/webhook').at(-1)!;
  return verifyTikTokWebhook(
    { rawBody: received.body, signature: received.headers.authorization },
    { appKey: d.tiktok.appKey, appSecret: d.tiktok.appSecret },
  );
}

function linkOf(result: SettleTikTokOrderResult) {
  if (result.outcome !== 'link-created') throw new Error(`expected a link, got ${JSON.stringify(result)}`);
  return result;
}

describe('TikTok order → AlgoVoi link → on-chain payment → shipping reference, end to end', () => {
  it('posts the transaction id back as the tracking number', async () => {
    const orderId = h.sim.tiktok.addOrder({
      total_amount: '42.50',
      currency: 'GBP',
      package_ids: ['pkg_e2e_1'],
    });
    const event = await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' });
    expect(event.name).toBe('ORDER_STATUS_CHANGE');

    const settled = linkOf(
      await settleTikTokOrderViaAlgoVoi(event, h.clients, { preferred_network: 'algorand_mainnet' }),
    );
    expect(settled).toMatchObject({
      order_id: orderId,
      amount: '42.50',
      currency: 'GBP',
      package_ids: ['pkg_e2e_1'],
    });
    expect(h.sim.algovoi.checkout(settled.link.token)).toMatchObject({ amount: 42.5, currency: 'GBP' });

    // The buyer pays on chain; the gateway's webhook is verified, then treated as a hint only.
    await h.sim.algovoi.pay(settled.link.token, { txId: 'ALGO7XTXID52CHARS' });
    const hook = h.receiver.requests.filter((r) => r.url === '/algovoi/webhook').at(-1)!;
    const paidEvent = verifyAlgoVoiWebhook(
      { rawBody: hook.body, signature: hook.headers['x-algovoi-signature'] as string },
      d.algovoi.webhookSecret,
    );
    expect(paidEvent.token).toBe(settled.link.token);

    const shipped = await shipTikTokOrderPaidViaAlgoVoi(
      {
        token: paidEvent.token!,
        order_id: settled.order_id,
        ...(paidEvent.tx_id ? { tx_id: paidEvent.tx_id } : {}),
      },
      h.clients,
      { shipping_provider_id: SHIPPING_PROVIDER },
    );
    expect(shipped).toEqual({
      outcome: 'shipped',
      order_id: orderId,
      package_id: 'pkg_e2e_1',
      tracking_number: 'ALGO7XTXID52CHARS',
      shipping_provider_id: SHIPPING_PROVIDER,
      checkout_status: 'paid',
    });
    expect(h.sim.tiktok.shipments(orderId)).toEqual([
      expect.objectContaining({
        package_id: 'pkg_e2e_1',
        tracking_number: 'ALGO7XTXID52CHARS',
        shipping_provider_id: SHIPPING_PROVIDER,
      }),
    ]);
  });

  it('ships nothing while the checkout is unpaid', async () => {
    const orderId = h.sim.tiktok.addOrder({
      total_amount: '3.00',
      currency: 'USD',
      package_ids: ['pkg_e2e_2'],
    });
    const event = await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' });
    const settled = linkOf(
      await settleTikTokOrderViaAlgoVoi(event, h.clients, { preferred_network: 'voi_mainnet' }),
    );
    await expect(
      shipTikTokOrderPaidViaAlgoVoi(
        { token: settled.link.token, order_id: orderId, tx_id: 'FORGED' },
        h.clients,
        {
          shipping_provider_id: SHIPPING_PROVIDER,
        },
      ),
    ).resolves.toEqual({ outcome: 'not-paid', order_id: orderId, checkout_status: 'pending' });
    expect(h.sim.tiktok.shipments(orderId)).toEqual([]);
  });

  it('refuses a webhook tx_id that the checkout contradicts', async () => {
    const orderId = h.sim.tiktok.addOrder({
      total_amount: '3.00',
      currency: 'USD',
      package_ids: ['pkg_e2e_3'],
    });
    const event = await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' });
    const settled = linkOf(
      await settleTikTokOrderViaAlgoVoi(event, h.clients, { preferred_network: 'voi_mainnet' }),
    );
    await h.sim.algovoi.pay(settled.link.token, { txId: 'REAL_TX' });
    await expect(
      shipTikTokOrderPaidViaAlgoVoi(
        { token: settled.link.token, order_id: orderId, tx_id: 'OTHER_TX' },
        h.clients,
        {
          shipping_provider_id: SHIPPING_PROVIDER,
        },
      ),
    ).rejects.toBeInstanceOf(TtpayError);
    expect(h.sim.tiktok.shipments(orderId)).toEqual([]);
  });

  it('skips what is not a shippable order status change, and says why', async () => {
    const orderId = h.sim.tiktok.addOrder({ total_amount: '3.00', currency: 'USD', status: 'UNPAID' });
    const opts = { preferred_network: 'voi_mainnet' } as const;
    const linksBefore = h.received('/v1/payment-links');
    await expect(
      settleTikTokOrderViaAlgoVoi(await tiktokWebhook(4, { order_id: orderId }), h.clients, opts),
    ).resolves.toEqual({ outcome: 'skipped', reason: 'not-an-order-status-change' });
    await expect(
      settleTikTokOrderViaAlgoVoi(
        await tiktokWebhook(1, { order_id: orderId, order_status: 'UNPAID', is_on_hold_order: true }),
        h.clients,
        opts,
      ),
    ).resolves.toMatchObject({ outcome: 'skipped', reason: 'order-on-hold' });
    // a stale webhook says AWAITING_SHIPMENT, but the order was cancelled since: the fetched order wins
    const stale = await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' });
    await tiktokWebhook(1, { order_id: orderId, order_status: 'CANCELLED' });
    await expect(settleTikTokOrderViaAlgoVoi(stale, h.clients, opts)).resolves.toEqual({
      outcome: 'skipped',
      reason: 'status-not-eligible',
      order_id: orderId,
      order_status: 'CANCELLED',
    });
    await expect(
      settleTikTokOrderViaAlgoVoi(
        await tiktokWebhook(1, { order_id: '999999999999999999', order_status: 'AWAITING_SHIPMENT' }),
        h.clients,
        opts,
      ),
    ).resolves.toMatchObject({ outcome: 'skipped', reason: 'order-not-found' });
    expect(h.received('/v1/payment-links')).toBe(linksBefore);
  });

  it('finds the package itself when the order has exactly one', async () => {
    const orderId = h.sim.tiktok.addOrder({
      total_amount: '8.00',
      currency: 'EUR',
      package_ids: ['pkg_e2e_5'],
    });
    const event = await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' });
    const { link } = linkOf(
      await settleTikTokOrderViaAlgoVoi(event, h.clients, { preferred_network: 'hedera_mainnet' }),
    );
    await h.sim.algovoi.pay(link.token, { txId: 'HEDERA_TX' });
    // no tx_id from the webhook: the checkout's own tx_id is used
    await expect(
      shipTikTokOrderPaidViaAlgoVoi({ token: link.token, order_id: orderId }, h.clients, {
        shipping_provider_id: SHIPPING_PROVIDER,
      }),
    ).resolves.toMatchObject({ outcome: 'shipped', package_id: 'pkg_e2e_5', tracking_number: 'HEDERA_TX' });
  });
});
