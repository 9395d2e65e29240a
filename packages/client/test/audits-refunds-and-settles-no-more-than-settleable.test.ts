// The refund audit, CPS commissions, the settle guard, the stable token and the ecpay `way`/
// `expand_order_info` shapes — against the platforms' RECORDED answers and requests
// (test/platform-shapes, each with its source).
import { verifyEcpayCallback } from '@ttpay/core';
import { demoCredentials, signedEcpayCallback } from '@ttpay/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RecordedShape, shape } from '../../../test/platform-shapes/load.js';
import {
  type DouyinEcpayClient,
  ecpayCpsCommission,
  ecpayPaymentEventFromQuery,
  settleableAmount,
} from '../src/index.js';
import { type CaptureServer, type Responder, startCaptureServer } from './helpers/capture-server.js';
import { testClients } from './helpers/clients.js';

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

/** The stable token endpoint answers its recorded grant; the APIs answer `answers` in turn. */
function trade(...answers: RecordedShape[]): void {
  let next = 0;
  server.respond((req, res) => {
    if (req.url.startsWith('/oauth/'))
      return answer(shape('douyin-trade', 'stable_client_token.answer'))(req, res);
    return answer(answers[Math.min(next++, answers.length - 1)] as RecordedShape)(req, res);
  });
}

const clients = () => testClients(server.url);
const apiCalls = () => server.requests.filter((r) => r.url.startsWith('/api/'));
const sentBody = (i = 0) => JSON.parse(apiCalls()[i]?.body ?? 'null') as Record<string, unknown>;

