import type { KeyObject } from 'node:crypto';
import { type VerifyEcpayCallbackOptions, verifyEcpayCallbackFields } from '../../ecpay/verify-callback.js';
import { TtpayError } from '../../errors.js';
import type {
  DouyinEvent,
  EcpayPaymentEvent,
  EcpayRefundEvent,
  EcpaySettleEvent,
  TradePaymentEvent,
  TradeRefundApplicationEvent,
  TradeRefundEvent,
  TradeSettleEvent,
} from '../../events.js';
import { type KeyLike, toPublicKey } from '../../shared/key-like.js';
import { nonEmptyString, nonNegativeSeconds, secretList } from '../../shared/option-checks.js';
import {
  DEFAULT_TRADE_TOLERANCE_SECONDS,
  isTradeCallbackBody,
  type VerifyTradeCallbackOptions,
  verifyTradeCallbackParsed,
} from '../../trade/callback.js';
import { type BoundHandler, createEndpoint } from '../create-endpoint.js';
import { DOUYIN_DONE_TTL_MS } from '../defaults.js';
import { DeliveryError } from '../delivery-error.js';
import {
  type DeliveryHooks,
  type DeliveryOptions,
  requireSomeHandler,
  resolveDeliverySettings,
} from '../options.js';
import { douyinReplies } from '../replies.js';
import { checkRefundApplicationReply, douyinReplyJson, type RefundApplicationReply } from '../reply-data.js';
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
  /**
   * How far a trade callback's `Byte-Timestamp` may be from this server's clock, in seconds. Default 73
   * hours: whether a retry carries a fresh timestamp is undocumented and the refund application is
   * retried for 72 hours, so a narrower window could refuse a documented retry. Replays are harmless all
   * the same: the signature covers the bytes and the store answers a handled key as a duplicate
   * (PROTOCOLS.md §2.3).
   */
  toleranceSeconds?: number | undefined;
  /** Opt-in maximum age of an ecpay callback's `timestamp`, in seconds. Default: none (PROTOCOLS.md §1.3). */
  maxAgeSeconds?: number | undefined;
  /** Clock in milliseconds, for the timestamp checks. Default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * Your mini-program's app id (`tt…`). When set, a verified callback whose `app_id` / `appid` names
   * another app is refused (400 APP_ID_MISMATCH, never applied): a Token or key shared by several apps,
   * or a notify URL copied from one to another, must not let one app's payment pay another's order.
   * Strongly recommended.
   */
  appId?: string | undefined;
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
  /**
   * The refund application (退款申请回调, trade system): a user or customer service started a refund and
   * the platform asks for the shop's refund number. Return `douyinReply({ out_refund_no, … })` — the same
   * number for every repeat of its `refund_id`; returning nothing is MISSING_REPLY_DATA (not
   * acknowledged, asked again every 10 minutes for 72 hours, then passed with a number the platform makes
   * up). To refuse a refund, answer here and refuse it at the audit (`refundAuditCallback`)
   * (PROTOCOLS.md §2.5).
   */
  onRefundApplication?: RefundApplicationHandler<C> | undefined;
  /** Every event the handlers above do not take, including types ttpay does not model (`type: 'other'`). */
  onEvent?: DeliveryHandler<DouyinEvent, C> | undefined;
}

/** `onRefundApplication`: resolves to the answer the platform needs (its `out_refund_no`), never nothing. */
export type RefundApplicationHandler<C> = (
  event: TradeRefundApplicationEvent,
  context: C,
) => RefundApplicationReply | PromiseLike<RefundApplicationReply>;

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
  const {
    onPayment,
    onRefund,
    onSettle,
    onRefundApplication,
    onEvent,
    toleranceSeconds,
    maxAgeSeconds,
    now,
  } = options;
  const appId = options.appId === undefined ? undefined : nonEmptyString(options.appId, 'appId');
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
  requireSomeHandler(name, onPayment, onRefund, onSettle, onRefundApplication, onEvent);
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
  // The refund application's answer is checked inside the claim, whichever handler takes it: a handler
  // that answers no out_refund_no is not acknowledged (and, with a transactional store, rolled back).
  const refundApplication = bound(onRefundApplication) ?? bound(onEvent);
  const answersRefundApplication: BoundHandler | undefined =
    refundApplication &&
    (async (event, context) => checkRefundApplicationReply(await refundApplication(event, context)));
  const settings = resolveDeliverySettings(options, { doneTtlMs: DOUYIN_DONE_TTL_MS });
  const window = tradeOptions ? (toleranceSeconds ?? DEFAULT_TRADE_TOLERANCE_SECONDS) : 0;
  if (settings.doneTtlMs < window * 1000) {
    settings.logger.warn(
      { doneTtlMs: settings.doneTtlMs, toleranceSeconds: window },
      `ttpay: ${name}() keeps handled keys (doneTtlMs) shorter than it accepts a trade callback's Byte-Timestamp (toleranceSeconds): a callback replayed in between would run the handler again`,
    );
  }

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
          case 'pre_create_refund':
            return answersRefundApplication;
          default:
            return bound(onEvent);
        }
      },
      describe: (event) =>
        `${event.system}.${event.type === 'other' ? event.callbackType || 'untyped' : event.type}`,
      replyJson: douyinReplyJson,
      check: appId === undefined ? undefined : (event) => appIdMismatch(event, appId),
      needsReplyData: (event) => event.type === 'pre_create_refund',
    },
    settings,
    adapter,
  );
}

/**
 * APP_ID_MISMATCH when the event names another app: ecpay payments and refunds carry `appid`, ecpay
 * settlements and every trade callback `app_id` (PROTOCOLS.md §1.3, §2.3). A msg that names none passes.
 */
function appIdMismatch(event: DouyinEvent, appId: string): DeliveryError | undefined {
  const msg = event.msg as Record<string, unknown>;
  const named = typeof msg.app_id === 'string' ? msg.app_id : msg.appid;
  if (typeof named !== 'string' || named === '' || named === appId) return undefined;
  return new DeliveryError(
    'APP_ID_MISMATCH',
    `A ${event.system} callback signed for another mini-program (app id ${JSON.stringify(named.slice(0, 64))}) reached the endpoint of ${appId}: refused, never applied.`,
  );
}

function keyList(key: KeyLike | readonly KeyLike[]): KeyObject[] {
  const keys = (Array.isArray(key) ? key : [key]).map(toPublicKey);
  if (keys.length === 0) throw new TtpayError('INVALID_ARGUMENT', 'platformPublicKey is an empty list.');
  return keys;
}
