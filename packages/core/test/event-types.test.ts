import { describe, expectTypeOf, it } from 'vitest';
// The bodies' interfaces by their module names: `@ttpay/core` reaches them through the events.
import type {
  EcpayPaymentMsg,
  EcpayRefundMsg,
  TikTokCancellationStatusData,
  TikTokOrderStatusData,
  TradePaymentMsg,
} from '../src/events.js';
import type {
  AlgoVoiEvent,
  EcpayEvent,
  TikTokEvent,
  TikTokEventOf,
  TradeEvent,
  TtpayEvent,
} from '../src/index.js';
import { verifyEcpayCallback, verifyTikTokWebhook, verifyTradeCallback } from '../src/index.js';

describe('event unions narrow by their discriminants', () => {
  it('verifiers return their platform union', () => {
    expectTypeOf(verifyEcpayCallback).returns.toEqualTypeOf<EcpayEvent>();
    expectTypeOf(verifyTradeCallback).returns.toEqualTypeOf<TradeEvent>();
    expectTypeOf(verifyTikTokWebhook).returns.toEqualTypeOf<TikTokEvent>();
  });

  it('Douyin events narrow on system and type', () => {
    const handle = (event: TtpayEvent) => {
      if (event.platform === 'douyin' && event.system === 'ecpay' && event.type === 'payment') {
        expectTypeOf(event.msg).toEqualTypeOf<EcpayPaymentMsg>();
        expectTypeOf(event.msg.total_amount).toEqualTypeOf<number>();
      }
      if (event.platform === 'douyin' && event.system === 'ecpay' && event.type === 'refund') {
        expectTypeOf(event.msg).toEqualTypeOf<EcpayRefundMsg>();
        // @ts-expect-error refunds carry cp_refundno, not cp_orderno as a typed field of string
        expectTypeOf(event.msg.cp_orderno).toEqualTypeOf<string>();
      }
      if (event.platform === 'douyin' && event.system === 'trade' && event.type === 'payment') {
        expectTypeOf(event.msg).toEqualTypeOf<TradePaymentMsg>();
        expectTypeOf(event.version).toEqualTypeOf<string>();
      }
      if (event.platform === 'douyin' && event.type === 'other') {
        expectTypeOf(event.callbackType).toEqualTypeOf<string>();
      }
      if (event.platform === 'algovoi') {
        expectTypeOf(event).toEqualTypeOf<AlgoVoiEvent>();
      }
    };
    expectTypeOf(handle).parameter(0).toEqualTypeOf<TtpayEvent>();
  });

  it('TikTok events narrow on name', () => {
    const handle = (event: TikTokEvent) => {
      if (event.name === 'ORDER_STATUS_CHANGE') {
        expectTypeOf(event.type).toEqualTypeOf<1>();
        expectTypeOf(event.data).toEqualTypeOf<TikTokOrderStatusData>();
        expectTypeOf(event.data.order_id).toEqualTypeOf<string>();
      }
      if (event.name === 'CANCELLATION_STATUS_CHANGE') {
        expectTypeOf(event.data).toEqualTypeOf<TikTokCancellationStatusData>();
        expectTypeOf(event.data.cancel_status).toEqualTypeOf<string | undefined>();
        // @ts-expect-error type 11 carries cancel_status, not order_status (docs/PROTOCOLS.md §3.1)
        expectTypeOf(event.data.order_status).toEqualTypeOf<string>();
      }
      if (event.name === 'UNKNOWN') {
        expectTypeOf(event.type).toEqualTypeOf<number>();
        expectTypeOf(event.data).toEqualTypeOf<Record<string, unknown>>();
      }
    };
    expectTypeOf(handle).toBeFunction();
    expectTypeOf<TikTokEventOf<'RETURN_STATUS_CHANGE'>['type']>().toEqualTypeOf<12>();
    // @ts-expect-error not a TikTok webhook name
    expectTypeOf<TikTokEventOf<'ORDER_PAID'>>().toBeNever();
  });
});
