export type {
  AtomicIdempotencyStore,
  AtomicRun,
  Claim,
  IdempotencyStore,
  Lease,
  TransactionalIdempotencyStore,
  TtpayLogger,
} from '@ttpay/core';
export { silentLogger } from '@ttpay/core/internal';
export { type AlgoVoiWebhooksOptions, algovoiWebhooks } from './algovoi-middleware.js';
// The two defaults an app needs when it claims the same keys elsewhere (a job's applyOnce, its own store's lease).
export { DEFAULT_CLAIM_TTL_MS, DEFAULT_DONE_TTL_MS } from './defaults.js';
export { type DouyinCallbacksOptions, douyinCallbacks } from './douyin-middleware.js';
export { DeliveryError, type DeliveryErrorCode } from './errors.js';
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
