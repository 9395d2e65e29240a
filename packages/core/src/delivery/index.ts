/**
 * `@ttpay/core/delivery`: the delivery engine — verify and parse once, claim, handle, complete or
 * release, reply — with no framework in it, its Web `Request → Response` adapter and the default store.
 * `@ttpay/koa` is this engine behind Koa.
 */
// The two defaults an app needs when it claims the same keys elsewhere (a job's applyOnce); the others
// are documented with their options.
export { DEFAULT_CLAIM_TTL_MS, DEFAULT_DONE_TTL_MS } from './defaults.js';
export { DeliveryError, type DeliveryErrorCode } from './delivery-error.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type { DeliveryHooks, DeliveryOptions } from './options.js';
export { type AlgoVoiEndpointOptions, algoVoiEndpoint } from './platforms/algovoi-endpoint.js';
export {
  type DouyinEndpointOptions,
  type DouyinVerifyOptions,
  douyinEndpoint,
  type RefundApplicationHandler,
} from './platforms/douyin-endpoint.js';
export {
  type TikTokEndpointHandlers,
  type TikTokEndpointOptions,
  tikTokEndpoint,
} from './platforms/tiktok-endpoint.js';
export {
  type DouyinReply,
  type DouyinReplyData,
  douyinReply,
  type RefundApplicationReply,
  type RefundApplicationReplyData,
} from './reply-data.js';
export type {
  BodyReader,
  Delivery,
  DeliveryEndpoint,
  DeliveryHandler,
  DeliveryOutcome,
  DeliveryState,
  DuplicateState,
  EndpointAdapter,
  HandlerContext,
  RejectedContext,
  Reply,
} from './types.js';
export { type WebHandler, webHandler } from './web-handler.js';
