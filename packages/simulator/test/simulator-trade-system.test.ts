import { randomBytes } from 'node:crypto';
import { buildByteAuthorization, verifyEcpayCallback, verifyTradeCallback } from '@ttpay/core';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials } from '@ttpay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { CLIENT_TOKEN_ERROR_CODE } from '../src/simulator/client-token-api.js';
import { TRADE_ERR_NO } from '../src/simulator/trade-reply.js';
import { ecpayCall, postJson, type Receiver, startReceiver } from './simulator-test-helpers.js';

const { douyin } = demoCredentials;
let sim: Simulator;
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startSimulator({ timeScale: 0.0001, douyin: { notifyUrl: receiver.url } });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

async function clientToken(secret: string = DEMO_DOUYIN_APP_SECRET, key: string = douyin.appId) {
  return postJson(`${sim.url}/oauth/client_token/`, {
    client_key: key,
    client_secret: secret,
    grant_type: 'client_credential',
  });
}

function orderData(outOrderNo = 'trade_5001') {
  // The exact string handed to tt.requestOrder (and signed): deliberately not JSON.stringify's spacing.
  return `{"skuList":[{"skuId":"sku_1","price":4950,"quantity":2,"title":"Tea","imageList":["https://img.example/t.png"],"type":401,"tagGroupId":"tag_1"}], "outOrderNo":"${outOrderNo}","totalAmount":9900,"payExpireSeconds":900,"merchantUid":"${douyin.merchantUid}","orderEntrySchema":{"path":"pages/order/detail","params":"{\\"outOrderNo\\":\\"${outOrderNo}\\"}"}}`;
}

function requestOrder(data: string, key: string = douyin.appPrivateKey, signedData = data) {
  const byteAuthorization = buildByteAuthorization(
    {
      method: 'POST',
      uri: '/requestOrder',
      timestamp: Math.floor(Date.now() / 1000),
      nonce: randomBytes(8).toString('hex'),
      body: signedData,
      appId: douyin.appId,
      keyVersion: douyin.keyVersion,
    },
    key,
  );
  return postJson(`${sim.url}/requestOrder`, { data, byteAuthorization });
}

const developer = (name: string, body: unknown, token?: string) =>
  postJson(`${sim.url}/api/trade_basic/v1/developer/${name}/`, body, token ? { 'access-token': token } : {});

