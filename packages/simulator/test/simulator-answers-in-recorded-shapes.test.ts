import { randomBytes } from 'node:crypto';
import { buildByteAuthorization } from '@ttpay/core';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials, tikTokData } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shape, shapeDifferences } from '../../../test/platform-shapes/load.js';
import { type Simulator, startSimulator } from '../src/index.js';
import { ecpayCall, postJson, type Receiver, startReceiver, tiktokCall } from './simulator-test-helpers.js';

/**
 * The simulator against the platforms' RECORDED shapes (test/platform-shapes, each with its source): its
 * answers must have the recorded keys and value types — no missing field, no invented one — and it must
 * accept the recorded requests. The client's own test decodes the same records.
 */
const { douyin } = demoCredentials;
let sim: Simulator;
let receiver: Receiver;
let token: string;

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startSimulator({
    timeScale: 0.0001,
    douyin: { notifyUrl: receiver.url },
    tiktok: { webhookUrl: receiver.url },
  });
  const grant = await postJson(`${sim.url}/oauth/client_token/`, {
    client_key: douyin.appId,
    client_secret: DEMO_DOUYIN_APP_SECRET,
    grant_type: 'client_credential',
  });
  expect(shapeDifferences(shape('douyin-trade', 'client_token.answer'), grant.json)).toEqual([]);
  token = (grant.json.data as { access_token: string }).access_token;
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

const developer = (name: string, body: unknown, accessToken = token) =>
  postJson(`${sim.url}/api/trade_basic/v1/developer/${name}/`, body, { 'access-token': accessToken });

/** A paid trade-system order, as tt.requestOrder and the buyer make it. */
async function paidTradeOrder(outOrderNo: string): Promise<{ order_id: string; item_order_id: string }> {
  const data = JSON.stringify({
    skuList: [{ skuId: 'sku_1001', price: 1990, quantity: 1, title: 'Tea', imageList: [], type: 401 }],
    outOrderNo,
    totalAmount: 1990,
    merchantUid: douyin.merchantUid,
    orderEntrySchema: { path: 'pages/order/detail', params: JSON.stringify({ outOrderNo }) },
  });
  const byteAuthorization = buildByteAuthorization(
    {
      method: 'POST',
      uri: '/requestOrder',
      timestamp: Math.floor(Date.now() / 1000),
      nonce: randomBytes(8).toString('hex'),
      body: data,
      appId: douyin.appId,
      keyVersion: douyin.keyVersion,
    },
    douyin.appPrivateKey,
  );
  const created = await postJson(`${sim.url}/requestOrder`, { data, byteAuthorization });
  expect(created.json.err_no).toBe(0);
  await sim.douyin.pay(outOrderNo);
  const order = (await developer('order_query', { out_order_no: outOrderNo })).json.data as {
    order_id: string;
    item_order_list: { item_order_id: string }[];
  };
  return { order_id: order.order_id, item_order_id: order.item_order_list[0]!.item_order_id };
}

