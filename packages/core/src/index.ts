export { signAlgoVoiWebhook, verifyAlgoVoiWebhook } from './algovoi/webhook.js';
export { type ApplyOnceOptions, applyOnce, type SettledClaim, settleClaim } from './apply-once.js';
export { type EcpayCallbackFields, signEcpayCallback } from './ecpay/callback-signature.js';
export { renderGoValue } from './ecpay/go-value.js';
export {
  ECPAY_UNSIGNED_KEYS,
  ecpayRequestSigningString,
  goTrimSpace,
  signEcpayRequest,
} from './ecpay/sign-request.js';
export {
  type VerifyEcpayCallbackOptions,
  verifyEcpayCallback,
  verifyEcpayCallbackFields,
} from './ecpay/verify-callback.js';
export { CodedError, isTtpayError, TtpayError, type TtpayErrorCode } from './errors.js';
export { ecpayPaymentKey, tradePaymentKey } from './event-keys.js';
export type * from './events.js';
export { TIKTOK_WEBHOOK_TYPES } from './events.js';
export {
  type Claim,
  digestKey,
  eventRef,
  type IdempotencyStore,
  isTransactionalStore,
  type Lease,
  newLeaseToken,
  storableKey,
  type TransactionalIdempotencyStore,
} from './idempotency.js';
export { constantTimeEqual } from './shared/constant-time.js';
export { type KeyLike, toPrivateKey, toPublicKey } from './shared/key-like.js';
export type { RawBody } from './shared/raw-body.js';
export { compareUtf8, sortUtf8, sortUtf8AndJoin } from './shared/utf8-order.js';
export { signTikTokRequest, type TikTokQuery, type TikTokRequestToSign } from './tiktok/sign-request.js';
export { signTikTokWebhook, type TikTokWebhookCredentials, verifyTikTokWebhook } from './tiktok/webhook.js';
export {
  DEFAULT_TRADE_TOLERANCE_SECONDS,
  type HeaderMap,
  headerValue,
  isTradeCallbackBody,
  signTradeCallback,
  tradeCallbackSigningBytes,
  type VerifyTradeCallbackOptions,
  verifyTradeCallback,
} from './trade/callback.js';
export {
  BYTE_AUTHORIZATION_SCHEME,
  type ByteAuthorizationParams,
  buildByteAuthorization,
  type ParsedByteAuthorization,
  parseByteAuthorization,
  signTradeRequest,
  type TradeRequest,
  tradeRequestSigningBytes,
  verifyByteAuthorization,
} from './trade/sign-request.js';
