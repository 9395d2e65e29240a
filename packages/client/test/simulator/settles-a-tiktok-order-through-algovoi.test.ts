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
/** An Algorand transaction id: 52 base32 characters — no carrier's tracking number. */
const TX_ID = 'ALGO7XTXIDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
/** USPS, as the simulated shop's Get Shipping Providers lists it. */
const USPS = '7117858858072016686';

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

describe('TikTok order → AlgoVoi link → on-chain payment → shipping, end to end', () => {
  it('ships a TikTok-shipped order with a handover method; the transaction id stays the payment reference', async () => {
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
    await h.sim.algovoi.pay(settled.link.token, { txId: TX_ID });
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
    );
    expect(shipped).toEqual({
      outcome: 'shipped',
      order_id: orderId,
      package_id: 'pkg_e2e_1',
      shipping: 'tiktok',
      handover_method: 'DROP_OFF',
      tx_id: TX_ID,
      checkout_status: 'paid',
    });
    const shipments = h.sim.tiktok.shipments(orderId);
    expect(shipments).toEqual([
      expect.objectContaining({ package_id: 'pkg_e2e_1', handover_method: 'DROP_OFF' }),
    ]);
    expect(shipments[0]).not.toHaveProperty('tracking_number');
  });

  it('a seller-shipped order waits for its carrier tracking number, then ships with it', async () => {
    const orderId = h.sim.tiktok.addOrder({
      total_amount: '9.99',
      currency: 'USD',
      shipping_type: 'SELLER',
      package_ids: ['pkg_e2e_seller'],
    });
    const { link } = linkOf(
      await settleTikTokOrderViaAlgoVoi(
        await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' }),
        h.clients,
        { preferred_network: 'algorand_mainnet' },
      ),
    );
    await h.sim.algovoi.pay(link.token, { txId: TX_ID });
    await expect(
      shipTikTokOrderPaidViaAlgoVoi({ token: link.token, order_id: orderId }, h.clients),
    ).resolves.toEqual({
      outcome: 'awaiting-seller-shipment',
      order_id: orderId,
      package_id: 'pkg_e2e_seller',
      tx_id: TX_ID,
      checkout_status: 'paid',
    });
    expect(h.sim.tiktok.shipments(orderId)).toEqual([]);

    // The parcel went out with USPS: its tracking number, under the provider id TikTok listed.
    const self_shipment = { shipping_provider_id: USPS, tracking_number: '9400100000000000000001' };
    await expect(
      shipTikTokOrderPaidViaAlgoVoi({ token: link.token, order_id: orderId }, h.clients, { self_shipment }),
    ).resolves.toMatchObject({ outcome: 'shipped', shipping: 'seller', ...self_shipment, tx_id: TX_ID });
    expect(h.sim.tiktok.shipments(orderId)).toEqual([expect.objectContaining(self_shipment)]);
  });

  it('never posts the transaction id as a tracking number — TikTok would answer 11028006', async () => {
    const orderId = h.sim.tiktok.addOrder({
      total_amount: '9.99',
      currency: 'USD',
      shipping_type: 'SELLER',
      package_ids: ['pkg_e2e_txid'],
    });
    const { link } = linkOf(
      await settleTikTokOrderViaAlgoVoi(
        await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' }),
        h.clients,
        { preferred_network: 'algorand_mainnet' },
      ),
    );
    await h.sim.algovoi.pay(link.token, { txId: TX_ID });
    const flow = await shipTikTokOrderPaidViaAlgoVoi({ token: link.token, order_id: orderId }, h.clients, {
      self_shipment: { shipping_provider_id: USPS, tracking_number: TX_ID },
    }).catch((e: unknown) => e);
    expect(flow).toBeInstanceOf(TtpayError);
    expect(flow).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('11028006') });
    // What the seed's design would have met: the platform refuses it.
    await expect(
      h.clients.tiktok.shipPackage('pkg_e2e_txid', {
        self_shipment: { shipping_provider_id: USPS, tracking_number: TX_ID },
      }),
    ).rejects.toMatchObject({ code: 'PLATFORM_ERROR', platformCode: 11028006 });
    // …and a carrier the order's delivery option does not list is refused before anything is sent.
    await expect(
      shipTikTokOrderPaidViaAlgoVoi({ token: link.token, order_id: orderId }, h.clients, {
        self_shipment: {
          shipping_provider_id: 'not_a_listed_provider',
          tracking_number: '1Z999AA10123456784',
        },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(h.sim.tiktok.shipments(orderId)).toEqual([]);
  });

  it('a paid order that TikTok cancelled meanwhile is not shipped', async () => {
    const orderId = h.sim.tiktok.addOrder({
      total_amount: '5.00',
      currency: 'USD',
      package_ids: ['pkg_e2e_c'],
    });
    const { link } = linkOf(
      await settleTikTokOrderViaAlgoVoi(
        await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' }),
        h.clients,
        { preferred_network: 'algorand_mainnet' },
      ),
    );
    await h.sim.algovoi.pay(link.token, { txId: TX_ID });
    await tiktokWebhook(1, { order_id: orderId, order_status: 'CANCEL' });
    await expect(
      shipTikTokOrderPaidViaAlgoVoi({ token: link.token, order_id: orderId }, h.clients),
    ).resolves.toMatchObject({ outcome: 'order-cancelled', order_status: 'CANCELLED', tx_id: TX_ID });
    expect(h.sim.tiktok.shipments(orderId)).toEqual([]);
  });

  it('a lost create answer is link-outcome-unknown, with the one link the gateway made', async () => {
    const orderId = h.sim.tiktok.addOrder({ total_amount: '7.00', currency: 'USD' });
    const event = await tiktokWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' });
    const before = h.received('/v1/payment-links');
    const remove = h.sim.fault({ platform: 'algovoi', path: '/v1/payment-links', dropAnswer: true });
    try {
      await expect(
        settleTikTokOrderViaAlgoVoi(event, h.clients, { preferred_network: 'algorand_mainnet' }),
      ).resolves.toMatchObject({
        outcome: 'link-outcome-unknown',
        order_id: orderId,
        label: `TikTok Shop order ${orderId}`,
      });
    } finally {
      remove();
    }
    expect(h.received('/v1/payment-links') - before).toBe(1);
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
    // The webhook spells it CANCEL (docs/PROTOCOLS.md §5.4); the Order API answers CANCELLED.
    await tiktokWebhook(1, { order_id: orderId, order_status: 'CANCEL' });
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
      shipTikTokOrderPaidViaAlgoVoi({ token: link.token, order_id: orderId }, h.clients),
    ).resolves.toMatchObject({ outcome: 'shipped', package_id: 'pkg_e2e_5', tx_id: 'HEDERA_TX' });
  });
});
