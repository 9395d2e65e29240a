/**
 * `@ttpay/core/internal`: what ttpay's own packages (koa, client, the stores, testing, the simulator) and
 * its benchmarks share beyond the public API — option checks, the default loggers, store capabilities,
 * event keys, the platform's side of signing (parsing `Byte-Authorization`, the seed AlgoVoi scheme), the
 * signing inputs the benchmarks time. NOT for apps and NOT covered by semver: it changes with the other
 * @ttpay packages, released together. Apps import from `@ttpay/core`; store authors from
 * `@ttpay/core/store`.
 */
export { signAlgoVoiSeedWebhook } from './algovoi/webhook.js';
export {
  ecpayPaymentKey,
  ecpayRefundKey,
  ecpaySettleKey,
  tradePaymentKey,
  tradeRefundKey,
  tradeSettleKey,
} from './event-keys.js';
export { TIKTOK_WEBHOOK_TYPES } from './events.js';
export { isAtomicStore, isTransactionalStore } from './idempotency.js';
export { consoleLogger, silentLogger } from './logger.js';
export { answerWithin } from './shared/answer-within.js';
export { constantTimeEqual } from './shared/constant-time.js';
export type { HeaderMap } from './shared/headers.js';
export {
  type InvalidArgumentError,
  leaseToken,
  nonEmptyString,
  nonNegativeInteger,
  nonNegativeNumber,
  nonNegativeSeconds,
  numberInRange,
  positiveInteger,
  positiveIntegerOr,
  positiveMs,
  secretList,
} from './shared/option-checks.js';
export type { RawBody } from './shared/raw-body.js';
export type { SignedRequest } from './shared/signed-request.js';
export { sortUtf8AndJoin } from './shared/utf8-order.js';
export type { TikTokQuery } from './tiktok/sign-request.js';
export { isTradeCallbackBody, tradeCallbackSigningBytes } from './trade/callback.js';
export {
  parseByteAuthorization,
  tradeRequestSigningBytes,
  verifyByteAuthorization,
} from './trade/sign-request.js';