/** A recorded request with its `<placeholders>` filled in. */
function recordedRequest(name: string, values: Record<string, string>): Record<string, unknown> {
  let text = JSON.stringify(shape('douyin-trade', name).body);
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`<${key}>`, value);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('the simulated trade system answers in the recorded shapes', () => {
  it('order_query', async () => {
    await paidTradeOrder('shape_order_1');
    const res = await developer('order_query', { out_order_no: 'shape_order_1' });
    expect(shapeDifferences(shape('douyin-trade', 'order_query.answer'), res.json)).toEqual([]);
    expect((res.json.data as { pay_time: number }).pay_time).toBeGreaterThan(1e12);
    // No CPS orders in the simulator: query_cps answers the recorded shape with no commission.
    const cps = await developer('query_cps', { out_order_no: 'shape_order_1' });
    expect(shapeDifferences(shape('douyin-trade', 'query_cps.answer'), cps.json)).toEqual([]);
    expect(cps.json.data).toMatchObject({ total_commission_amount: 0, cps_item_list: [] });
  });

  it('refund_create accepts the recorded request; refund_create and refund_query answer as recorded', async () => {
    const order = await paidTradeOrder('shape_order_2');
    const created = await developer('refund_create', recordedRequest('refund_create.request', order));
    expect(created.json.err_no).toBe(0);
    expect(shapeDifferences(shape('douyin-trade', 'refund_create.answer'), created.json)).toEqual([]);
    await sim.douyin.completeRefund('shop_refund_1001');
    const queried = await developer('refund_query', { out_refund_no: 'shop_refund_1001' });
    expect(shapeDifferences(shape('douyin-trade', 'refund_query.answer'), queried.json)).toEqual([]);
  });

  it('settle_create accepts the recorded request (ext, settle_params string); settle_query answers an array', async () => {
    await paidTradeOrder('shape_order_3');
    const created = await developer(
      'settle_create',
      recordedRequest('settle_create.request', { out_order_no: 'shape_order_3' }),
    );
    expect(created.json.err_no).toBe(0);
    expect(shapeDifferences(shape('douyin-trade', 'settle_create.answer'), created.json)).toEqual([]);
    await sim.douyin.completeSettle('shop_settle_1001');
    const queried = await developer('settle_query', { out_settle_no: 'shop_settle_1001' });
    expect(shapeDifferences(shape('douyin-trade', 'settle_query.answer'), queried.json)).toEqual([]);
    expect(queried.json.data).toEqual([expect.objectContaining({ cp_extra: 'settlement of order 1001' })]);
    const nothing = await developer('settle_query', { settle_id: 'mots_unknown' });
    expect(shapeDifferences(shape('douyin-trade', 'settle_query.empty'), nothing.json)).toEqual([]);
    expect(nothing.json.data).toEqual([]);
  });

  it('a refused token answers in the recorded envelope', async () => {
    const res = await developer('order_query', { out_order_no: 'x' }, 'clt.not_issued');
    expect(shapeDifferences(shape('douyin-trade', 'token.expired'), res.json)).toEqual([]);
    expect(res.json.err_no).toBe(28001003);
  });

  it('ecpay query_order answers way as a number (0 before payment), as recorded', async () => {
    const order = { total_amount: 100, subject: 'Tea', body: 'Tea', valid_time: 900 };
    await ecpayCall(sim, 'create_order', {
      ...order,
      out_order_no: 'shape_ecpay_1',
      notify_url: receiver.url,
    });
    const unpaid = await ecpayCall(sim, 'query_order', { out_order_no: 'shape_ecpay_1' });
    expect((unpaid.json.payment_info as { way: unknown }).way).toBe(0);
    await sim.douyin.pay('shape_ecpay_1');
    const paid = await ecpayCall(sim, 'query_order', { out_order_no: 'shape_ecpay_1' });
    expect(shapeDifferences(shape('douyin-ecpay', 'query_order.answer'), paid.json)).toEqual([]);
    expect((paid.json.payment_info as { way: unknown }).way).toBe(10);
  });

  it('ecpay create_order accepts the recorded expand_order_info string', async () => {
    const res = await ecpayCall(sim, 'create_order', {
      out_order_no: 'shape_ecpay_2',
      total_amount: 100,
      subject: 'Tea',
      body: 'Tea',
      valid_time: 900,
      ...shape('douyin-ecpay', 'create_order.request.expand_order_info').body,
    });
    expect(res.json.err_no).toBe(0);
  });

  it('ecpay query_refund and query_settle answer refundInfo and settle_info as recorded', async () => {
    await ecpayCall(sim, 'create_order', {
      out_order_no: 'shape_ecpay_3',
      total_amount: 9900,
      subject: 'Tea',
      body: 'Tea',
      valid_time: 900,
    });
    await sim.douyin.pay('shape_ecpay_3');
    await ecpayCall(sim, 'create_refund', {
      out_order_no: 'shape_ecpay_3',
      out_refund_no: 'shape_refund_3',
      reason: 'x',
      refund_amount: 100,
    });
    await sim.douyin.completeRefund('shape_refund_3');
    const refund = await ecpayCall(sim, 'query_refund', { out_refund_no: 'shape_refund_3' });
    expect(shapeDifferences(shape('douyin-ecpay', 'query_refund.answer'), refund.json)).toEqual([]);
    await ecpayCall(sim, 'settle', {
      out_order_no: 'shape_ecpay_3',
      out_settle_no: 'shape_settle_3',
      settle_desc: 'x',
    });
    await sim.douyin.completeSettle('shape_settle_3');
    const settled = await ecpayCall(sim, 'query_settle', { out_settle_no: 'shape_settle_3' });
    expect(shapeDifferences(shape('douyin-ecpay', 'query_settle.answer'), settled.json)).toEqual([]);
  });

  it('ecpay query_refund of an unknown refund is 3101, in the recorded envelope', async () => {
    const res = await ecpayCall(sim, 'query_refund', { out_refund_no: 'nope' });
    expect(shapeDifferences(shape('douyin-ecpay', 'query_refund.not_found'), res.json)).toEqual([]);
    expect(res.json.err_no).toBe(3101);
  });
});

