import { TikTokShopClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHarness, startHarness } from '../helpers/simulator.js';

/**
 * The TikTok order's life after its first webhook, client against the simulator (docs/PROTOCOLS.md §3.5–3.8):
 * tokens that expire and are refreshed, the shop cipher from Get Authorized Shops, a backfill that finds
 * what missed webhooks would have said, and the seller's answer to a cancellation request.
 */
let h: SimulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const d = demoCredentials.tiktok;
const transport = () => unsafeLoopbackTransportForTests({ baseUrl: h.sim.url });

describe('a managed token', () => {
  // Its own simulator: expiring every token there must not touch the other tests.
  let own: SimulatorHarness;
  beforeAll(async () => {
    own = await startHarness();
  });
  afterAll(() => own.close());

  it('expired under the client (105002): refreshed at the auth host, the call sent again, the grant handed over', async () => {
    const h = own;
    const grants: TikTokShopClient.Token[] = [];
    const tiktok = new TikTokShopClient({
      appKey: d.appKey,
      appSecret: d.appSecret,
      shopCipher: d.shopCipher,
      token: { access_token: d.accessToken, refresh_token: d.refreshToken },
      onTokenRefresh: (grant) => {
        grants.push(grant);
      },
      transport: unsafeLoopbackTransportForTests({ baseUrl: h.sim.url }),
    });
    const id = h.sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    await tiktok.getOrders([id]);
    expect(grants).toEqual([]);

    h.sim.tiktok.expireAccessTokens();
    const before = h.received('/api/v2/token/refresh');
    const { orders } = await tiktok.getOrders([id]);
    expect(orders[0]?.id).toBe(id);
    expect(h.received('/api/v2/token/refresh') - before).toBe(1);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({
      access_token: expect.stringMatching(/^TTP_/),
      refresh_token: d.refreshToken,
    });
    expect(grants[0]?.access_token).not.toBe(d.accessToken);
    expect(tiktok.currentToken()?.access_token).toBe(grants[0]?.access_token);
    // Seven days ahead, as the platform grants.
    expect(grants[0]?.access_token_expire_in).toBeGreaterThan(Date.now() / 1000 + 6 * 86_400);
  });

  it('refreshToken() refreshes on demand (the type-7 webhook), and the new token works', async () => {
    const h = own;
    const tiktok = new TikTokShopClient({
      appKey: d.appKey,
      appSecret: d.appSecret,
      shopCipher: d.shopCipher,
      token: { access_token: d.accessToken, refresh_token: d.refreshToken },
      transport: unsafeLoopbackTransportForTests({ baseUrl: h.sim.url }),
    });
    const grant = await tiktok.refreshToken();
    expect(grant.access_token).not.toBe(d.accessToken);
    const id = h.sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    await expect(tiktok.getOrders([id])).resolves.toMatchObject({ orders: [{ id }] });
  });
});

describe('the shop cipher from Get Authorized Shops', () => {
  it('with shopId and no shopCipher, the client asks once and uses the cipher the platform gives', async () => {
    const tiktok = new TikTokShopClient({
      appKey: d.appKey,
      appSecret: d.appSecret,
      accessToken: d.accessToken,
      shopId: d.shopId,
      transport: transport(),
    });
    const before = h.received('/authorization/202309/shops');
    const id = h.sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    await tiktok.getOrders([id]);
    await tiktok.getOrders([id]);
    expect(h.received('/authorization/202309/shops') - before).toBe(1);
    const { shops } = await tiktok.getAuthorizedShops();
    expect(shops).toEqual([expect.objectContaining({ id: d.shopId, cipher: d.shopCipher })]);
  });

  it('a shopId the token does not cover is a clear error', async () => {
    const tiktok = new TikTokShopClient({
      appKey: d.appKey,
      appSecret: d.appSecret,
      accessToken: d.accessToken,
      shopId: 'not-this-shop',
      transport: transport(),
    });
    await expect(tiktok.getOrders(['1'])).rejects.toThrow(/does not list shop not-this-shop/);
  });
});

describe('backfill by update time', () => {
  it('finds the orders paid at TikTok’s checkout whose webhooks never arrived, across pages', async () => {
    const since = Math.floor(Date.now() / 1000);
    const ids = [0, 1, 2].map(() =>
      h.sim.tiktok.addOrder({ total_amount: '9.00', currency: 'USD', status: 'UNPAID' }),
    );
    for (const id of ids)
      expect(await h.sim.tiktok.pay(id, { loseWebhook: true })).toMatchObject({ attempts: 0 });
    const found: string[] = [];
    for await (const order of h.clients.tiktok.searchAllOrders(
      { update_time_ge: since - 1, update_time_lt: since + 60, order_status: 'AWAITING_SHIPMENT' },
      { page_size: 2 },
    )) {
      found.push(order.id);
      expect(order).toMatchObject({ status: 'AWAITING_SHIPMENT', paid_time: expect.any(Number) });
    }
    expect(found).toEqual(expect.arrayContaining(ids));
    expect(h.received('/order/202309/orders/search')).toBeGreaterThanOrEqual(2);
  });
});

describe("the seller's answer to a cancellation request", () => {
  it('approve: the order is cancelled; a second approval with the same key is the same answer', async () => {
    const id = h.sim.tiktok.addOrder({ total_amount: '2.00', currency: 'USD' });
    const { cancel_id } = await h.sim.tiktok.requestCancellation(id);
    const { cancellations } = await h.clients.tiktok.searchCancellations(
      { order_ids: [id], cancel_status: ['CANCELLATION_REQUEST_PENDING'] },
      { page_size: 10 },
    );
    expect(cancellations.map((c) => c.cancel_id)).toEqual([cancel_id]);
    const key = { idempotencyKey: `approve-${cancel_id}` };
    await h.clients.tiktok.approveCancellation(cancel_id, key);
    await h.clients.tiktok.approveCancellation(cancel_id, key);
    expect(h.sim.tiktok.order(id)).toMatchObject({ status: 'CANCELLED' });
    await expect(h.clients.tiktok.approveCancellation(cancel_id)).rejects.toMatchObject({
      platformCode: 25011012,
    });
  });

  it('reject: the order stays AWAITING_SHIPMENT and then ships with TikTok shipping, handover_method left out', async () => {
    const id = h.sim.tiktok.addOrder({ total_amount: '2.00', currency: 'USD', package_ids: ['pkg_life_1'] });
    const { cancel_id } = await h.sim.tiktok.requestCancellation(id);
    await h.clients.tiktok.rejectCancellation(cancel_id, {
      reject_reason: 'seller_reject_apply_product_has_been_packed',
    });
    expect(h.sim.tiktok.order(id)).toMatchObject({
      status: 'AWAITING_SHIPMENT',
      is_buyer_request_cancel: false,
    });
    await h.clients.tiktok.shipPackage('pkg_life_1', {});
    expect(h.sim.tiktok.order(id)).toMatchObject({ status: 'AWAITING_COLLECTION' });
  });
});
