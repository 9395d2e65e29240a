import { demoCredentials } from '@ttpay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { TIKTOK_CODE } from '../src/simulator/tiktok-codes.js';
import { tiktokCall } from './simulator-test-helpers.js';

const { tiktok } = demoCredentials;
let sim: Simulator;
let orderId: string;

beforeEach(async () => {
  sim = await startSimulator();
  orderId = sim.tiktok.addOrder({
    id: '576461413038785752',
    total_amount: '12.34',
    currency: 'USD',
    // The seller ships with its own carrier: self_shipment with that carrier's tracking number.
    shipping_type: 'SELLER',
    package_ids: ['pkg_1'],
  });
});
afterEach(async () => {
  await sim.close();
});

const ORDERS = '/order/202309/orders';
const SHIP = '/fulfillment/202309/packages/pkg_1/ship';
// The exact bytes a client sends, with spacing JSON.stringify would not produce.
const SHIP_BODY =
  '{"self_shipment": {"tracking_number": "9400100000000000000007", "shipping_provider_id": "7117858858072016686"}}';

describe('the simulated TikTok Shop Open API serves correctly signed calls', () => {
  it('GET orders answers code 0 with id, status, payment{total_amount (string), currency} and packages', async () => {
    const res = await tiktokCall(sim, ORDERS, { query: { ids: `${orderId},unknown_1` } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: 0, request_id: expect.any(String) });
    const orders = (res.json.data as { orders: unknown[] }).orders;
    expect(orders).toEqual([
      expect.objectContaining({
        id: orderId,
        status: 'AWAITING_SHIPMENT',
        payment: expect.objectContaining({ total_amount: '12.34', currency: 'USD' }),
        packages: [{ id: 'pkg_1' }],
      }),
    ]);
  });

  it('POST ship signed over the exact body bytes records the shipment and moves the order IN_TRANSIT', async () => {
    const res = await tiktokCall(sim, SHIP, { body: SHIP_BODY });
    expect(res.json).toMatchObject({ code: 0 });
    expect(sim.tiktok.shipments(orderId)).toEqual([
      expect.objectContaining({
        action: 'ship_package',
        package_id: 'pkg_1',
        tracking_number: '9400100000000000000007',
        shipping_provider_id: '7117858858072016686',
      }),
    ]);
    expect(sim.tiktok.order(orderId)).toMatchObject({ status: 'IN_TRANSIT' });

    const again = await tiktokCall(sim, SHIP, { body: SHIP_BODY });
    expect(again.json).toMatchObject({
      code: TIKTOK_CODE.PACKAGE_ALREADY_SHIPPED,
      message: expect.stringContaining('already been shipped'),
    });

    const update = await tiktokCall(sim, `/fulfillment/202309/orders/${orderId}/shipping_info/update`, {
      body: JSON.stringify({
        tracking_number: '9400100000000000000008',
        shipping_provider_id: '7117858858072016686',
      }),
    });
    expect(update.json.code).toBe(0);
    expect(sim.tiktok.shipments(orderId).map((s) => s.tracking_number)).toEqual([
      '9400100000000000000007',
      '9400100000000000000008',
    ]);
  });

  it('refreshes the access token at /api/v2/token/refresh; the new token works, unsigned token calls answer "success"', async () => {
    const get = await fetch(
      `${sim.url}/api/v2/token/get?${new URLSearchParams({ app_key: tiktok.appKey, app_secret: tiktok.appSecret, auth_code: 'code_1', grant_type: 'authorized_code' })}`,
    );
    expect(await get.json()).toMatchObject({
      code: 0,
      message: 'success',
      data: {
        access_token: tiktok.accessToken,
        refresh_token: tiktok.refreshToken,
        open_id: expect.any(String),
      },
    });

    const refreshed = (await (
      await fetch(
        `${sim.url}/api/v2/token/refresh?${new URLSearchParams({ app_key: tiktok.appKey, app_secret: tiktok.appSecret, refresh_token: tiktok.refreshToken, grant_type: 'refresh_token' })}`,
      )
    ).json()) as { code: number; data: { access_token: string; access_token_expire_in: number } };
    expect(refreshed.code).toBe(0);
    expect(refreshed.data.access_token).not.toBe(tiktok.accessToken);
    expect(refreshed.data.access_token_expire_in).toBeGreaterThan(Date.now() / 1000);
    const withNew = await tiktokCall(sim, ORDERS, {
      query: { ids: orderId },
      accessToken: refreshed.data.access_token,
    });
    expect(withNew.json.code).toBe(0);

    const badSecret = await fetch(
      `${sim.url}/api/v2/token/get?${new URLSearchParams({ app_key: tiktok.appKey, app_secret: 'nope', auth_code: 'c', grant_type: 'authorized_code' })}`,
    );
    expect(((await badSecret.json()) as { code: number }).code).toBe(TIKTOK_CODE.INVALID_GRANT);
  });
});

