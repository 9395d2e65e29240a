/**
 * Names `@ttpay/testing` 0.1 exported that 0.2 renames or no longer exports, kept for one release so that
 * code written against 0.1 still compiles (with a strikethrough and the replacement in the editor). The
 * fixtures are named `signed…` now, so that none reads like the middleware it feeds (`tikTokWebhook` beside
 * `tikTokWebhooks`) or like another fixture's options. Each goes in the next minor release; the changeset
 * `.changeset/a-deliberate-api.md` lists them all.
 */
import type { DemoCredentials as DemoCredentialsNow } from './demo-credentials.js';
import { signedAlgoVoiWebhook } from './fixtures/algovoi.js';
import type { SignedDelivery } from './fixtures/delivery.js';
import {
  type DouyinCallbackType as DouyinCallbackTypeNow,
  signedEcpayCallback,
  signedTradeCallback,
  type TradeCallbackType as TradeCallbackTypeNow,
} from './fixtures/douyin.js';
import { bodyOnlySignedTikTokWebhook, signedTikTokWebhook } from './fixtures/tiktok.js';

/** @deprecated Renamed `signedEcpayCallback`. */
export const ecpayCallback = signedEcpayCallback;
/** @deprecated Renamed `signedTradeCallback`. */
export const tradeCallback = signedTradeCallback;
/** @deprecated Renamed `signedTikTokWebhook` (not the `tikTokWebhooks` middleware of `@ttpay/koa`). */
export const tikTokWebhook = signedTikTokWebhook;
/** @deprecated Renamed `signedAlgoVoiWebhook` (not the `algoVoiWebhooks` middleware of `@ttpay/koa`). */
export const algoVoiWebhook = signedAlgoVoiWebhook;
/** @deprecated Renamed `bodyOnlySignedTikTokWebhook`. */
export const bodyOnlyTikTokWebhook = bodyOnlySignedTikTokWebhook;

/** @deprecated Renamed `SignedDelivery` (`Delivery` of `@ttpay/core/delivery` is the engine's input). */
export type Delivery = SignedDelivery;
/** @deprecated Use `Parameters<typeof signedEcpayCallback>[0]`. */
export type EcpayCallbackOptions = Parameters<typeof signedEcpayCallback>[0];
/** @deprecated Use `Parameters<typeof signedTradeCallback>[0]`. */
export type TradeCallbackOptions = Parameters<typeof signedTradeCallback>[0];
/** @deprecated Use `Parameters<typeof signedTikTokWebhook>[0]` (not `TikTokWebhooksOptions`, the middleware's). */
export type TikTokWebhookOptions = NonNullable<Parameters<typeof signedTikTokWebhook>[0]>;
/** @deprecated Use `Parameters<typeof signedAlgoVoiWebhook>[0]`. */
export type AlgoVoiWebhookOptions = NonNullable<Parameters<typeof signedAlgoVoiWebhook>[0]>;
/** @deprecated `'payment' | 'refund' | 'settle'`: the types `ecpayMsg` builds. */
export type DouyinCallbackType = DouyinCallbackTypeNow;
/** @deprecated `'payment' | 'refund' | 'settle' | 'pre_create_refund'`: the types `tradeMsg` builds. */
export type TradeCallbackType = TradeCallbackTypeNow;
/** @deprecated Use `typeof demoCredentials`. */
export type DemoCredentials = DemoCredentialsNow;
