/**
 * Names `@ttpay/koa` 0.1 exported that 0.2 renames or no longer exports, kept for one release so that
 * code written against 0.1 still compiles (with a strikethrough and the replacement in the editor). Each
 * goes in the next minor release; the changeset `.changeset/a-deliberate-api.md` lists them all.
 */
import type { TtpayEvent, TtpayLogger as TtpayLoggerNow } from '@ttpay/core';
import {
  type DeliveryErrorCode as DeliveryErrorCodeNow,
  type DouyinReply as DouyinReplyNow,
  type DuplicateState as DuplicateStateNow,
  DEFAULT_CLAIM_TTL_MS as defaultClaimTtlMs,
  DEFAULT_DONE_TTL_MS as defaultDoneTtlMs,
  type MemoryStoreOptions as MemoryStoreOptionsNow,
  type RefundApplicationReplyData as RefundApplicationReplyDataNow,
  type RefundApplicationReply as RefundApplicationReplyNow,
} from '@ttpay/core/delivery';
import type * as Store from '@ttpay/core/store';
import { algoVoiWebhooks } from './algovoi-middleware.js';
import { type TikTokHandlers as TikTokHandlersNow, tikTokWebhooks } from './tiktok-middleware.js';
import type {
  DeliveryHooks as DeliveryHooksNow,
  DeliveryOptions as DeliveryOptionsNow,
  PaymentContext as PaymentContextNow,
} from './types.js';

// One spelling per platform in identifiers: TikTok / tikTok, AlgoVoi / algoVoi.

/** @deprecated Renamed `tikTokWebhooks` (one spelling of TikTok in every identifier). */
export const tiktokWebhooks = tikTokWebhooks;
/** @deprecated Renamed `algoVoiWebhooks` (one spelling of AlgoVoi in every identifier). */
export const algovoiWebhooks = algoVoiWebhooks;

// Reached through the middleware's options and handlers.

/** @deprecated Use `TikTokWebhooksOptions<Tx>['on']`, or type each handler with `PaymentHandler`. */
export type TikTokHandlers<Tx = undefined> = TikTokHandlersNow<Tx>;
/** @deprecated Use `PaymentRouteContext<E, Tx>['payment']`. */
export type PaymentContext<
  E extends TtpayEvent | undefined = TtpayEvent | undefined,
  Tx = undefined,
> = PaymentContextNow<E, Tx>;
/** @deprecated The options every middleware shares: use the middleware's own (`DouyinCallbacksOptions<Tx>`, …). */
export type DeliveryOptions<E extends TtpayEvent, Tx = undefined> = DeliveryOptionsNow<E, Tx>;
/** @deprecated The hooks are options of each middleware (`DouyinCallbacksOptions<Tx>['onVerified']`, …). */
export type DeliveryHooks<E extends TtpayEvent, Tx = undefined> = DeliveryHooksNow<E, Tx>;
/** @deprecated Use `DeliveryError['code']`, or import it from `@ttpay/core/delivery`. */
export type DeliveryErrorCode = DeliveryErrorCodeNow;
/** @deprecated Use `ReturnType<typeof douyinReply>`, or import it from `@ttpay/core/delivery`. */
export type DouyinReply = DouyinReplyNow;
/** @deprecated Import it from `@ttpay/core/delivery`. */
export type RefundApplicationReply = RefundApplicationReplyNow;
/** @deprecated Import it from `@ttpay/core/delivery`. */
export type RefundApplicationReplyData = RefundApplicationReplyDataNow;
/** @deprecated `'in-flight' | 'done'`, the third parameter of `onDuplicate`; or import it from `@ttpay/core/delivery`. */
export type DuplicateState = DuplicateStateNow;
/** @deprecated Use `ConstructorParameters<typeof MemoryStore>[0]`, or import it from `@ttpay/core/delivery`. */
export type MemoryStoreOptions = MemoryStoreOptionsNow;
/** @deprecated Import it from `@ttpay/core/delivery`. */
export const DEFAULT_CLAIM_TTL_MS = defaultClaimTtlMs;
/** @deprecated Import it from `@ttpay/core/delivery`. */
export const DEFAULT_DONE_TTL_MS = defaultDoneTtlMs;

// Re-exports of other packages: import them from where they live.

/** @deprecated Import it from `@ttpay/core/store`. */
export type IdempotencyStore = Store.IdempotencyStore;
/** @deprecated Import it from `@ttpay/core/store`. */
export type TransactionalIdempotencyStore<Tx> = Store.TransactionalIdempotencyStore<Tx>;
/** @deprecated Import it from `@ttpay/core/store`. */
export type Claim = Store.Claim;
/** @deprecated Import it from `@ttpay/core/store`. */
export type Lease = Store.Lease;
/** @deprecated Import it from `@ttpay/core`. */
export type TtpayLogger = TtpayLoggerNow;
/**
 * @deprecated Pass a logger of your own that drops everything (`{ debug() {}, info() {}, warn() {},
 * error() {} }`, or pino with `enabled: false`).
 */
export const silentLogger: TtpayLoggerNow = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
