/**
 * `@ttpay/koa`: the three webhook middleware, the types a handler is written with, and what a Koa app
 * reaches for beside them (the default store, the error its hooks get, reply data). The events' types are
 * `@ttpay/core`'s; the store contract is `@ttpay/core/store`.
 */
// The engine's names a Koa app uses: the default store, the error its hooks get, reply data.
export { DeliveryError, douyinReply, MemoryStore } from '@ttpay/core/delivery';
export { type AlgoVoiWebhooksOptions, algoVoiWebhooks } from './algovoi-middleware.js';
export * from './deprecated.js';
export { type DouyinCallbacksOptions, douyinCallbacks } from './douyin-middleware.js';
export { type TikTokWebhooksOptions, tikTokWebhooks } from './tiktok-middleware.js';
export type { PaymentHandler, PaymentRouteContext } from './types.js';
