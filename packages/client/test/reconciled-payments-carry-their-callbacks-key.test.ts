// Reconciliation turns a query's answer into the payment event its callback would have carried. The
// key must be the callback's own, byte for byte: otherwise a late callback after reconciliation would
// be a second payment, not a duplicate.
import { verifyEcpayCallback, verifyTradeCallback } from '@ttpay/core';
import { demoCredentials, signedEcpayCallback, signedTradeCallback } from '@ttpay/testing';
import { describe, expect, it } from 'vitest';
import { shape } from '../../../test/platform-shapes/load.js';
import {
  type DouyinEcpayClient,
  type DouyinTradeClient,
  ecpayPaymentEventFromQuery,
  tradePaymentEventFromQuery,
} from '../src/index.js';

const { douyin } = demoCredentials;

function recordedOrderQuery(payStatus: string): DouyinTradeClient.OrderQueryResult {
  const body = shape('douyin-trade', 'order_query.answer').body as {
    data: DouyinTradeClient.OrderQueryResult;
  };
  return { ...body.data, pay_status: payStatus };
}

describe('trade order_query → the payment callback it stands for', () => {
  it('SUCCESS: the key, amount and ids of a SUCCESS callback for the same order', () => {
    const answer = recordedOrderQuery('SUCCESS');
    const event = tradePaymentEventFromQuery(answer, { now: () => 1_704_427_300_000 });
    const callback = verifyTradeCallback(
      signedTradeCallback({
        type: 'payment',
        msg: { out_order_no: answer.out_order_no, order_id: answer.order_id, status: 'SUCCESS' },
      }),
      { publicKey: douyin.platformPublicKey },
    );
    expect(event?.key).toBe(callback.key);
    expect(event).toMatchObject({
      platform: 'douyin',
      system: 'trade',
      type: 'payment',
      reconciled: true,
      msg: {
        out_order_no: answer.out_order_no,
        order_id: answer.order_id,
        total_amount: answer.total_amount,
        status: 'SUCCESS',
        event_time: answer.pay_time,
      },
    });
    expect(JSON.parse(event?.rawMsg ?? '')).toEqual(event?.msg);
  });

  it('TIMEOUT and FAIL: a CANCEL, keyed as the CANCEL callback; PROCESS: nothing yet', () => {
    for (const payStatus of ['TIMEOUT', 'FAIL']) {
      const answer = recordedOrderQuery(payStatus);
      const event = tradePaymentEventFromQuery(answer);
      const callback = verifyTradeCallback(
        signedTradeCallback({
          type: 'payment',
          msg: { out_order_no: answer.out_order_no, status: 'CANCEL' },
        }),
        { publicKey: douyin.platformPublicKey },
      );
      expect(event?.msg.status).toBe('CANCEL');
      expect(event?.key).toBe(callback.key);
    }
    expect(tradePaymentEventFromQuery(recordedOrderQuery('PROCESS'))).toBeUndefined();
  });
});

describe('ecpay query_order → the payment callback it stands for', () => {
  const answer = (orderStatus: string): DouyinEcpayClient.QueryOrderResult => ({
    err_no: 0,
    err_tips: '',
    out_order_no: 'order_1001',
    order_id: 'N7001112223334445556',
    payment_info: {
      total_fee: 9900,
      order_status: orderStatus,
      pay_time: '2024-01-05 12:00:00',
      way: 10,
      channel_no: 'ch_1',
      seller_uid: '70001',
      item_id: '',
      cp_extra: '{"sku":"tea"}',
    },
  });

  it('SUCCESS: the key of a SUCCESS callback for the same cp_orderno, with the amount and order_id', () => {
    const event = ecpayPaymentEventFromQuery('order_1001', answer('SUCCESS'), { appId: douyin.appId });
    const callback = verifyEcpayCallback(
      {
        rawBody: signedEcpayCallback({
          type: 'payment',
          msg: { cp_orderno: 'order_1001', status: 'SUCCESS' },
        }).body,
      },
      { token: douyin.token },
    );
    expect(event?.key).toBe(callback.key);
    expect(event?.msg).toMatchObject({
      appid: douyin.appId,
      cp_orderno: 'order_1001',
      total_amount: 9900,
      status: 'SUCCESS',
      way: '10', // the callback's string, from the query's number
      order_id: 'N7001112223334445556',
      cp_extra: '{"sku":"tea"}',
    });
    expect(event?.reconciled).toBe(true);
  });

  it('anything but SUCCESS is no payment event (ecpay notifies successes only)', () => {
    for (const status of ['PROCESSING', 'TIMEOUT', 'FAIL']) {
      expect(
        ecpayPaymentEventFromQuery('order_1001', answer(status), { appId: douyin.appId }),
      ).toBeUndefined();
    }
  });
});
