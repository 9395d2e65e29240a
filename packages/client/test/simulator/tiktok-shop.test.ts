import { TikTokShopClient, TtpayApiError } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatorHarness, startHarness } from '../helpers/simulator.js';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.sim.clearFaults());

const d = demoCredentials.tiktok;
const tiktokWith = (patch: Partial<ConstructorParameters<typeof TikTokShopClient>[0]>) =>
  new TikTokShopClient({
    appKey: d.appKey,
    appSecret: d.appSecret,
    accessToken: d.accessToken,
    shopCipher: d.shopCipher,
    transport: unsafeLoopbackTransportForTests({ baseUrl: h.sim.url }),
    ...patch,
  });

describe('TikTok Shop against the simulator', () => {
  it('getOrders returns the amount the webhook never carries', async () => {
    const id = h.sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD', package_ids: ['pkg_1001'] });
    const { orders } = await h.clients.tiktok.getOrders([id]);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      id,
      payment: { total_amount: '12.34', currency: 'USD' },
      packages: [{ id: 'pkg_1001' }],
    });
  });

  it('a seller-shipped order: shipping providers, mark as shipped, ship, update — with carrier tracking numbers', async () => {
    const { tiktok } = h.clients;
    const id = h.sim.tiktok.addOrder({
      total_amount: '5.00',
      currency: 'GBP',
      shipping_type: 'SELLER',
      package_ids: ['pkg_2001', 'pkg_2002'],
    });
    const [order] = (await tiktok.getOrders([id])).orders;
    expect(order).toMatchObject({ shipping_type: 'SELLER', delivery_option_id: expect.any(String) });
    const { shipping_providers } = await tiktok.getShippingProviders(order!.delivery_option_id!);
    const usps = shipping_providers.find((p) => p.name === 'USPS')!;
    const ups = shipping_providers.find((p) => p.name === 'UPS')!;

    const marked = await tiktok.markPackageAsShipped(id, {
      tracking_number: '9400100000000000000002',
      shipping_provider_id: usps.id,
    });
    expect(marked).toMatchObject({ order_id: id, package_id: 'pkg_2001' });
    await tiktok.shipPackage('pkg_2002', {
      self_shipment: { tracking_number: '1Z999AA10123456784', shipping_provider_id: ups.id },
    });
    await tiktok.updateShippingInfo(id, {
      tracking_number: '9400100000000000000003',
      shipping_provider_id: usps.id,
    });
    expect(h.sim.tiktok.shipments(id).map((s) => s.tracking_number)).toEqual([
      '9400100000000000000002',
      '1Z999AA10123456784',
      '9400100000000000000003',
    ]);
    // A tracking number of another carrier than the one named: TikTok's 21011022.
    await expect(
      tiktok.updateShippingInfo(id, { tracking_number: '1Z999AA10123456784', shipping_provider_id: usps.id }),
    ).rejects.toMatchObject({ platformCode: 21011022 });
  });

  it('a TikTok-shipped order ships with a handover method, and has no providers to list', async () => {
    const { tiktok } = h.clients;
    const id = h.sim.tiktok.addOrder({ total_amount: '5.00', currency: 'GBP', package_ids: ['pkg_3101'] });
    const [order] = (await tiktok.getOrders([id])).orders;
    expect(order?.shipping_type).toBe('TIKTOK');
    await expect(tiktok.getShippingProviders(order!.delivery_option_id!)).rejects.toMatchObject({
      platformCode: 21008117,
    });
    await tiktok.shipPackage('pkg_3101', { handover_method: 'PICKUP' });
    expect(h.sim.tiktok.shipments(id)).toEqual([
      expect.objectContaining({ package_id: 'pkg_3101', handover_method: 'PICKUP' }),
    ]);
    await expect(tiktok.shipPackage('pkg_3101', { handover_method: 'PICKUP' })).rejects.toMatchObject({
      platformCode: 21011040,
    });
  });

  it('token get and refresh on the auth host', async () => {
    const { tiktok } = h.clients;
    const got = await tiktok.getAccessToken('auth_code_from_redirect');
    expect(got.access_token).toMatch(/.+/);
    expect(got.refresh_token).toMatch(/.+/);
    const refreshed = await tiktok.refreshAccessToken(got.refresh_token as string);
    expect(refreshed.access_token).toMatch(/.+/);
  });
});

describe('platform errors', () => {
  it('a wrong app secret is code 106001 with a request_id', async () => {
    const error = await tiktokWith({ appSecret: 'wrong-secret' })
      .getOrders(['1'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TtpayApiError);
    expect(error).toMatchObject({ platformCode: 106001, status: 200 });
    expect((error as TtpayApiError).requestId).toMatch(/.+/);
    expect(JSON.stringify(error)).not.toContain('wrong-secret');
  });

  it('a clock 10 minutes behind is code 36009004', async () => {
    await expect(tiktokWith({ now: () => Date.now() - 600_000 }).getOrders(['1'])).rejects.toMatchObject({
      platformCode: 36009004,
    });
  });

  it('an unknown access token is refused', async () => {
    await expect(
      h.clients.tiktok.getOrders(['1'], { accessToken: 'TTP_not_a_token' }),
    ).rejects.toBeInstanceOf(TtpayApiError);
  });
});

describe('retries', () => {
  it('getOrders is retried after a 503: two requests', async () => {
    const id = h.sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    const path = '/order/202309/orders';
    const before = h.received(path);
    h.sim.fault({ platform: 'tiktok', path, status: 503, times: 1 });
    await expect(h.clients.tiktok.getOrders([id])).resolves.toBeDefined();
    expect(h.received(path) - before).toBe(2);
  });

  it('shipPackage is not retried after a 503: one request', async () => {
    h.sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD', package_ids: ['pkg_3001'] });
    const path = '/fulfillment/202309/packages/pkg_3001/ship';
    const before = h.received(path);
    h.sim.fault({ platform: 'tiktok', path, status: 503, times: 1 });
    await expect(
      h.clients.tiktok.shipPackage('pkg_3001', {
        self_shipment: { tracking_number: 't', shipping_provider_id: 'p' },
      }),
    ).rejects.toMatchObject({ code: 'HTTP_STATUS', status: 503 });
    expect(h.received(path) - before).toBe(1);
  });

  it('a slow platform times out', async () => {
    h.sim.fault({ platform: 'tiktok', delayMs: 1000, times: 5 });
    await expect(
      h.with({ timeoutMs: 100, retry: { limit: 0 } }).tiktok.getOrders(['1']),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });
});
