/**
 * `@ttpay/core/internal`: what ttpay's own packages (koa, client, the stores, the simulator) and its
 * benchmarks share beyond the public API — option checks, the default loggers, store capabilities,
 * event keys, the platform side of request signing. (Claim settlement and header lookup are the delivery
 * engine's own now, inside core.) NOT covered by semver: it changes with
 * the other @ttpay packages, released together. Apps import from `@ttpay/core`.
 */
export {
  ecpayPaymentKey,
  ecpayRefundKey,
  ecpaySettleKey,
  tradePaymentKey,
  tradeRefundKey,
  tradeSettleKey,
} from './event-keys.js';
export { isAtomicStore, isTransactionalStore } from './idempotency.js';
export { consoleLogger, silentLogger } from './logger.js';
export { answerWithin } from './shared/answer-within.js';
export { constantTimeEqual } from './shared/constant-time.js';
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
export { sortUtf8AndJoin } from './shared/utf8-order.js';
export { tradeCallbackSigningBytes } from './trade/callback.js';
export { tradeRequestSigningBytes, verifyByteAuthorization } from './trade/sign-request.js';
