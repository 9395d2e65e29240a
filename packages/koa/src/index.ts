export type {
  Claim,
  IdempotencyStore,
  Lease,
  TransactionalIdempotencyStore,
} from '@ttpay/core';
export { type AlgoVoiWebhooksOptions, algovoiWebhooks } from './algovoi-middleware.js';
export {
  ALGOVOI_BODY_LIMIT,
  DEFAULT_BODY_LIMIT,
  DEFAULT_CLAIM_TTL_MS,
  DEFAULT_DONE_TTL_MS,
  DEFAULT_HANDLER_TIMEOUT_MS,
  DEFAULT_MAX_ENTRIES,
  TIKTOK_HANDLER_TIMEOUT_MS,
} from './defaults.js';
export { type DouyinCallbacksOptions, douyinCallbacks } from './douyin-middleware.js';
export { DeliveryError, type DeliveryErrorCode, isDeliveryError } from './errors.js';
export { consoleLogger, type LogFn, silentLogger, type TtpayLogger } from './logger.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { type PaymentContextOptions, paymentContext } from './payment-context.js';
export { type TikTokHandlers, type TikTokWebhooksOptions, tiktokWebhooks } from './tiktok-middleware.js';
export type {
  DeliveryHooks,
  DeliveryOptions,
  DuplicateState,
  PaymentClientSlots,
  PaymentClients,
  PaymentContext,
  PaymentHandler,
  PaymentRouteContext,
  RegisteredClients,
} from './types.js';
