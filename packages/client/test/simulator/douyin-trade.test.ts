import { DouyinTradeClient, TtpayApiError } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOUYIN_APP_SECRET } from '../helpers/clients.js';
import { type SimulatorHarness, startHarness } from '../helpers/simulator.js';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** A client on the plain `/oauth/client_token/` endpoint, where every grant is a new token. */
function plainTokenClient(): DouyinTradeClient {
  return new DouyinTradeClient({
    appId: demoCredentials.douyin.appId,
    appSecret: DEMO_DOUYIN_APP_SECRET,
    privateKey: demoCredentials.douyin.appPrivateKey,
    keyVersion: demoCredentials.douyin.keyVersion,
    transport: unsafeLoopbackTransportForTests({ baseUrl: h.sim.url }),
    tokenEndpoint: 'client_token',
  });
}

let n = 0;
const outNo = (prefix: string) => `${prefix}_${Date.now()}_${++n}`;

/** What the mini-program does with requestOrderData's result: tt.requestOrder({data, byteAuthorization}). */
async function requestOrder(params: {
  data: string;
  byteAuthorization: string;
}): Promise<Record<string, unknown>> {
  const res = await fetch(`${h.sim.url}/requestOrder`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('the trade system against the simulator', () => {
  it('requestOrderData is accepted by tt.requestOrder, and the server APIs see the order through its life', async () => {
    const { trade } = h.clients;
    const outOrderNo = outNo('trade');
    const params = trade.requestOrderData({
      skuList: [{ skuId: 'sku_1', price: 500, quantity: 2, title: '茶具 Tea set', imageList: [], type: 401 }],
      outOrderNo,
      totalAmount: 1000,
      payNotifyUrl: 'https://shop.example/douyin/notify',
      merchantUid: demoCredentials.douyin.merchantUid,
      orderEntrySchema: { path: 'pages/order/detail', params: JSON.stringify({ outOrderNo }) },
    });
    const answer = await requestOrder(params);
    expect(answer).toMatchObject({ err_no: 0 });

    await expect(trade.orderQuery({ out_order_no: outOrderNo })).resolves.toMatchObject({
      out_order_no: outOrderNo,
      total_amount: 1000,
    });
    await h.sim.douyin.pay(outOrderNo);
    const paid = await trade.orderQuery({ out_order_no: outOrderNo });
    expect(paid.pay_status).toBe('SUCCESS');

    expect(paid.pay_time).toBeGreaterThan(1e12); // milliseconds

    const item = paid.item_order_list[0]!;
    const out_refund_no = outNo('tref');
    const refund = await trade.refundCreate({
      order_id: paid.order_id,
      out_refund_no,
      refund_total_amount: 100,
      refund_reason: [{ code: 101, text: 'changed my mind' }],
      order_entry_schema: { path: 'pages/order/detail', params: '{"id":1}' },
      item_order_detail: [{ item_order_id: item.item_order_id, refund_amount: 100 }],
    });
    expect(refund.refund_id).toMatch(/.+/);
    const { refund_list } = await trade.refundQuery({ out_refund_no });
    expect(refund_list).toEqual([
      expect.objectContaining({ out_refund_no, refund_id: refund.refund_id, refund_total_amount: 100 }),
    ]);

    const out_settle_no = outNo('tset');
    const settle = await trade.settleCreate({
      out_order_no: outOrderNo,
      out_settle_no,
      settle_desc: 'delivered',
      ext: 'settlement of an order',
    });
    expect(settle.settle_id).toMatch(/.+/);
    await expect(trade.settleQuery({ out_settle_no })).resolves.toEqual([
      expect.objectContaining({
        out_settle_no,
        settle_id: settle.settle_id,
        cp_extra: 'settlement of an order',
      }),
    ]);
    // Nothing matched: an empty list, as the platform answers — never an error, never {}.
    await expect(trade.settleQuery({ out_settle_no: outNo('none') })).resolves.toEqual([]);
  });

  it('a tampered data string is refused by tt.requestOrder', async () => {
    const params = h.clients.trade.requestOrderData({
      skuList: [{ skuId: 's', price: 1, quantity: 1, title: 't', imageList: [], type: 401 }],
      outOrderNo: outNo('tamper'),
      totalAmount: 1,
      orderEntrySchema: { path: 'pages/order/detail' },
    });
    const answer = await requestOrder({
      ...params,
      data: params.data.replace('"totalAmount":1', '"totalAmount":2'),
    });
    expect(answer.err_no).not.toBe(0);
  });

  it('concurrent calls share one client token', async () => {
    const fresh = h.with({}).trade;
    const before = h.received('/oauth/stable_client_token/');
    const results = await Promise.allSettled([
      fresh.orderQuery({ out_order_no: 'nope_1' }),
      fresh.orderQuery({ out_order_no: 'nope_2' }),
      fresh.refundQuery({ out_refund_no: 'nope_3' }),
    ]);
    // "not found" comes from the API itself: the token was accepted
    expect(results).toMatchObject([
      { status: 'rejected', reason: { code: 'PLATFORM_ERROR', platformCode: 20000 } },
      { status: 'rejected', reason: { code: 'PLATFORM_ERROR', platformCode: 20000 } },
      { status: 'fulfilled', value: { refund_list: [] } },
    ]);
    expect(h.received('/oauth/stable_client_token/') - before).toBe(1);
  });

  it('tokenEndpoint client_token: a token pushed out by another instance refreshing twice is replaced, and the call sent again', async () => {
    const mine = plainTokenClient();
    await mine.settleQuery({ out_settle_no: 'none_yet' }); // caches a token
    // Another instance of the app fetches twice: only the newest two tokens stay valid (§5.2).
    for (let i = 0; i < 2; i++) {
      await fetch(`${h.sim.url}/oauth/client_token/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_key: demoCredentials.douyin.appId,
          client_secret: DEMO_DOUYIN_APP_SECRET,
          grant_type: 'client_credential',
        }),
      });
    }
    const path = '/api/trade_basic/v1/developer/settle_query/';
    const before = h.received(path);
    await expect(mine.settleQuery({ out_settle_no: 'none_yet' })).resolves.toEqual([]);
    expect(h.received(path) - before).toBe(2);
    expect(
      h.sim.log
        .filter((e) => e.path === path)
        .map((e) => e.code)
        .slice(-2),
    ).toEqual([28001003, 0]);
  });

  it('err_no 13000 ("原参重新请求") is retried on a query', async () => {
    const path = '/api/trade_basic/v1/developer/order_query/';
    const fresh = h.with({}).trade;
    await fresh.clientToken();
    h.sim.fault({ platform: 'douyin', path, reply: { err_no: 13000, err_msg: '内部服务错误', log_id: 'L' } });
    const before = h.received(path);
    await expect(fresh.orderQuery({ out_order_no: 'missing' })).rejects.toMatchObject({
      platformCode: 20000,
    });
    expect(h.received(path) - before).toBe(2);
  });

  it('instances on the stable endpoint (the default) share one token: no refresh pushes the others out', async () => {
    const first = h.with({}).trade;
    const second = h.with({}).trade;
    const [a, b] = [await first.clientToken(), await second.clientToken()];
    expect(a).toBe(b);
    // A third instance still on the plain endpoint refreshing twice does not cut the stable token short.
    const plain = plainTokenClient();
    for (let i = 0; i < 2; i++) {
      await plain.clientToken();
      plain.clearClientToken();
    }
    const path = '/api/trade_basic/v1/developer/settle_query/';
    const before = h.received(path);
    await expect(first.settleQuery({ out_settle_no: 'none' })).resolves.toEqual([]);
    await expect(second.settleQuery({ out_settle_no: 'none' })).resolves.toEqual([]);
    expect(h.received(path) - before).toBe(2); // no token rejection, no resend
  });

  it('a wrong app secret is a platform error from the token endpoint', async () => {
    const wrong = new DouyinTradeClient({
      appId: demoCredentials.douyin.appId,
      appSecret: 'not-the-secret',
      privateKey: demoCredentials.douyin.appPrivateKey,
      keyVersion: demoCredentials.douyin.keyVersion,
      transport: unsafeLoopbackTransportForTests({ baseUrl: h.sim.url }),
    });
    const error = await wrong.orderQuery({ out_order_no: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TtpayApiError);
    expect(error).toMatchObject({ path: '/oauth/stable_client_token/' });
    expect(JSON.stringify(error)).not.toContain('not-the-secret');
  });
});