describe('the simulated trade system', () => {
  it('issues clt. client tokens only for the right client_key and client_secret', async () => {
    const good = await clientToken();
    expect(good.json).toMatchObject({
      message: 'success',
      data: { access_token: expect.stringMatching(/^clt\./), expires_in: 7200, error_code: 0 },
    });
    expect((await clientToken('wrong')).json.data).toMatchObject({
      error_code: CLIENT_TOKEN_ERROR_CODE.BAD_CLIENT_SECRET,
    });
    expect((await clientToken(DEMO_DOUYIN_APP_SECRET, 'tt_unknown')).json.data).toMatchObject({
      error_code: CLIENT_TOKEN_ERROR_CODE.UNKNOWN_CLIENT_KEY,
    });
  });

  it('refuses server API calls without a valid access-token header', async () => {
    const none = await developer('order_query', { out_order_no: 'x' });
    expect(none).toMatchObject({ status: 200, json: { err_no: TRADE_ERR_NO.INVALID_ACCESS_TOKEN } });
    expect((await developer('order_query', { out_order_no: 'x' }, 'clt.forged')).json.err_no).toBe(
      TRADE_ERR_NO.INVALID_ACCESS_TOKEN,
    );
    const token = (await clientToken()).json.data as { access_token: string };
    expect((await developer('order_query', { out_order_no: 'x' }, token.access_token)).json).toMatchObject({
      err_no: TRADE_ERR_NO.NOT_FOUND,
      err_msg: 'order not found',
    });
  });

  it('a token pushed out by two newer grants (another instance refreshing) is refused with 28001003', async () => {
    const first = ((await clientToken()).json.data as { access_token: string }).access_token;
    expect((await developer('settle_query', { out_settle_no: 'none' }, first)).json).toMatchObject({
      err_no: 0,
      data: [],
    });
    // Only the newest two stay valid (docs/PROTOCOLS.md §5.2).
    await clientToken();
    await clientToken();
    expect((await developer('settle_query', { out_settle_no: 'none' }, first)).json.err_no).toBe(
      TRADE_ERR_NO.INVALID_ACCESS_TOKEN,
    );
  });

  it('rejects /requestOrder signed with the wrong key, or over other bytes than the data sent', async () => {
    const wrongKey = await requestOrder(orderData(), douyin.platformPrivateKey);
    expect(wrongKey.json).toMatchObject({
      err_no: TRADE_ERR_NO.INVALID_PARAMS,
      err_msg: expect.stringContaining('byteAuthorization'),
    });
    // A client that signs JSON.stringify(data) but sends the original text (or the other way round).
    const data = orderData();
    const reserialised = await requestOrder(data, douyin.appPrivateKey, JSON.stringify(JSON.parse(data)));
    expect(reserialised.json.err_no).toBe(TRADE_ERR_NO.INVALID_PARAMS);
    expect(sim.douyin.order('trade_5001')).toBeUndefined();
  });

  it('refuses /requestOrder data without orderEntrySchema or its path (docs/PROTOCOLS.md §2.1)', async () => {
    const withEntry = orderData('trade_entry_1');
    const without = withEntry.replace(/,"orderEntrySchema":\{.*\}\}$/, '}');
    expect(JSON.parse(without)).not.toHaveProperty('orderEntrySchema');
    const missing = await requestOrder(without);
    expect(missing.json).toMatchObject({
      err_no: TRADE_ERR_NO.INVALID_PARAMS,
      err_msg: expect.stringContaining('orderEntrySchema is required'),
    });
    const noPath = await requestOrder(withEntry.replace('"path":"pages/order/detail",', ''));
    expect(noPath.json).toMatchObject({
      err_no: TRADE_ERR_NO.INVALID_PARAMS,
      err_msg: expect.stringContaining('orderEntrySchema.path is required'),
    });
    expect(sim.douyin.order('trade_entry_1')).toBeUndefined();
    expect((await requestOrder(withEntry)).json).toMatchObject({ err_no: 0 });
  });

  it('accepts a discounted totalAmount below the SKU lines total, and refuses one above it', async () => {
    // Discounts are allowed: the total need not be Σ price × quantity (docs/PROTOCOLS.md §5.1).
    const discounted = await requestOrder(
      orderData('trade_5002').replace('"totalAmount":9900', '"totalAmount":9000'),
    );
    expect(discounted.json).toMatchObject({ err_no: 0 });
    expect(sim.douyin.order('trade_5002')).toMatchObject({ total_amount: 9000 });
    const res = await requestOrder(orderData().replace('"totalAmount":9900', '"totalAmount":9901'));
    expect(res.json).toMatchObject({
      err_no: TRADE_ERR_NO.INVALID_PARAMS,
      err_msg: expect.stringContaining('totalAmount'),
    });
  });

  it('creates the order from a correctly signed /requestOrder; pay sends an RSA callback verifyTradeCallback accepts', async () => {
    const created = await requestOrder(orderData());
    expect(created.json).toMatchObject({
      err_no: 0,
      data: { orderId: expect.stringMatching(/^motb/), outOrderNo: 'trade_5001' },
    });

    const result = await sim.douyin.pay('trade_5001');
    expect(result).toMatchObject({ acknowledged: true, attempts: 1 });
    const received = receiver.requests[0]!;
    expect(received.headers['byte-logid']).toEqual(expect.any(String));
    const event = verifyTradeCallback(
      { headers: received.headers, rawBody: received.body },
      { publicKey: douyin.platformPublicKey },
    );
    expect(event).toMatchObject({
      system: 'trade',
      type: 'payment',
      version: '3.0',
      key: 'douyin:trade:payment:trade_5001:SUCCESS',
      msg: {
        app_id: douyin.appId,
        out_order_no: 'trade_5001',
        order_id: (created.json.data as { orderId: string }).orderId,
        total_amount: 9900,
        status: 'SUCCESS',
      },
    });

    const token = ((await clientToken()).json.data as { access_token: string }).access_token;
    // The trailing slash is optional, as on open.douyin.com's own examples.
    const queried = await postJson(
      `${sim.url}/api/trade_basic/v1/developer/order_query`,
      { out_order_no: 'trade_5001' },
      { 'access-token': token },
    );
    expect(queried.json).toMatchObject({
      err_no: 0,
      data: {
        pay_status: 'SUCCESS',
        total_amount: 9900,
        item_order_list: [{ sku_id: 'sku_1', item_order_amount: 9900 }],
      },
    });
  });

  it('refunds a trade order through refund_create; its callback is RSA signed too', async () => {
    await requestOrder(orderData());
    await sim.douyin.pay('trade_5001');
    const token = ((await clientToken()).json.data as { access_token: string }).access_token;
    const order = (await developer('order_query', { out_order_no: 'trade_5001' }, token)).json.data as {
      order_id: string;
      item_order_list: { item_order_id: string }[];
    };
    const body = {
      order_id: order.order_id,
      out_refund_no: 'trade_refund_1',
      refund_total_amount: 2000,
      refund_reason: [{ code: 101, text: 'changed my mind' }],
      item_order_detail: [{ item_order_id: order.item_order_list[0]!.item_order_id, refund_amount: 2000 }],
      order_entry_schema: { path: 'pages/order/detail', params: '' },
    };
    // The seed's shape — out_order_no instead of order_id, no refund_total_amount — is refused.
    const { order_id: _id, refund_total_amount: _total, ...seedShape } = body;
    expect(
      (await developer('refund_create', { ...seedShape, out_order_no: 'trade_5001' }, token)).json.err_no,
    ).toBe(TRADE_ERR_NO.INVALID_PARAMS);
    const refund = await developer('refund_create', body, token);
    expect(refund.json).toMatchObject({ err_no: 0, data: { refund_id: expect.stringMatching(/^motr/) } });

    await sim.douyin.completeRefund('trade_refund_1');
    const received = receiver.requests.at(-1)!;
    const event = verifyTradeCallback(
      { headers: received.headers, rawBody: received.body },
      { publicKey: douyin.platformPublicKey },
    );
    expect(event).toMatchObject({
      type: 'refund',
      msg: { out_refund_no: 'trade_refund_1', refund_total_amount: 2000, status: 'SUCCESS' },
    });
    expect((await developer('refund_query', { out_refund_no: 'trade_refund_1' }, token)).json).toMatchObject({
      data: { refund_list: [{ refund_status: 'SUCCESS', refund_total_amount: 2000 }] },
    });
  });

  it('mixed systems: a refund of an ecpay order started through refund_create arrives SHA-1 signed (PROTOCOLS.md §2)', async () => {
    const created = await ecpayCall(sim, 'create_order', {
      out_order_no: 'old_order_1',
      total_amount: 500,
      subject: 'Tea',
      body: 'An ecpay order',
      valid_time: 900,
    });
    await sim.douyin.pay('old_order_1');
    const token = ((await clientToken()).json.data as { access_token: string }).access_token;
    const refund = await developer(
      'refund_create',
      {
        order_id: (created.json.data as { order_id: string }).order_id,
        out_refund_no: 'old_refund_1',
        refund_total_amount: 500,
        refund_reason: [{ code: 101, text: 'changed my mind' }],
        order_entry_schema: { path: 'pages/order/detail' },
        refund_all: true,
      },
      token,
    );
    expect(refund.json.err_no).toBe(0);
    await sim.douyin.completeRefund('old_refund_1');
    const event = verifyEcpayCallback({ rawBody: receiver.requests.at(-1)!.body }, { token: douyin.token });
    expect(event).toMatchObject({
      system: 'ecpay',
      type: 'refund',
      msg: { cp_refundno: 'old_refund_1', refund_amount: 500 },
    });
  });

  it("settle_create takes ext; ecpay's cp_extra is refused rather than dropped", async () => {
    await requestOrder(orderData('trade_settle_1'));
    await sim.douyin.pay('trade_settle_1');
    const token = ((await clientToken()).json.data as { access_token: string }).access_token;
    const body = {
      out_order_no: 'trade_settle_1',
      out_settle_no: 'trade_settle_s1',
      settle_desc: 'delivered',
    };
    const wrong = await developer('settle_create', { ...body, cp_extra: 'x' }, token);
    expect(wrong.json).toMatchObject({
      err_no: TRADE_ERR_NO.INVALID_PARAMS,
      err_msg: expect.stringContaining('ext'),
    });
    expect((await developer('settle_create', { ...body, ext: 'x' }, token)).json.err_no).toBe(0);
  });

  it('an unpaid trade order can be cancelled: its payment callback says CANCEL', async () => {
    await requestOrder(orderData('trade_cancel_1'));
    const delivery = await sim.douyin.cancel('trade_cancel_1');
    expect(delivery.acknowledged).toBe(true);
    const received = receiver.requests.at(-1)!;
    const event = verifyTradeCallback(
      { headers: received.headers, rawBody: received.body },
      { publicKey: douyin.platformPublicKey },
    );
    expect(event).toMatchObject({
      type: 'payment',
      key: 'douyin:trade:payment:trade_cancel_1:CANCEL',
      msg: { out_order_no: 'trade_cancel_1', status: 'CANCEL', event_time: expect.any(Number) },
    });
    expect((event.msg as { event_time: number }).event_time).toBeGreaterThan(1e12); // milliseconds
    await expect(sim.douyin.pay('trade_cancel_1')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    // ecpay notifies successes only: nothing to cancel there.
    await ecpayCall(sim, 'create_order', {
      out_order_no: 'ecpay_cancel_1',
      total_amount: 500,
      subject: 'Tea',
      body: 'An ecpay order',
      valid_time: 900,
    });
    await expect(sim.douyin.cancel('ecpay_cancel_1')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
