import { TikTokShopClient, TtpayApiError } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RecordedShape, shape } from '../../../test/platform-shapes/load.js';
import { type CaptureServer, type Responder, startCaptureServer } from './helpers/capture-server.js';
import { testClients } from './helpers/clients.js';

/**
 * The clients against the platforms' RECORDED answers (test/platform-shapes, each with its source) — not
 * against the simulator, whose own test checks it against the same records.
 */
let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const answer =
  (recorded: RecordedShape): Responder =>
  (_req, res) => {
    res.writeHead(recorded.http ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(recorded.body));
  };

let tokens = 0;
/** The client-token endpoint answers the recorded grant (a new token each time); others in turn. */
function trade(...answers: RecordedShape[]): void {
  let next = 0;
  server.respond((req, res) => {
    if (req.url === '/oauth/stable_client_token/' || req.url === '/oauth/client_token/') {
      tokens++;
      const grant = structuredClone(shape('douyin-trade', 'client_token.answer'));
      (grant.body.data as Record<string, unknown>).access_token = `clt.recorded_${tokens}`;
      return answer(grant)(req, res);
    }
    const recorded = answers[Math.min(next++, answers.length - 1)] as RecordedShape;
    return answer(recorded)(req, res);
  });
}

const clients = () => testClients(server.url);
const apiCalls = () => server.requests.filter((r) => r.url.startsWith('/api/trade_basic/'));
const sentBody = (i = 0) => JSON.parse(apiCalls()[i]?.body ?? 'null') as Record<string, unknown>;
const data = (file: 'douyin-trade' | 'tiktok-api', name: string) => shape(file, name).body.data;

