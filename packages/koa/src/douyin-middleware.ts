import type {
  DouyinEvent,
  EcpayPaymentEvent,
  EcpayRefundEvent,
  EcpaySettleEvent,
  TradePaymentEvent,
  TradeRefundApplicationEvent,
  TradeRefundEvent,
  TradeSettleEvent,
} from '@ttpay/core';
import {
  type DouyinEndpointOptions,
  type DouyinVerifyOptions,
  douyinEndpoint,
  type RefundApplicationReply,
} from '@ttpay/core/delivery';
import type { Context, Middleware } from 'koa';
import { koaContext, koaMiddleware } from './koa-adapter.js';
import type { DeliveryOptions, PaymentHandler, PaymentRouteContext } from './types.js';

export interface DouyinCallbacksOptions<Tx = undefined>
  extends DouyinVerifyOptions,
    DeliveryOptions<DouyinEvent, Tx> {
  /** Payment callbacks, ecpay or trade (narrow on `event.system`). */
  onPayment?: PaymentHandler<EcpayPaymentEvent | TradePaymentEvent, Tx> | undefined;
  onRefund?: PaymentHandler<EcpayRefundEvent | TradeRefundEvent, Tx> | undefined;
  onSettle?: PaymentHandler<EcpaySettleEvent | TradeSettleEvent, Tx> | undefined;
  /**
   * The refund application (退款申请回调, trade system, `type: "pre_create_refund"`): return
   * `douyinReply({ out_refund_no, … })` with the shop's refund number — the same one for every repeat of
   * the event's `refund_id`. Returning nothing is MISSING_REPLY_DATA: not acknowledged, asked again every
   * 10 minutes for 72 hours (PROTOCOLS.md §2.5). Refuse a refund at the audit, not here.
   */
  onRefundApplication?:
    | ((
        event: TradeRefundApplicationEvent,
        ctx: PaymentRouteContext<TradeRefundApplicationEvent, Tx>,
      ) => RefundApplicationReply | PromiseLike<RefundApplicationReply>)
    | undefined;
  /** Every event the handlers above do not take, including types ttpay does not model (`type: 'other'`). */
  onEvent?: PaymentHandler<DouyinEvent, Tx> | undefined;
}

/**
 * One endpoint for Douyin payment callbacks, both systems (ecpay: SHA-1 `msg_signature` in the body;
 * trade system: RSA over headers and body; PROTOCOLS.md §2, "Mixed systems"): `douyinEndpoint` of
 * `@ttpay/core/delivery` behind Koa.
 */
export function douyinCallbacks<Tx = undefined>(options: DouyinCallbacksOptions<Tx>): Middleware {
  // Where Koa's context meets the handlers' view of it: each gets `ctx` typed with its own event.
  const endpoint = douyinEndpoint<Tx, Context, Context, Context>(
    options as DouyinEndpointOptions<Context, Context, Tx>,
    koaContext('douyinCallbacks'),
  );
  const handle = koaMiddleware(endpoint, options, 'douyinCallbacks');
  return function douyinCallbacks(ctx, next) {
    return handle(ctx, next);
  };
}
