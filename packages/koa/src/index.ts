export type {
  AtomicIdempotencyStore,
  AtomicRun,
  Claim,
  IdempotencyStore,
  Lease,
  TransactionalIdempotencyStore,
  TtpayLogger,
} from '@ttpay/core';
// The engine's names a Koa app uses: the default store, the error its hooks get, reply data, the two
// defaults an app needs when it claims the same keys elsewhere (a job's applyOnce, its own store's lease).
export {
  DEFAULT_CLAIM_TTL_MS,
  DEFAULT_DONE_TTL_MS,
  DeliveryError,
  type DeliveryErrorCode,
  type DouyinReply,
  type DuplicateState,
  douyinReply,
  MemoryStore,
  type MemoryStoreOptions,
  type RefundApplicationReply,
  type RefundApplicationReplyData,
} from '@ttpay/core/delivery';
export { silentLogger } from '@ttpay/core/internal';
export { type AlgoVoiWebhooksOptions, algovoiWebhooks } from './algovoi-middleware.js';
export { type DouyinCallbacksOptions, douyinCallbacks } from './douyin-middleware.js';
export { type TikTokHandlers, type TikTokWebhooksOptions, tiktokWebhooks } from './tiktok-middleware.js';
export type {
  DeliveryHooks,
  DeliveryOptions,
  PaymentContext,
  PaymentHandler,
  PaymentRouteContext,
} from './types.js';