describe('the simulated TikTok Shop Open API rejects what TikTok rejects, always with HTTP 200', () => {
  it('a sign made with another secret → 106001', async () => {
    const res = await tiktokCall(sim, ORDERS, { query: { ids: orderId }, appSecret: 'not_the_secret' });
    expect(res).toMatchObject({ status: 200, json: { code: 106001 } });
  });

  it('a body signed as re-serialised JSON but sent as typed → 106001, and nothing is shipped', async () => {
    const res = await tiktokCall(sim, SHIP, {
      body: SHIP_BODY,
      signedBody: JSON.stringify(JSON.parse(SHIP_BODY)),
    });
    expect(res.json.code).toBe(106001);
    expect(sim.tiktok.shipments(orderId)).toEqual([]);
  });

  it('a timestamp older than 5 minutes, or more than 30 s ahead → 36009004; inside the window is fine', async () => {
    const now = Math.floor(Date.now() / 1000);
    const call = (timestamp: number) => tiktokCall(sim, ORDERS, { query: { ids: orderId }, timestamp });
    expect((await call(now - 301)).json.code).toBe(36009004);
    expect((await call(now + 45)).json.code).toBe(36009004);
    expect((await call(now - 240)).json.code).toBe(0);
    expect((await call(now + 10)).json.code).toBe(0);
  });

  it('a wrong x-tts-access-token, a missing shop_cipher, and a wrong app_key', async () => {
    expect(
      (await tiktokCall(sim, ORDERS, { query: { ids: orderId }, accessToken: 'TTP_forged' })).json.code,
    ).toBe(36009004);
    expect((await tiktokCall(sim, ORDERS, { query: { ids: orderId }, noShopCipher: true })).json.code).toBe(
      106013,
    );
    expect(
      (await tiktokCall(sim, ORDERS, { query: { ids: orderId, shop_cipher: 'GCP_another_shop' } })).json.code,
    ).toBe(101000);
    expect(
      (await tiktokCall(sim, ORDERS, { query: { ids: orderId, app_key: 'someone_else' } })).json.code,
    ).toBe(36009004);
  });

  it('a tracking number no carrier issues → 11028006 (an on-chain transaction id, say), another carrier’s → 21011022', async () => {
    const txId = await tiktokCall(sim, SHIP, {
      body: JSON.stringify({
        self_shipment: {
          tracking_number: 'ALGO7XTXIDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          shipping_provider_id: '7117858858072016686',
        },
      }),
    });
    expect(txId.json).toMatchObject({ code: 11028006, message: expect.stringContaining('any carrier') });
    const ups = await tiktokCall(sim, SHIP, {
      body: JSON.stringify({
        self_shipment: { tracking_number: '1Z999AA10123456784', shipping_provider_id: '7117858858072016686' },
      }),
    });
    expect(ups.json.code).toBe(21011022);
    expect(sim.tiktok.shipments(orderId)).toEqual([]);
  });

  it('a cancelled order cannot ship → 21011041', async () => {
    // The webhook spells it CANCEL; the simulated Order API now answers CANCELLED. (The delivery itself goes
    // nowhere and is abandoned when the simulator closes.)
    void sim.tiktok
      .sendWebhook(1, { order_id: orderId, order_status: 'CANCEL' }, { url: 'http://127.0.0.1:9/' })
      .catch(() => undefined);
    expect(sim.tiktok.order(orderId)).toMatchObject({ status: 'CANCELLED' });
    expect((await tiktokCall(sim, SHIP, { body: SHIP_BODY })).json.code).toBe(21011041);
  });

  it('a self_shipment without a tracking number, and an unknown package', async () => {
    const missing = await tiktokCall(sim, SHIP, { body: '{"self_shipment":{"shipping_provider_id":"1"}}' });
    expect(missing.json).toMatchObject({
      code: TIKTOK_CODE.FULFILLMENT_INVALID_PARAMS,
      message: expect.stringContaining('tracking_number'),
    });
    const unknown = await tiktokCall(sim, '/fulfillment/202309/packages/pkg_404/ship', { body: SHIP_BODY });
    expect(unknown.json.code).toBe(TIKTOK_CODE.PACKAGE_NOT_FOUND);
  });
});