describe('refundAuditCallback (同步退款审核结果)', () => {
  it('denies with a message: sends exactly the recorded request to refund_audit_callback/, with the stable token', async () => {
    trade(shape('douyin-trade', 'refund_audit_callback.answer'));
    const recorded = shape('douyin-trade', 'refund_audit_callback.request').body;
    await expect(
      clients().trade.refundAuditCallback({
        refund_id: recorded.refund_id as string,
        refund_audit_status: 2,
        deny_message: recorded.deny_message as string,
      }),
    ).resolves.toBeUndefined();
    expect(apiCalls().map((r) => r.url)).toEqual(['/api/trade_basic/v1/developer/refund_audit_callback/']);
    expect(sentBody()).toEqual(recorded);
    expect(server.requests[0]?.url).toBe('/oauth/stable_client_token/');
    expect(apiCalls()[0]?.headers['access-token']).toBe(
      (shape('douyin-trade', 'stable_client_token.answer').body.data as { access_token: string })
        .access_token,
    );
  });

  it('approves with refund_id and status 1 only', async () => {
    trade(shape('douyin-trade', 'refund_audit_callback.answer'));
    await clients().trade.refundAuditCallback({ refund_id: 'motr1', refund_audit_status: 1 });
    expect(sentBody()).toEqual({ refund_id: 'motr1', refund_audit_status: 1 });
  });

  it('22006 (audited already) is the platform error, and an audit is never repeated, not even on 13000', async () => {
    trade(shape('douyin-trade', 'refund_audit_callback.already_audited'));
    await expect(
      clients().trade.refundAuditCallback({ refund_id: 'motr1', refund_audit_status: 1 }),
    ).rejects.toMatchObject({ code: 'PLATFORM_ERROR', platformCode: 22006 });
    server.requests.length = 0;
    trade(shape('douyin-trade', 'system_error.retry'), shape('douyin-trade', 'refund_audit_callback.answer'));
    await expect(
      clients().trade.refundAuditCallback({ refund_id: 'motr1', refund_audit_status: 1 }),
    ).rejects.toMatchObject({ platformCode: 13000 });
    expect(apiCalls()).toHaveLength(1);
  });

  it.each([
    ['a denial without its message', { refund_id: 'r', refund_audit_status: 2 }],
    ['a message on an approval', { refund_id: 'r', refund_audit_status: 1, deny_message: 'no' }],
    ['another status', { refund_id: 'r', refund_audit_status: 3 }],
    ['a message over 512 bytes', { refund_id: 'r', refund_audit_status: 2, deny_message: '不'.repeat(171) }],
    ['no refund_id', { refund_audit_status: 1 }],
  ])('refuses %s before sending anything (INVALID_ARGUMENT)', async (_name, request) => {
    trade(shape('douyin-trade', 'refund_audit_callback.answer'));
    await expect(clients().trade.refundAuditCallback(request as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('CPS commission and the settle guard', () => {
  it('queryCps decodes the recorded answer; its commission comes off the settleable amount', async () => {
    trade(shape('douyin-trade', 'query_cps.answer'));
    const cps = await clients().trade.queryCps({ out_order_no: 'shop_order_1001' });
    expect(cps).toEqual(shape('douyin-trade', 'query_cps.answer').body.data);
    expect(sentBody()).toEqual({ out_order_no: 'shop_order_1001' });
    expect(settleableAmount({ paid: 1990, refunded: 500, commission: cps.total_commission_amount })).toBe(
      1390,
    );
  });

  it('ecpayCpsCommission reads the recorded cps_info (a JSON string with share_amount in a string), and 0 without one', () => {
    const cps = shape('douyin-ecpay', 'query_order.cps').body as DouyinEcpayClient.QueryOrderResult;
    expect(ecpayCpsCommission(cps)).toBe(1500);
    expect(ecpayCpsCommission({ cps_info: { share_amount: '25' } })).toBe(25);
    expect(
      ecpayCpsCommission(
        shape('douyin-ecpay', 'query_order.answer').body as DouyinEcpayClient.QueryOrderResult,
      ),
    ).toBe(0);
    expect(() => ecpayCpsCommission({ cps_info: { share_amount: '1.5' } })).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE' }),
    );
  });

  it('settleableAmount refuses refunds and commission beyond what was paid, and amounts that are not whole fen', () => {
    expect(() => settleableAmount({ paid: 100, refunded: 60, commission: 41 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => settleableAmount({ paid: 10.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(settleableAmount({ paid: 100 })).toBe(100);
  });

  it('trade settleCreate: a split over `settleable` is refused before sending; within it, sent as recorded', async () => {
    trade(shape('douyin-trade', 'settle_create.answer'));
    const { trade: client } = clients();
    const settleable = settleableAmount({ paid: 10_000, commission: 1500 });
    const request = {
      out_order_no: 'shop_order_1002',
      out_settle_no: 'shop_settle_1002',
      settle_desc: 'delivered',
      settle_params: [
        { merchant_uid: '70000000000000000002', amount: 6000 },
        { merchant_uid: '70000000000000000003', amount: 3000 },
      ],
    };
    await expect(client.settleCreate(request, { settleable })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(server.requests).toHaveLength(0);
    await expect(
      client.settleCreate(
        { ...request, settle_params: JSON.stringify(request.settle_params) },
        { settleable },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(server.requests).toHaveLength(0);
    await expect(
      client.settleCreate({ ...request, settle_params: request.settle_params.slice(0, 1) }, { settleable }),
    ).resolves.toMatchObject({ settle_id: 'mots70001112223334445556670' });
    expect(JSON.parse(sentBody().settle_params as string)).toEqual([request.settle_params[0]]);
  });

  it('ecpay settle: the same guard', async () => {
    server.respond(answer({ source: 'ttpay', body: { err_no: 0, err_tips: '', settle_no: '1' } }));
    const { ecpay } = clients();
    const settleable = ecpayPaid() - ecpayCpsCommission(shape('douyin-ecpay', 'query_order.cps').body);
    await expect(
      ecpay.settle(
        {
          out_order_no: 'shop_order_1002',
          out_settle_no: 's1',
          settle_desc: 'd',
          settle_params: [{ merchant_uid: 'm', amount: settleable + 1 }],
        },
        { settleable },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(server.requests).toHaveLength(0);
    await ecpay.settle(
      {
        out_order_no: 'shop_order_1002',
        out_settle_no: 's1',
        settle_desc: 'd',
        settle_params: [{ merchant_uid: 'm', amount: settleable }],
      },
      { settleable },
    );
    expect(server.requests).toHaveLength(1);
  });
});

function ecpayPaid(): number {
  return (shape('douyin-ecpay', 'query_order.cps').body as DouyinEcpayClient.QueryOrderResult).payment_info
    .total_fee;
}

describe('ecpay shapes', () => {
  it('query_order answers way as a number; the reconciled event carries the callback’s string, so both are equal', () => {
    const recorded = shape('douyin-ecpay', 'query_order.answer').body as DouyinEcpayClient.QueryOrderResult;
    expect(recorded.payment_info.way).toBe(2);
    const reconciled = ecpayPaymentEventFromQuery('shop_order_1001', recorded, {
      appId: demoCredentials.douyin.appId,
    });
    const callback = verifyEcpayCallback(
      signedEcpayCallback({
        type: 'payment',
        msg: { cp_orderno: 'shop_order_1001', way: '2', total_amount: recorded.payment_info.total_fee },
      }),
      { token: demoCredentials.douyin.token },
    );
    expect(reconciled?.msg.way).toBe('2');
    expect(typeof reconciled?.msg.way).toBe(typeof callback.msg.way);
    expect(reconciled?.key).toBe(callback.key);
  });

  it('create_order sends expand_order_info as the JSON string the platform takes, signed as that string', async () => {
    server.respond(
      answer({
        source: 'ttpay',
        body: { err_no: 0, err_tips: '', data: { order_id: 'N1', order_token: 't' } },
      }),
    );
    const recorded = shape('douyin-ecpay', 'create_order.request.expand_order_info').body;
    const order = { out_order_no: 'o1', total_amount: 100, subject: 's', body: 'b', valid_time: 900 };
    await clients().ecpay.createOrder({
      ...order,
      expand_order_info: { original_delivery_fee: 15, actual_delivery_fee: 10 },
    });
    await clients().ecpay.createOrder({ ...order, expand_order_info: recorded.expand_order_info as string });
    const [fromObject, fromText] = server.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(fromObject?.expand_order_info).toBe(recorded.expand_order_info);
    expect(fromText?.expand_order_info).toBe(recorded.expand_order_info);
    expect(fromObject?.sign).toBe(fromText?.sign);
  });
});
