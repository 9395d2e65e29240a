import type { KeyObject } from 'node:crypto';
import { type VerifyEcpayCallbackOptions, verifyEcpayCallbackFields } from '../../ecpay/verify-callback.js';
import { TtpayError } from '../../errors.js';
import type {
  DouyinEvent,
  EcpayPaymentEvent,
  EcpayRefundEvent,
  EcpaySettleEvent,
  TradePaymentEvent,
  TradeRefundEvent,
  TradeSettleEvent,
} from '../../events.js';
import { type KeyLike, toPublicKey } from '../../shared/key-like.js';
import { nonNegativeSeconds, secretList } from '../../shared/option-checks.js';
import {
  isTradeCallbackBody,
  type VerifyTradeCallbackOptions,
  verifyTradeCallbackParsed,
} from '../../trade/callback.js';
import { type BoundHandler, createEndpoint } from '../create-endpoint.js';
import { DeliveryError } from '../delivery-error.js';
import {
  type DeliveryHooks,
  type DeliveryOptions,
  requireSomeHandler,
  resolveDeliverySettings,
} from '../options.js';
import { douyinReplies } from '../replies.js';
import { douyinReplyJson } from '../reply-data.js';
import type {
  DeliveryEndpoint,
  DeliveryHandler,
  EndpointAdapter,
  HandlerContext,
  RejectedContext,
} from '../types.js';
import { webContext } from '../web-context.js';

/** How Douyin callbacks are verified: ecpay with the Token, the trade system with the platform key. */
export interface DouyinVerifyOptions {
  /** The console "Token" that signs ecpay callbacks; several during rotation. Needed for ecpay. */
  token?: string | readonly string[] | undefined;
  /**
   * The platform public key(s) that sign trade-system callbacks (PEM, DER, base64 or KeyObject; parsed
   * once here); several during rotation. Needed for the trade system.
   */
  platformPublicKey?: KeyLike | readonly KeyLike[] | undefined;
  /** How far a trade callback's `Byte-Timestamp` may be from this server's clock. Default 300 s. */
  toleranceSeconds?: number | undefined;
  /** Opt-in maximum age of an ecpay callback's `timestamp`, in seconds. Default: none (PROTOCOLS.md §1.3). */
  maxAgeSeconds?: number | undefined;
  /** Clock in milliseconds, for the timestamp checks. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * A Douyin endpoint's options. Handlers get the event and `C`, the adapter's context (`webHandler`:
 * `{ rawBody, tx, request }`). A handler whose callback answers with data returns `douyinReply({...})`.
 */
export interface DouyinEndpointOptions<C, CR = C, Tx = undefined>
  extends DouyinVerifyOptions,
    DeliveryOptions<Tx>,
    DeliveryHooks<DouyinEvent, C, CR> {
  /** Payment callbacks, ecpay or trade (narrow on `event.system`). */
  onPayment?: DeliveryHandler<EcpayPaymentEvent | TradePaymentEvent, C> | undefined;
  onRefund?: DeliveryHandler<EcpayRefundEvent | TradeRefundEvent, C> | undefined;
  onSettle?: DeliveryHandler<EcpaySettleEvent | TradeSettleEvent, C> | undefined;
  /** Every event the handlers above do not take, including types ttpay does not model (`type: 'other'`). */
  onEvent?: DeliveryHandler<DouyinEvent, C> | undefined;
}

/**
 * One endpoint for Douyin payment callbacks, both systems: a body with `version` is a trade-system
 * callback (RSA over headers and body), any other an ecpay one (SHA-1 `msg_signature` in the body)
 * (PROTOCOLS.md §2, "Mixed systems"). Serve it with `webHandler` (Hono, Next.js, Bun, Deno) or
 * `@ttpay/koa`'s `douyinCallbacks`, which is this endpoint behind Koa.
 */
export function douyinEndpoint<
  Tx = undefined,
  Req = Request,
  C = HandlerContext<Tx, Req>,
  CR = RejectedContext<Req>,
>(
  options: DouyinEndpointOptions<C, CR, Tx>,
  adapter: EndpointAdapter<Req, C> = webContext as EndpointAdapter<Req, C>,
): DeliveryEndpoint<Req> {
  const name = adapter.name ?? 'douyinEndpoint';
  const { onPayment, onRefund, onSettle, onEvent, toleranceSeconds, maxAgeSeconds, now } = options;
  const tokens = options.token === undefined ? undefined : secretList(options.token, 'token');
  const publicKeys = options.platformPublicKey === undefined ? undefined : keyList(options.platformPublicKey);
  if (!tokens && !publicKeys) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      `${name}() needs token (ecpay callbacks) and/or platformPublicKey (trade-system callbacks).`,
    );
  }
  if (toleranceSeconds !== undefined) nonNegativeSeconds(toleranceSeconds, 'toleranceSeconds');
  if (maxAgeSeconds !== undefined) nonNegativeSeconds(maxAgeSeconds, 'maxAgeSeconds');
  requireSomeHandler(name, onPayment, onRefund, onSettle, onEvent);
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
  const notConfigured = (system: string, option: string) =>
    new DeliveryError(
      'NOT_CONFIGURED',
      `A ${system} callback arrived but ${name}() has no ${option}: configure it to verify these callbacks.`,
    );
  // The handlers' context type is the adapter's; the engine hands them exactly what the adapter built.
  const bound = (handler: DeliveryHandler<never, C> | undefined) => handler as BoundHandler | undefined;

  return createEndpoint<DouyinEvent, Req>(
    {
      platform: 'douyin',
      replies: douyinReplies,
      verify(body, headers) {
        if (isTradeCallbackBody(body.json)) {
          if (!tradeOptions) throw notConfigured('trade-system', 'platformPublicKey');
          return verifyTradeCallbackParsed(body, headers, tradeOptions);
        }
        if (!ecpayOptions) throw notConfigured('ecpay', 'token');
        // ecpay signs field values (`msg` is a JSON string inside the body), not the body's bytes: the
        // body parsed once from those bytes verifies exactly, and its headers are never read.
        return verifyEcpayCallbackFields(body.json, ecpayOptions);
      },
      route(event) {
        switch (event.type) {
          case 'payment':
            return bound(onPayment) ?? bound(onEvent);
          case 'refund':
            return bound(onRefund) ?? bound(onEvent);
          case 'settle':
            return bound(onSettle) ?? bound(onEvent);
          default:
            return bound(onEvent);
        }
      },
      describe: (event) =>
        `${event.system}.${event.type === 'other' ? event.callbackType || 'untyped' : event.type}`,
      replyJson: douyinReplyJson,
    },
    resolveDeliverySettings(options),
    adapter,
  );
}

function keyList(key: KeyLike | readonly KeyLike[]): KeyObject[] {
  const keys = (Array.isArray(key) ? key : [key]).map(toPublicKey);
  if (keys.length === 0) throw new TtpayError('INVALID_ARGUMENT', 'platformPublicKey is an empty list.');
  return keys;
}
