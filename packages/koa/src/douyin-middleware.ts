import type { KeyObject } from 'node:crypto';
import {
  type DouyinEvent,
  type EcpayPaymentEvent,
  type EcpayRefundEvent,
  type EcpaySettleEvent,
  isTradeCallbackBody,
  type KeyLike,
  type TradePaymentEvent,
  type TradeRefundEvent,
  type TradeSettleEvent,
  TtpayError,
  toPublicKey,
  type VerifyEcpayCallbackOptions,
  type VerifyTradeCallbackOptions,
  verifyEcpayCallbackFields,
  verifyTradeCallback,
} from '@ttpay/core';
import { nonNegativeSeconds, secretList } from '@ttpay/core/internal';
import type { Middleware } from 'koa';
import { requireSomeHandler, resolveDeliverySettings } from './delivery-settings.js';
import { DeliveryError } from './errors.js';
import { bindHandler, createDeliveryMiddleware } from './process-delivery.js';
import { douyinReplies } from './replies.js';
import type { DeliveryOptions, PaymentClientSlots, PaymentHandler, RegisteredClients } from './types.js';

export interface DouyinCallbacksOptions<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>
  extends DeliveryOptions<DouyinEvent, C, Tx> {
  /** The console "Token" that signs ecpay callbacks; several during rotation. Needed for ecpay. */
  token?: string | readonly string[];
  /**
   * The platform public key(s) that sign trade-system callbacks (PEM, DER, base64 or KeyObject; parsed
   * once here); several during rotation. Needed for the trade system.
   */
  platformPublicKey?: KeyLike | readonly KeyLike[];
  /** How far a trade callback's `Byte-Timestamp` may be from this server's clock. Default 300 s. */
  toleranceSeconds?: number;
  /** Opt-in maximum age of an ecpay callback's `timestamp`, in seconds. Default: none (PROTOCOLS.md §1.3). */
  maxAgeSeconds?: number;
  /** Clock in milliseconds, for the timestamp checks. Default `Date.now`. */
  now?: () => number;
  /** Payment callbacks, ecpay or trade (narrow on `event.system`). */
  onPayment?: PaymentHandler<EcpayPaymentEvent | TradePaymentEvent, C, Tx>;
  onRefund?: PaymentHandler<EcpayRefundEvent | TradeRefundEvent, C, Tx>;
  onSettle?: PaymentHandler<EcpaySettleEvent | TradeSettleEvent, C, Tx>;
  /** Every event the handlers above do not take, including types ttpay does not model (`type: 'other'`). */
  onEvent?: PaymentHandler<DouyinEvent, C, Tx>;
}

/**
 * One endpoint for Douyin payment callbacks, both systems: a body with `version` is a trade-system
 * callback (RSA over headers and body), any other an ecpay one (SHA-1 `msg_signature` in the body)
 * (PROTOCOLS.md §2, "Mixed systems").
 */
export function douyinCallbacks<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>(
  options: DouyinCallbacksOptions<C, Tx>,
): Middleware {
  const { onPayment, onRefund, onSettle, onEvent, toleranceSeconds, maxAgeSeconds, now } = options;
  const tokens = options.token === undefined ? undefined : secretList(options.token, 'token');
  const publicKeys = options.platformPublicKey === undefined ? undefined : keyList(options.platformPublicKey);
  if (!tokens && !publicKeys) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      'douyinCallbacks() needs token (ecpay callbacks) and/or platformPublicKey (trade-system callbacks).',
    );
  }
  if (toleranceSeconds !== undefined) nonNegativeSeconds(toleranceSeconds, 'toleranceSeconds');
  if (maxAgeSeconds !== undefined) nonNegativeSeconds(maxAgeSeconds, 'maxAgeSeconds');
  requireSomeHandler('douyinCallbacks', onPayment, onRefund, onSettle, onEvent);
  const ecpayOptions: VerifyEcpayCallbackOptions | undefined = tokens && {
    token: tokens,
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    ...(now ? { now } : {}),
  };
  const tradeOptions: VerifyTradeCallbackOptions | undefined = publicKeys && {
    publicKey: publicKeys,
    ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }),
    ...(now ? { now } : {}),
  };

  const handle = createDeliveryMiddleware<DouyinEvent, C, Tx>({
    name: 'douyinCallbacks',
    platform: 'douyin',
    replies: douyinReplies,
    settings: resolveDeliverySettings(options),
    verify(delivery) {
      if (isTradeCallbackBody(delivery.body)) {
        if (!tradeOptions) throw notConfigured('trade-system', 'platformPublicKey');
        return verifyTradeCallback({ headers: delivery.headers, rawBody: delivery.raw }, tradeOptions);
      }
      if (!ecpayOptions) throw notConfigured('ecpay', 'token');
      // ecpay signs field values (`msg` is a JSON string inside the body), not the body's bytes: the
      // body parsed once from those bytes verifies exactly, and its headers are never built.
      return verifyEcpayCallbackFields(delivery.body, ecpayOptions);
    },
    route(event) {
      switch (event.type) {
        case 'payment':
          return bindHandler(onPayment, event) ?? bindHandler(onEvent, event);
        case 'refund':
          return bindHandler(onRefund, event) ?? bindHandler(onEvent, event);
        case 'settle':
          return bindHandler(onSettle, event) ?? bindHandler(onEvent, event);
        default:
          return bindHandler(onEvent, event);
      }
    },
    describe: (event) =>
      `${event.system}.${event.type === 'other' ? event.callbackType || 'untyped' : event.type}`,
  });
  return function douyinCallbacks(ctx, next) {
    return handle(ctx, next);
  };
}

function keyList(key: KeyLike | readonly KeyLike[]): KeyObject[] {
  const keys = (Array.isArray(key) ? key : [key]).map(toPublicKey);
  if (keys.length === 0) throw new TtpayError('INVALID_ARGUMENT', 'platformPublicKey is an empty list.');
  return keys;
}

function notConfigured(system: string, option: string): DeliveryError {
  return new DeliveryError(
    'NOT_CONFIGURED',
    `A ${system} callback arrived but douyinCallbacks() has no ${option}: configure it to verify these callbacks.`,
  );
}