describe('the trade client decodes the recorded answers', () => {
  it('settle_query: data is an array, and an empty array stays an empty list (never {})', async () => {
    trade(shape('douyin-trade', 'settle_query.answer'), shape('douyin-trade', 'settle_query.empty'));
    const { trade: client } = clients();
    await expect(client.settleQuery({ out_settle_no: 'shop_settle_1001' })).resolves.toEqual(
      data('douyin-trade', 'settle_query.answer'),
    );
    await expect(client.settleQuery({ settle_id: 'nothing' })).resolves.toEqual([]);
    expect(sentBody(1)).toEqual({ settle_id: 'nothing' });
  });

  it('refund_query: answers data.refund_list[], times in milliseconds', async () => {
    trade(shape('douyin-trade', 'refund_query.answer'));
    const result = await clients().trade.refundQuery({ out_refund_no: 'shop_refund_1001' });
    expect(result.refund_list).toHaveLength(1);
    expect(result.refund_list[0]?.refund_total_amount).toBe(500);
    expect(result.refund_list[0]?.refund_at).toBeGreaterThan(1e12);
  });

  it('order_query: the typed data, with millisecond times', async () => {
    trade(shape('douyin-trade', 'order_query.answer'));
    const order = await clients().trade.orderQuery({ out_order_no: 'shop_order_1001' });
    expect(order).toEqual(data('douyin-trade', 'order_query.answer'));
    expect(order.trade_time).toBeGreaterThan(1e12);
  });

  it('refund_create: sends the recorded request fields (order_id, refund_reason[], order_entry_schema…), not out_order_no', async () => {
    trade(shape('douyin-trade', 'refund_create.answer'));
    const recorded = shape('douyin-trade', 'refund_create.request').body;
    const created = await clients().trade.refundCreate({
      order_id: 'motb70001112223334445556667',
      out_refund_no: 'shop_refund_1001',
      refund_total_amount: 500,
      refund_reason: [{ code: 101, text: '不想要了' }],
      order_entry_schema: { path: 'pages/order/detail', params: '{"id":1001}' },
      item_order_detail: [{ item_order_id: 'motb70001112223334445556668', refund_amount: 500 }],
      cp_extra: 'refund of order 1001',
      notify_url: 'https://shop.example/douyin/notify',
    });
    expect(created.refund_id).toBe('motr70001112223334445556669');
    expect(Object.keys(sentBody()).sort()).toEqual(Object.keys(recorded).sort());
  });

  it('settle_create: sends ext and settle_params as a JSON string, as recorded', async () => {
    trade(shape('douyin-trade', 'settle_create.answer'));
    const recorded = shape('douyin-trade', 'settle_create.request').body;
    await expect(
      clients().trade.settleCreate({
        out_order_no: 'shop_order_1001',
        out_settle_no: 'shop_settle_1001',
        settle_desc: 'delivered',
        settle_params: [{ merchant_uid: '70000000000000000002', amount: 100 }],
        ext: 'settlement of order 1001',
        notify_url: 'https://shop.example/douyin/notify',
      }),
    ).resolves.toMatchObject({ settle_id: 'mots70001112223334445556670' });
    expect(Object.keys(sentBody()).sort()).toEqual(Object.keys(recorded).sort());
    expect(sentBody().settle_params).toBe(recorded.settle_params);
  });

  it('a business error with HTTP 400 is an API error with the platform code, not a transport failure', async () => {
    trade(shape('douyin-trade', 'business_error.http400'));
    const error = await clients()
      .trade.orderQuery({ out_order_no: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TtpayApiError);
    expect(error).toMatchObject({ code: 'PLATFORM_ERROR', platformCode: 10000, status: 400 });
  });

  it('13000 ("原参重新请求") is retried on a query, never on a create', async () => {
    trade(shape('douyin-trade', 'system_error.retry'), shape('douyin-trade', 'order_query.answer'));
    const { trade: client } = clients();
    await expect(client.orderQuery({ out_order_no: 'shop_order_1001' })).resolves.toMatchObject({
      pay_status: 'SUCCESS',
    });
    expect(apiCalls()).toHaveLength(2);

    server.requests.length = 0;
    trade(shape('douyin-trade', 'system_error.retry'), shape('douyin-trade', 'settle_create.answer'));
    await expect(
      client.settleCreate({ out_order_no: 'o', out_settle_no: 's', settle_desc: 'd' }),
    ).rejects.toMatchObject({ platformCode: 13000 });
    expect(apiCalls()).toHaveLength(1);
  });
});

describe('a client token cut short by another instance', () => {
  it('on 28001008 the cached token is dropped, a new one fetched, and the call sent once more', async () => {
    trade(shape('douyin-trade', 'token.expired'), shape('douyin-trade', 'settle_create.answer'));
    const { trade: client } = clients();
    const before = tokens;
    // A create: refused for its token, so it was never processed — resending it is safe.
    await expect(
      client.settleCreate({ out_order_no: 'o', out_settle_no: 's', settle_desc: 'd' }),
    ).resolves.toMatchObject({ settle_id: 'mots70001112223334445556670' });
    expect(tokens - before).toBe(2);
    const [first, second] = apiCalls();
    expect(first?.headers['access-token']).not.toBe(second?.headers['access-token']);
    expect(second?.headers['access-token']).toBe(`clt.recorded_${tokens}`);
    expect(first?.body).toBe(second?.body);
  });

  it('is retried once only: a second rejection is the platform error', async () => {
    trade(shape('douyin-trade', 'token.expired'));
    const error = await clients()
      .trade.orderQuery({ out_order_no: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLATFORM_ERROR', platformCode: 28001008 });
    expect(apiCalls()).toHaveLength(2);
  });
});

describe('ecpay: err_no 1000 ("retry with the same parameters")', () => {
  it('is retried on a query and not on a create', async () => {
    const retry = shape('douyin-ecpay', 'retry_same_parameters');
    const paid = { err_no: 0, err_tips: '', payment_info: { total_fee: 1, order_status: 'SUCCESS' } };
    server.respond(answer(retry), (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(paid));
    });
    const { ecpay } = clients();
    await expect(ecpay.queryOrder({ out_order_no: 'o1' })).resolves.toMatchObject({
      payment_info: { order_status: 'SUCCESS' },
    });
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.respond(answer(retry));
    await expect(
      ecpay.createOrder({ out_order_no: 'o2', total_amount: 1, subject: 's', body: 'b', valid_time: 300 }),
    ).rejects.toMatchObject({ platformCode: 1000 });
    expect(server.requests).toHaveLength(1);
  });

  it('query_refund and query_settle: refundInfo and settle_info as recorded', async () => {
    server.respond(answer(shape('douyin-ecpay', 'query_refund.answer')));
    await expect(clients().ecpay.queryRefund({ out_refund_no: 'r' })).resolves.toMatchObject({
      refundInfo: { refund_no: 'N7067470744111892000', refund_amount: 190, refund_status: 'SUCCESS' },
    });
    server.respond(answer(shape('douyin-ecpay', 'query_settle.answer')));
    await expect(clients().ecpay.querySettle({ out_settle_no: 's' })).resolves.toMatchObject({
      settle_info: { settle_amount: 9900, settle_status: 'SUCCESS' },
    });
    server.respond(answer({ source: '', body: { err_no: 0, err_tips: '' } }));
    await expect(clients().ecpay.querySettle({ out_settle_no: 's' })).rejects.toMatchObject({
      code: 'MALFORMED_RESPONSE',
    });
  });

  it('query_refund: 3101 (not found) is an API error with that code', async () => {
    server.respond(answer(shape('douyin-ecpay', 'query_refund.not_found')));
    await expect(clients().ecpay.queryRefund({ out_refund_no: 'r' })).rejects.toMatchObject({
      code: 'PLATFORM_ERROR',
      platformCode: 3101,
    });
  });
});

describe('TikTok Shop', () => {
  it('HTTP 429 is retried with backoff on a GET, and not on a POST', async () => {
    server.respond(
      answer(shape('tiktok-api', 'rate_limited')),
      answer(shape('tiktok-api', 'get_order_detail.answer')),
    );
    const { tiktok } = clients();
    const { orders } = await tiktok.getOrders(['576400000000000201']);
    expect(orders[0]).toMatchObject({ shipping_type: 'SELLER', delivery_option_id: '7091146663229654785' });
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.respond(answer(shape('tiktok-api', 'rate_limited')));
    await expect(tiktok.shipPackage('1', { handover_method: 'DROP_OFF' })).rejects.toMatchObject({
      code: 'PLATFORM_ERROR',
      platformCode: 36009002,
      status: 429,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('36009003 ("Internal error. Please try again") is retried on a GET', async () => {
    server.respond(
      answer(shape('tiktok-api', 'internal_error.retry')),
      answer(shape('tiktok-api', 'get_shipping_providers.answer')),
    );
    await expect(clients().tiktok.getShippingProviders('7091146663229654785')).resolves.toEqual(
      data('tiktok-api', 'get_shipping_providers.answer'),
    );
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.url).toMatch(
      /^\/logistics\/202309\/delivery_options\/7091146663229654785\/shipping_providers\?/,
    );
  });

  it('11028006 (tracking number matches no carrier) is an API error with that code', async () => {
    server.respond(answer(shape('tiktok-api', 'ship_package.tracking_number_no_carrier')));
    await expect(
      clients().tiktok.shipPackage('1', {
        self_shipment: { tracking_number: 'ALGO7TXID', shipping_provider_id: '7117858858072016686' },
      }),
    ).rejects.toMatchObject({ platformCode: 11028006 });
  });

  it('mark package as shipped decodes {order_id, order_line_item_ids, package_id, warning}', async () => {
    server.respond(answer(shape('tiktok-api', 'mark_package_as_shipped.answer')));
    await expect(
      clients().tiktok.markPackageAsShipped('576400000000000201', {
        tracking_number: '9400100000000000000001',
        shipping_provider_id: '7117858858072016686',
      }),
    ).resolves.toEqual(data('tiktok-api', 'mark_package_as_shipped.answer'));
  });
});

describe('TikTok Shop: the order life after the first webhook, against the recorded answers', () => {
  const tiktokUrls = () => server.requests.map((r) => r.url.split('?')[0]);
  const query = (i: number) => new URLSearchParams(server.requests[i]?.url.split('?')[1] ?? '');
  const managed = (patch: Partial<ConstructorParameters<typeof TikTokShopClient>[0]> = {}) => {
    const d = demoCredentials.tiktok;
    return new TikTokShopClient({
      appKey: d.appKey,
      appSecret: d.appSecret,
      shopCipher: d.shopCipher,
      token: { access_token: 'TTP_old', access_token_expire_in: 2_000_000_000, refresh_token: 'TTP_refresh' },
      transport: unsafeLoopbackTransportForTests({ baseUrl: server.url }),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      ...patch,
    });
  };

  it('105002 (expired): the token is refreshed and the call — a write too — sent once more with the new one', async () => {
    const refreshed: unknown[] = [];
    server.respond(
      answer(shape('tiktok-api', 'expired_token')),
      answer(shape('tiktok-api', 'token_refresh.answer')),
      answer(shape('tiktok-api', 'approve_cancellation.answer')),
    );
    const client = managed({ onTokenRefresh: (grant) => refreshed.push(grant) });
    await expect(client.approveCancellation('4035318504086604100')).resolves.toEqual({});
    expect(tiktokUrls()).toEqual([
      '/return_refund/202309/cancellations/4035318504086604100/approve',
      '/api/v2/token/refresh',
      '/return_refund/202309/cancellations/4035318504086604100/approve',
    ]);
    const recorded = data('tiktok-api', 'token_refresh.answer') as Record<string, unknown>;
    expect(server.requests[0]?.headers['x-tts-access-token']).toBe('TTP_old');
    expect(server.requests[2]?.headers['x-tts-access-token']).toBe(recorded.access_token);
    expect(query(1).get('refresh_token')).toBe('TTP_refresh');
    expect(query(1).get('grant_type')).toBe('refresh_token');
    expect(server.requests[0]?.body).toBe(server.requests[2]?.body);
    expect(refreshed).toEqual([recorded]);
    expect(client.currentToken()).toEqual(recorded);
  });

  it('105002 twice: refreshed once only, then the platform error', async () => {
    server.respond(
      answer(shape('tiktok-api', 'expired_token')),
      answer(shape('tiktok-api', 'token_refresh.answer')),
      answer(shape('tiktok-api', 'expired_token')),
    );
    await expect(managed().getOrders(['576400000000000201'])).rejects.toMatchObject({
      code: 'PLATFORM_ERROR',
      platformCode: 105002,
    });
    expect(tiktokUrls().filter((u) => u === '/api/v2/token/refresh')).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });

  it('refreshes BEFORE expiry: within the margin, the first call refreshes, the next ones do not', async () => {
    // An hour before the recorded grant's expiry (1660556783): the new token is still inside the margin.
    const now = (1_660_556_783 - 3600) * 1000;
    server.respond(
      answer(shape('tiktok-api', 'token_refresh.answer')),
      answer(shape('tiktok-api', 'get_order_detail.answer')),
    );
    const client = managed({
      now: () => now,
      token: {
        access_token: 'TTP_old',
        access_token_expire_in: now / 1000 + 3600,
        refresh_token: 'TTP_refresh',
      },
      tokenRefreshMarginSeconds: 86_400,
    });
    await client.getOrders(['576400000000000201']);
    await client.getOrders(['576400000000000201']);
    // The refreshed token expires within the margin too: without the guard every call would refresh again.
    expect(tiktokUrls()).toEqual(['/api/v2/token/refresh', '/order/202309/orders', '/order/202309/orders']);
  });

  it('a fixed accessToken is never refreshed: 105002 is the caller’s to handle', async () => {
    server.respond(answer(shape('tiktok-api', 'expired_token')));
    await expect(clients().tiktok.getOrders(['1'])).rejects.toMatchObject({ platformCode: 105002 });
    expect(server.requests).toHaveLength(1);
  });

  it('Get Authorized Shops: sent without shop_cipher; with shopId the client takes its cipher from it once', async () => {
    server.respond(
      answer(shape('tiktok-api', 'get_authorized_shops.answer')),
      answer(shape('tiktok-api', 'get_order_detail.answer')),
    );
    const shops = data('tiktok-api', 'get_authorized_shops.answer') as {
      shops: { id: string; cipher: string }[];
    };
    const client = managed({ shopCipher: undefined, shopId: shops.shops[0]!.id });
    await client.getOrders(['576400000000000201']);
    await client.getOrders(['576400000000000201']);
    expect(tiktokUrls()).toEqual([
      '/authorization/202309/shops',
      '/order/202309/orders',
      '/order/202309/orders',
    ]);
    expect(query(0).has('shop_cipher')).toBe(false);
    expect(query(1).get('shop_cipher')).toBe(shops.shops[0]!.cipher);
    expect(query(2).get('shop_cipher')).toBe(shops.shops[0]!.cipher);
  });

  it('Search Orders: the recorded filter in the body, every page walked until next_page_token is empty', async () => {
    server.respond(
      answer(shape('tiktok-api', 'search_orders.answer')),
      answer(shape('tiktok-api', 'search_orders.last_page')),
    );
    const filter = shape('tiktok-api', 'search_orders.request').body;
    const ids: string[] = [];
    for await (const order of clients().tiktok.searchAllOrders(filter, { page_size: 1 })) ids.push(order.id);
    expect(ids).toEqual(['576400000000000201', '576400000000000202']);
    expect(JSON.parse(server.requests[0]!.body)).toEqual(filter);
    expect(query(0).get('page_size')).toBe('1');
    expect(query(0).get('sort_field')).toBe('update_time');
    expect(query(0).get('sort_order')).toBe('ASC');
    expect(query(0).has('page_token')).toBe(false);
    const first = data('tiktok-api', 'search_orders.answer') as { next_page_token: string };
    expect(query(1).get('page_token')).toBe(first.next_page_token);
  });

  it('Search Orders is a read: 36009007 ("Request timeout … Please try again") is retried', async () => {
    server.respond(
      answer(shape('tiktok-api', 'request_timeout.retry')),
      answer(shape('tiktok-api', 'search_orders.last_page')),
    );
    const page = await clients().tiktok.searchOrders({ update_time_ge: 1 }, { page_size: 10 });
    expect(page.orders).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('36009007 is NOT retried on a write (approve, reject, ship)', async () => {
    server.respond(answer(shape('tiktok-api', 'request_timeout.retry')));
    await expect(
      clients().tiktok.rejectCancellation('4035318504086604100', {
        reject_reason: 'seller_reject_apply_product_has_been_packed',
      }),
    ).rejects.toMatchObject({ platformCode: 36009007 });
    expect(server.requests).toHaveLength(1);
  });

  it('Search Cancellations decodes the pending requests with the seller’s deadline', async () => {
    server.respond(answer(shape('tiktok-api', 'search_cancellations.answer')));
    const { cancellations } = await clients().tiktok.searchCancellations(
      { cancel_status: ['CANCELLATION_REQUEST_PENDING'] },
      { page_size: 10 },
    );
    expect(cancellations[0]).toMatchObject({
      cancel_id: '4035318504086604100',
      cancel_status: 'CANCELLATION_REQUEST_PENDING',
      seller_next_action_response: [{ action: 'SELLER_RESPOND_CANCEL', deadline: 1690554680 }],
    });
  });

  it('approve and reject send the recorded requests, with the idempotency_key asked for', async () => {
    server.respond(
      answer(shape('tiktok-api', 'approve_cancellation.answer')),
      answer(shape('tiktok-api', 'reject_cancellation.answer')),
    );
    const { tiktok } = clients();
    await tiktok.approveCancellation('4035318504086604100', {
      idempotencyKey: 'approve-4035318504086604100',
    });
    const recorded = shape('tiktok-api', 'reject_cancellation.request').body as {
      reject_reason: string;
      comment: string;
    };
    await tiktok.rejectCancellation('4035318504086604101', recorded, { idempotencyKey: 'reject-1' });
    expect(server.requests[0]?.body).toBe('{}');
    expect(query(0).get('idempotency_key')).toBe('approve-4035318504086604100');
    expect(JSON.parse(server.requests[1]!.body)).toEqual(recorded);
    expect(query(1).get('idempotency_key')).toBe('reject-1');
  });

  it('25011012 (cancellation no longer pending) is an API error with that code', async () => {
    server.respond(answer(shape('tiktok-api', 'cancellation_not_pending')));
    await expect(clients().tiktok.approveCancellation('4035318504086604100')).rejects.toMatchObject({
      platformCode: 25011012,
    });
  });

  it('ship package for TikTok shipping sends the recorded empty body (handover_method optional)', async () => {
    server.respond(answer(shape('tiktok-api', 'ship_package.answer')));
    await clients().tiktok.shipPackage('1152900000000000201', {});
    expect(JSON.parse(server.requests[0]!.body)).toEqual(
      shape('tiktok-api', 'ship_package.tiktok_shipping_request').body,
    );
  });
});

describe('AlgoVoi: the payment state is read at /checkout/{token}/status', () => {
  it('decodes the recorded status answer, tx_id included', async () => {
    server.respond(answer(shape('algovoi', 'checkout_status.answer')));
    await expect(clients().algovoi.verifyPayment('c1a2b3d4e5')).resolves.toMatchObject({
      token: 'c1a2b3d4e5',
      paid: true,
      status: 'paid',
      tx_id: 'ALGO7TXQ4ZK2M3N5P6R7S8T9U',
    });
    expect(server.requests[0]?.url).toBe('/checkout/c1a2b3d4e5/status');
  });
});