describe('the simulated TikTok Shop answers in the recorded shapes', () => {
  let orderId: string;
  beforeAll(() => {
    orderId = sim.tiktok.addOrder({
      total_amount: '12.34',
      currency: 'USD',
      shipping_type: 'SELLER',
      package_ids: ['1152900000000000201', '1152900000000000202'],
    });
  });

  it('get order detail, with shipping_type and delivery_option_id', async () => {
    const res = await tiktokCall(sim, '/order/202309/orders', { query: { ids: orderId } });
    expect(shapeDifferences(shape('tiktok-api', 'get_order_detail.answer'), res.json)).toEqual([]);
  });

  it('get shipping providers', async () => {
    const res = await tiktokCall(
      sim,
      '/logistics/202309/delivery_options/7091146663229654785/shipping_providers',
    );
    expect(shapeDifferences(shape('tiktok-api', 'get_shipping_providers.answer'), res.json)).toEqual([]);
  });

  it('ship package refuses a transaction id (11028006), then ships with a carrier number', async () => {
    const path = '/fulfillment/202309/packages/1152900000000000201/ship';
    const refused = await tiktokCall(sim, path, {
      body: JSON.stringify({
        self_shipment: {
          tracking_number: 'ALGO7XTXIDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
          shipping_provider_id: '7117858858072016686',
        },
      }),
    });
    expect(
      shapeDifferences(shape('tiktok-api', 'ship_package.tracking_number_no_carrier'), refused.json),
    ).toEqual([]);
    expect(refused.json.code).toBe(11028006);
    const shipped = await tiktokCall(sim, path, {
      body: JSON.stringify({
        self_shipment: {
          tracking_number: '9400100000000000000201',
          shipping_provider_id: '7117858858072016686',
        },
      }),
    });
    expect(shapeDifferences(shape('tiktok-api', 'ship_package.answer'), shipped.json)).toEqual([]);
  });

  it('mark package as shipped', async () => {
    const res = await tiktokCall(sim, `/fulfillment/202309/orders/${orderId}/packages`, {
      body: JSON.stringify({
        tracking_number: '9400100000000000000202',
        shipping_provider_id: '7117858858072016686',
        order_line_item_ids: ['576400000000000299'],
      }),
    });
    expect(shapeDifferences(shape('tiktok-api', 'mark_package_as_shipped.answer'), res.json)).toEqual([]);
  });

  it('a stale timestamp', async () => {
    const res = await tiktokCall(sim, '/order/202309/orders', {
      query: { ids: orderId },
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(shapeDifferences(shape('tiktok-api', 'invalid_credentials.timestamp'), res.json)).toEqual([]);
  });
});

describe('the simulated TikTok Shop: the order life after the first webhook, in the recorded shapes', () => {
  it('Search Orders accepts the recorded filter, pages with next_page_token, ends with an empty one', async () => {
    const recorded = shape('tiktok-api', 'search_orders.request').body;
    const now = Math.floor(Date.now() / 1000);
    const ids = [0, 1, 2].map(() => sim.tiktok.addOrder({ total_amount: '2.00', currency: 'USD' }));
    const filter = JSON.stringify({ ...recorded, update_time_ge: now - 60, update_time_lt: now + 60 });
    const query = { page_size: '2', sort_field: 'update_time', sort_order: 'ASC' };
    const first = await tiktokCall(sim, '/order/202309/orders/search', { query, body: filter });
    expect(shapeDifferences(shape('tiktok-api', 'search_orders.answer'), first.json)).toEqual([]);
    const data = first.json.data as {
      orders: { id: string }[];
      next_page_token: string;
      total_count: number;
    };
    expect(data.orders).toHaveLength(2);
    expect(data.next_page_token).not.toBe('');
    const seen = data.orders.map((o) => o.id);
    let token = data.next_page_token;
    while (token !== '') {
      const next = await tiktokCall(sim, '/order/202309/orders/search', {
        query: { ...query, page_token: token },
        body: filter,
      });
      expect(shapeDifferences(shape('tiktok-api', 'search_orders.last_page'), next.json)).toEqual([]);
      const page = next.json.data as { orders: { id: string }[]; next_page_token: string };
      seen.push(...page.orders.map((o) => o.id));
      token = page.next_page_token;
    }
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(new Set(seen).size).toBe(data.total_count);
    // page_size is required (1-100).
    const noSize = await tiktokCall(sim, '/order/202309/orders/search', { body: filter });
    expect(noSize.json.code).not.toBe(0);
  });

  it('a TikTok-paid order: UNPAID has no paid_time; paying at the checkout sets it (no gateway involved)', async () => {
    const id = sim.tiktok.addOrder({ total_amount: '3.00', currency: 'USD', status: 'UNPAID' });
    expect(sim.tiktok.order(id)).not.toHaveProperty('paid_time');
    const delivery = await sim.tiktok.pay(id);
    expect(delivery.acknowledged).toBe(true);
    const res = await tiktokCall(sim, '/order/202309/orders', { query: { ids: id } });
    expect(shapeDifferences(shape('tiktok-api', 'get_order_detail.answer'), res.json)).toEqual([]);
    expect((res.json.data as { orders: Record<string, unknown>[] }).orders[0]).toMatchObject({
      status: 'AWAITING_SHIPMENT',
      paid_time: expect.any(Number),
    });
    expect(sim.log.filter((e) => e.platform === 'algovoi')).toEqual([]);
  });

  it('Get Authorized Shops answers as recorded, and refuses a shop_cipher (36009004)', async () => {
    const res = await tiktokCall(sim, '/authorization/202309/shops', { noShopCipher: true });
    expect(shapeDifferences(shape('tiktok-api', 'get_authorized_shops.answer'), res.json)).toEqual([]);
    expect((res.json.data as { shops: { cipher: string }[] }).shops[0]?.cipher).toBe(
      demoCredentials.tiktok.shopCipher,
    );
    const refused = await tiktokCall(sim, '/authorization/202309/shops');
    expect(shapeDifferences(shape('tiktok-api', 'unexpected_shop_cipher'), refused.json)).toEqual([]);
    expect(refused.json.code).toBe(36009004);
  });

  it('a cancellation request: searched pending, approved once (the key repeats it), then not again', async () => {
    const id = sim.tiktok.addOrder({ total_amount: '4.00', currency: 'USD' });
    const { cancel_id } = await sim.tiktok.requestCancellation(id);
    const body = JSON.parse(receiver.requests.at(-1)!.body.toString('utf8')) as Record<string, unknown>;
    expect(shapeDifferences(shape('tiktok-webhooks', 'type11.cancellation_status_change'), body)).toEqual([]);
    const found = await tiktokCall(sim, '/return_refund/202309/cancellations/search', {
      query: { page_size: '10' },
      body: JSON.stringify({ cancel_status: ['CANCELLATION_REQUEST_PENDING'], order_ids: [id] }),
    });
    expect(shapeDifferences(shape('tiktok-api', 'search_cancellations.answer'), found.json)).toEqual([]);
    const approve = (key: string) =>
      tiktokCall(sim, `/return_refund/202309/cancellations/${cancel_id}/approve`, {
        query: { idempotency_key: key },
        body: '{}',
      });
    const approved = await approve(`approve-${cancel_id}`);
    expect(shapeDifferences(shape('tiktok-api', 'approve_cancellation.answer'), approved.json)).toEqual([]);
    expect(sim.tiktok.order(id)).toMatchObject({ status: 'CANCELLED', is_buyer_request_cancel: false });
    expect((await approve(`approve-${cancel_id}`)).json.code).toBe(0);
    const again = await approve('another-key');
    expect(shapeDifferences(shape('tiktok-api', 'cancellation_not_pending'), again.json)).toEqual([]);
    expect(again.json.code).toBe(25011012);
  });

  it('rejecting a cancellation takes the recorded request; the order stays to ship', async () => {
    const id = sim.tiktok.addOrder({ total_amount: '5.00', currency: 'USD' });
    const { cancel_id } = await sim.tiktok.requestCancellation(id);
    const path = `/return_refund/202309/cancellations/${cancel_id}/reject`;
    expect((await tiktokCall(sim, path, { body: '{}' })).json.code).toBe(25001001);
    const res = await tiktokCall(sim, path, {
      body: JSON.stringify(shape('tiktok-api', 'reject_cancellation.request').body),
    });
    expect(shapeDifferences(shape('tiktok-api', 'reject_cancellation.answer'), res.json)).toEqual([]);
    expect(sim.tiktok.order(id)).toMatchObject({
      status: 'AWAITING_SHIPMENT',
      is_buyer_request_cancel: false,
    });
    expect(sim.tiktok.cancellation(cancel_id)).toMatchObject({
      reject_reason: 'seller_reject_apply_product_has_been_packed',
    });
  });

  it('a TikTok-shipped package ships with the recorded empty body (handover_method optional)', async () => {
    const id = sim.tiktok.addOrder({
      total_amount: '6.00',
      currency: 'USD',
      package_ids: ['pkg_empty_body'],
    });
    const res = await tiktokCall(sim, '/fulfillment/202309/packages/pkg_empty_body/ship', {
      body: JSON.stringify(shape('tiktok-api', 'ship_package.tiktok_shipping_request').body),
    });
    expect(shapeDifferences(shape('tiktok-api', 'ship_package.answer'), res.json)).toEqual([]);
    expect(sim.tiktok.shipments(id)).toEqual([expect.objectContaining({ package_id: 'pkg_empty_body' })]);
    expect(sim.tiktok.shipments(id)[0]).not.toHaveProperty('handover_method');
  });

  it('tokens: refreshed as recorded; an expired one is 105002, as recorded', async () => {
    const own = await startSimulator({ timeScale: 0.0001 });
    try {
      const { tiktok } = demoCredentials;
      const refresh = await fetch(
        `${own.url}/api/v2/token/refresh?${new URLSearchParams({ app_key: tiktok.appKey, app_secret: tiktok.appSecret, refresh_token: tiktok.refreshToken, grant_type: 'refresh_token' })}`,
      );
      const grant = (await refresh.json()) as Record<string, unknown>;
      expect(shapeDifferences(shape('tiktok-api', 'token_refresh.answer'), grant)).toEqual([]);
      own.tiktok.expireAccessTokens();
      const expired = await tiktokCall(own, '/order/202309/orders', { query: { ids: '1' } });
      expect(shapeDifferences(shape('tiktok-api', 'expired_token'), expired.json)).toEqual([]);
      expect(expired.json.code).toBe(105002);
    } finally {
      await own.close();
    }
  });
});

describe('the simulated AlgoVoi gateway answers in the recorded shapes', () => {
  it('payment link, /checkout/{token}/status before and after payment, and the payment.confirmed body', async () => {
    const auth = {
      authorization: `Bearer ${demoCredentials.algovoi.apiKey}`,
      'x-tenant-id': demoCredentials.algovoi.tenantId,
    };
    const created = await postJson(
      `${sim.url}/v1/payment-links`,
      { amount: 12.34, currency: 'USD', label: 'Invoice 77', preferred_network: 'algorand_mainnet' },
      auth,
    );
    expect(shapeDifferences(shape('algovoi', 'payment_link.answer'), created.json)).toEqual([]);
    const token = String(created.json.checkout_url).split('/').at(-1)!;
    const status = async () => (await fetch(`${sim.url}/checkout/${token}/status`)).json();
    expect(shapeDifferences(shape('algovoi', 'checkout_status.answer'), await status())).toEqual([]);
    const own = await startReceiver(() => ({ status: 200, body: '' }));
    try {
      await sim.algovoi.pay(token, { url: own.url });
      expect(shapeDifferences(shape('algovoi', 'checkout_status.answer'), await status())).toEqual([]);
      const body = JSON.parse(own.requests[0]!.body.toString('utf8')) as Record<string, unknown>;
      expect(shapeDifferences(shape('algovoi', 'webhook.payment_confirmed'), body)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

describe('fixtures and simulated webhooks carry the documented data shapes', () => {
  it.each([
    [4, 'type4.package_update'],
    [11, 'type11.cancellation_status_change'],
    [1, 'type1.order_status_change'],
    [7, 'type7.upcoming_authorization_expiration'],
  ] as const)('type %i', (type, name) => {
    const recorded = shape('tiktok-webhooks', name);
    const data = recorded.body.data as Record<string, unknown>;
    expect(shapeDifferences({ ...recorded, body: data }, tikTokData(type))).toEqual([]);
  });

  it('a type-1 webhook the simulator delivers is the recorded envelope, CANCEL spelled as documented', async () => {
    const id = sim.tiktok.addOrder({ total_amount: '1.00', currency: 'USD' });
    await sim.tiktok.sendWebhook(1, {
      order_id: id,
      order_status: 'CANCEL',
      is_on_hold_order: false,
      update_time: 1,
    });
    const body = JSON.parse(receiver.requests.at(-1)!.body.toString('utf8')) as Record<string, unknown>;
    expect(shapeDifferences(shape('tiktok-webhooks', 'type1.order_status_change'), body)).toEqual([]);
    expect(body.data).toMatchObject({ order_status: 'CANCEL' });
    expect(sim.tiktok.order(id)).toMatchObject({ status: 'CANCELLED' });
  });
});

describe('the shape comparison itself', () => {
  it('notices an object where a list belongs, a missing key, an invented key and another value type', () => {
    const recorded = shape('douyin-trade', 'settle_query.answer');
    const body = recorded.body as { data: Record<string, unknown>[] };
    const item = body.data[0]!;
    expect(shapeDifferences(recorded, { ...body, data: {} })).toEqual(['data: expected array, got object']);
    const { settle_id: _gone, ...withoutId } = item;
    expect(shapeDifferences(recorded, { ...body, data: [withoutId] })).toEqual(['data.settle_id: missing']);
    expect(shapeDifferences(recorded, { ...body, data: [{ ...item, invented: 1 }] })).toEqual([
      'data.invented: not in the recorded shape',
    ]);
    expect(shapeDifferences(recorded, { ...body, data: [{ ...item, settle_amount: '1878' }] })).toEqual([
      'data.settle_amount: expected number, got string',
    ]);
    // an optional key may be absent
    const { settle_at: _optional, ...withoutTime } = item;
    expect(shapeDifferences(recorded, { ...body, data: [withoutTime] })).toEqual([]);
  });
});
