/**
 * Names `@ttpay/core` 0.1 exported that 0.2 no longer does, kept for one release so that code written
 * against 0.1 still compiles (with a strikethrough and the replacement in the editor). Each goes in the
 * next minor release; the changeset `.changeset/a-deliberate-api.md` lists them all.
 */
import {
  ALGOVOI_SIGNATURE_HEADER as algoVoiSignatureHeader,
  type SignAlgoVoiWebhookOptions as SignAlgoVoiWebhookOptionsNow,
  signAlgoVoiSeedWebhook as signAlgoVoiSeedWebhookNow,
} from './algovoi/webhook.js';
import type { ApplyOnceOptions as ApplyOnceOptionsNow } from './apply-once.js';
import type { EcpayCallbackFields as EcpayCallbackFieldsNow } from './ecpay/callback-signature.js';
import { verifyEcpayCallbackFields as verifyEcpayCallbackFieldsNow } from './ecpay/verify-callback.js';
import {
  type AlgoVoiEvent,
  ALGOVOI_EVENT_TYPES as algoVoiEventTypes,
  type EcpayPaymentEvent,
  type EcpayRefundEvent,
  type EcpaySettleEvent,
  type TikTokEventOf,
  type TikTokKnownEvent as TikTokKnownEventNow,
  type TikTokUnknownEvent as TikTokUnknownEventNow,
  type TikTokWebhookTypeNumber as TikTokWebhookTypeNumberNow,
  type TradePaymentEvent,
  type TradeRefundApplicationEvent,
  type TradeRefundEvent,
  type TradeSettleEvent,
  TIKTOK_WEBHOOK_TYPES as tikTokWebhookTypes,
} from './events.js';
import type * as Store from './idempotency.js';
import { newLeaseToken as newLeaseTokenNow, storableKey as storableKeyNow } from './idempotency.js';
import type { HeaderMap as HeaderMapNow } from './shared/headers.js';
import type { RawBody as RawBodyNow } from './shared/raw-body.js';
import type { SignedRequest as SignedRequestNow } from './shared/signed-request.js';
import type {
  TikTokQuery as TikTokQueryNow,
  TikTokRequestToSign as TikTokRequestToSignNow,
} from './tiktok/sign-request.js';
import type { TikTokWebhookCredentials as TikTokWebhookCredentialsNow } from './tiktok/webhook.js';
import { isTradeCallbackBody as isTradeCallbackBodyNow } from './trade/callback.js';
import {
  type ByteAuthorizationParams as ByteAuthorizationParamsNow,
  type ParsedByteAuthorization as ParsedByteAuthorizationNow,
  parseByteAuthorization as parseByteAuthorizationNow,
  type TradeRequest as TradeRequestNow,
} from './trade/sign-request.js';

// The idempotency-store contract: its own entry point now.

/** @deprecated Import it from `@ttpay/core/store`. */
export type IdempotencyStore = Store.IdempotencyStore;
/** @deprecated Import it from `@ttpay/core/store`. */
export type TransactionalIdempotencyStore<Tx> = Store.TransactionalIdempotencyStore<Tx>;
/** @deprecated Import it from `@ttpay/core/store`. */
export type AtomicIdempotencyStore<Tx> = Store.AtomicIdempotencyStore<Tx>;
/** @deprecated Import it from `@ttpay/core/store`. */
export type AtomicRun<R> = Store.AtomicRun<R>;
/** @deprecated Import it from `@ttpay/core/store`. */
export type Claim = Store.Claim;
/** @deprecated Import it from `@ttpay/core/store`. */
export type Lease = Store.Lease;
/** @deprecated Import it from `@ttpay/core/store`. */
export type StoreErrorCode = Store.StoreErrorCode;
/** @deprecated Import it from `@ttpay/core/store`. */
export const newLeaseToken = newLeaseTokenNow;
/** @deprecated Import it from `@ttpay/core/store`. */
export const storableKey = storableKeyNow;

// Bodies of events: reached through the event.

