export {
  ALGOVOI_SIGNATURE_HEADER,
  type SignAlgoVoiWebhookOptions,
  signAlgoVoiSeedWebhook,
  signAlgoVoiWebhook,
  type VerifyAlgoVoiWebhookOptions,
  verifyAlgoVoiWebhook,
} from './algovoi/webhook.js';
export { type ApplyOnceOptions, applyOnce } from './apply-once.js';
export { isPublishedDemoKey, isPublishedDemoValue } from './demo-credentials.js';
export { type EcpayCallbackFields, signEcpayCallback } from './ecpay/callback-signature.js';
export { ecpayRequestSigningString, signEcpayRequest } from './ecpay/sign-request.js';
export {
  type VerifyEcpayCallbackOptions,
  verifyEcpayCallback,
  verifyEcpayCallbackFields,
} from './ecpay/verify-callback.js';
export { CodedError, isTtpayError, TtpayError, type TtpayErrorCode } from './errors.js';
export type * from './events.js';
export { ALGOVOI_EVENT_TYPES, TIKTOK_WEBHOOK_TYPES } from './events.js';
export {
  type AtomicIdempotencyStore,
  type AtomicRun,
  type Claim,
  eventRef,
  type IdempotencyStore,
  type Lease,
  newLeaseToken,
  type StoreErrorCode,
  storableKey,
  type TransactionalIdempotencyStore,
} from './idempotency.js';
export type { TtpayLogger } from './logger.js';
export type { HeaderMap } from './shared/headers.js';
export { type KeyLike, toPrivateKey, toPublicKey } from './shared/key-like.js';
export type { RawBody } from './shared/raw-body.js';
export type { SignedRequest } from './shared/signed-request.js';
export { signTikTokRequest, type TikTokQuery, type TikTokRequestToSign } from './tiktok/sign-request.js';
export {
  signTikTokWebhook,
  type TikTokWebhookCredentials,
  type VerifyTikTokWebhookOptions,
  verifyTikTokWebhook,
} from './tiktok/webhook.js';
export {
  DEFAULT_TRADE_TOLERANCE_SECONDS,
  isTradeCallbackBody,
  signTradeCallback,
  type VerifyTradeCallbackOptions,
  verifyTradeCallback,
} from './trade/callback.js';
export {
  type ByteAuthorizationParams,
  buildByteAuthorization,
  type ParsedByteAuthorization,
  parseByteAuthorization,
  signTradeRequest,
  type TradeRequest,
} from './trade/sign-request.js';
