import type { TikTokEvent, TikTokEventOf, TikTokWebhookName } from '@ttpay/core';
import { type TikTokEndpointOptions, tikTokEndpoint } from '@ttpay/core/delivery';
import type { Context, Middleware } from 'koa';
import { koaContext, koaMiddleware } from './koa-adapter.js';
import type { DeliveryOptions, PaymentHandler } from './types.js';

/** One handler per webhook name, each typed with its own event (`data` narrowed where ttpay models it). */
export type TikTokHandlers<Tx = undefined> = {
  readonly [N in TikTokWebhookName]?: PaymentHandler<TikTokEventOf<N>, Tx>;
};

export interface TikTokWebhooksOptions<Tx = undefined> extends DeliveryOptions<TikTokEvent, Tx> {
  appKey: string;
  /** Several during rotation. */
  appSecret: string | readonly string[];
  /** Handlers by webhook name, e.g. `{ ORDER_STATUS_CHANGE: (event, ctx) => … }`. */
  on?: TikTokHandlers<Tx> | undefined;
  /** Every event `on` does not take, including webhook types ttpay does not know (`name: 'UNKNOWN'`). */
  onEvent?: PaymentHandler<TikTokEvent, Tx> | undefined;
}

/**
 * TikTok Shop webhooks (`Authorization` = HMAC-SHA256(app_secret, app_key + raw body); `handlerTimeoutMs`
 * 2.5 s by default, TikTok waits 3 s; PROTOCOLS.md §3): `tikTokEndpoint` of `@ttpay/core/delivery`
 * behind Koa.
 */
export function tikTokWebhooks<Tx = undefined>(options: TikTokWebhooksOptions<Tx>): Middleware {
  const endpoint = tikTokEndpoint<Tx, Context, Context, Context>(
    options as unknown as TikTokEndpointOptions<Context, Context, Tx>,
    koaContext('tikTokWebhooks'),
  );
  const handle = koaMiddleware(endpoint, options, 'tikTokWebhooks');
  return function tikTokWebhooks(ctx, next) {
    return handle(ctx, next);
  };
}