/** @deprecated Use `EcpayPaymentEvent['msg']`. */
export type EcpayPaymentMsg = EcpayPaymentEvent['msg'];
/** @deprecated Use `EcpayRefundEvent['msg']`. */
export type EcpayRefundMsg = EcpayRefundEvent['msg'];
/** @deprecated Use `EcpaySettleEvent['msg']`. */
export type EcpaySettleMsg = EcpaySettleEvent['msg'];
/** @deprecated Use `TradePaymentEvent['msg']`. */
export type TradePaymentMsg = TradePaymentEvent['msg'];
/** @deprecated Use `TradeRefundEvent['msg']`. */
export type TradeRefundMsg = TradeRefundEvent['msg'];
/** @deprecated Use `TradeSettleEvent['msg']`. */
export type TradeSettleMsg = TradeSettleEvent['msg'];
/** @deprecated Use `TradeRefundApplicationEvent['msg']`. */
export type TradeRefundApplicationMsg = TradeRefundApplicationEvent['msg'];
/** @deprecated Use `TikTokEventOf<'ORDER_STATUS_CHANGE'>['data']`. */
export type TikTokOrderStatusData = TikTokEventOf<'ORDER_STATUS_CHANGE'>['data'];
/** @deprecated Use `TikTokEventOf<'CANCELLATION_STATUS_CHANGE'>['data']`. */
export type TikTokCancellationStatusData = TikTokEventOf<'CANCELLATION_STATUS_CHANGE'>['data'];
/** @deprecated Use `AlgoVoiEvent['data']`. */
export type AlgoVoiPaymentConfirmedData = AlgoVoiEvent['data'];
/** @deprecated Use `AlgoVoiEvent['type']`. */
export type AlgoVoiEventType = AlgoVoiEvent['type'];
/** @deprecated Narrow on `event.type` (`AlgoVoiEvent['type']`). */
export const ALGOVOI_EVENT_TYPES = algoVoiEventTypes;
/** @deprecated Use `Exclude<TikTokEvent, { name: 'UNKNOWN' }>`, or narrow on `event.name`. */
export type TikTokKnownEvent = TikTokKnownEventNow;
/** @deprecated Use `Extract<TikTokEvent, { name: 'UNKNOWN' }>`, or narrow on `event.name`. */
export type TikTokUnknownEvent = TikTokUnknownEventNow;
/** @deprecated Use `Exclude<TikTokEvent, { name: 'UNKNOWN' }>['type']`; handlers are keyed by `name`. */
export type TikTokWebhookTypeNumber = TikTokWebhookTypeNumberNow;
/** @deprecated Narrow on `event.name` (`TikTokWebhookName`); the numbers are TikTok's, in docs/PROTOCOLS.md §3.1. */
export const TIKTOK_WEBHOOK_TYPES = tikTokWebhookTypes;

// Argument shapes: reached through their function's parameters.

/** @deprecated Use `Parameters<typeof applyOnce>[3]`. */
export type ApplyOnceOptions = ApplyOnceOptionsNow;
/** @deprecated Use `Parameters<typeof buildByteAuthorization>[0]`. */
export type ByteAuthorizationParams = ByteAuthorizationParamsNow;
/** @deprecated Use `Parameters<typeof signEcpayCallback>[0]`. */
export type EcpayCallbackFields = EcpayCallbackFieldsNow;
/** @deprecated Use `Parameters<typeof verifyTradeCallback>[0]['headers']`. */
export type HeaderMap = HeaderMapNow;
/** @deprecated Use `string | Uint8Array`. */
export type RawBody = RawBodyNow;
/** @deprecated Use `Parameters<typeof verifyTradeCallback>[0]`. */
export type SignedRequest = SignedRequestNow;
/** @deprecated Use `Parameters<typeof signAlgoVoiWebhook>[2]`. */
export type SignAlgoVoiWebhookOptions = SignAlgoVoiWebhookOptionsNow;
/** @deprecated Use `Parameters<typeof signTikTokRequest>[0]['query']`. */
export type TikTokQuery = TikTokQueryNow;
/** @deprecated Use `Parameters<typeof signTikTokRequest>[0]`. */
export type TikTokRequestToSign = TikTokRequestToSignNow;
/** @deprecated Use `Parameters<typeof signTikTokWebhook>[1]`. */
export type TikTokWebhookCredentials = TikTokWebhookCredentialsNow;
/** @deprecated Use `Parameters<typeof signTradeRequest>[0]`. */
export type TradeRequest = TradeRequestNow;
/** @deprecated The fields are the ones you passed to `buildByteAuthorization`. */
export type ParsedByteAuthorization = ParsedByteAuthorizationNow;

// What the delivery engine and the platform's side use: no longer public.

/** @deprecated The header is `x-algovoi-signature`; `verifyAlgoVoiWebhook` reads it from the headers. */
export const ALGOVOI_SIGNATURE_HEADER = algoVoiSignatureHeader;
/** @deprecated In tests, `signedAlgoVoiWebhook({ scheme: 'seed' })` of `@ttpay/testing`. */
export const signAlgoVoiSeedWebhook = signAlgoVoiSeedWebhookNow;
/** @deprecated Verify the raw bytes: `verifyEcpayCallback({ rawBody }, options)`. */
export const verifyEcpayCallbackFields = verifyEcpayCallbackFieldsNow;
/** @deprecated A trade-system body carries a non-empty `version` (docs/PROTOCOLS.md §2); the engine routes it. */
export const isTradeCallbackBody = isTradeCallbackBodyNow;
/** @deprecated The header's fields are the ones you passed to `buildByteAuthorization`. */
export const parseByteAuthorization = parseByteAuthorizationNow;
