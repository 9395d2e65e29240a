/**
 * `@ttpay/core`: every signature the platforms use (sign and verify), the typed events a verifier
 * returns, `TtpayError` and the logger shape. The idempotency-store contract is `@ttpay/core/store`, the
 * delivery engine `@ttpay/core/delivery`. A parameter or answer shape not named here is reached through
 * its function (`Parameters<typeof signTradeRequest>[0]`, `TradePaymentEvent['msg']`).
 */
export {
  signAlgoVoiWebhook,
  type VerifyAlgoVoiWebhookOptions,
  verifyAlgoVoiWebhook,
} from './algovoi/webhook.js';
export { applyOnce } from './apply-once.js';
export { isPublishedDemoKey, isPublishedDemoValue } from './demo-credentials.js';
export * from './deprecated.js';
export { signEcpayCallback } from './ecpay/callback-signature.js';
export { ecpayRequestSigningString, signEcpayRequest } from './ecpay/sign-request.js';
export { type VerifyEcpayCallbackOptions, verifyEcpayCallback } from './ecpay/verify-callback.js';
export { CodedError, isTtpayError, TtpayError, type TtpayErrorCode } from './errors.js';
export type {
  AlgoVoiEvent,
  DouyinEvent,
  EcpayEvent,
  EcpayOtherEvent,
  EcpayPaymentEvent,
  EcpayRefundEvent,
  EcpaySettleEvent,
  TikTokEvent,
  TikTokEventOf,
  TikTokWebhookName,
  TradeEvent,
  TradeOtherEvent,
  TradePaymentEvent,
  TradeRefundApplicationEvent,
  TradeRefundEvent,
  TradeSettleEvent,
  TtpayEvent,
} from './events.js';
export { eventRef } from './idempotency.js';
export type { TtpayLogger } from './logger.js';
export { type KeyLike, toPrivateKey, toPublicKey } from './shared/key-like.js';
export { signTikTokRequest } from './tiktok/sign-request.js';
export { signTikTokWebhook, type VerifyTikTokWebhookOptions, verifyTikTokWebhook } from './tiktok/webhook.js';
export {
  DEFAULT_TRADE_TOLERANCE_SECONDS,
  signTradeCallback,
  type VerifyTradeCallbackOptions,
  verifyTradeCallback,
} from './trade/callback.js';
export { buildByteAuthorization, signTradeRequest } from './trade/sign-request.js';
