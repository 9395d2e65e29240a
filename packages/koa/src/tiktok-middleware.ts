import {
  type TikTokEvent,
  type TikTokEventOf,
  type TikTokWebhookName,
  verifyTikTokWebhook,
} from '@ttpay/core';
import { headerValue, nonEmptyString, secretList } from '@ttpay/core/internal';
import type { Middleware } from 'koa';
import { TIKTOK_HANDLER_TIMEOUT_MS } from './defaults.js';
import { requireSomeHandler, resolveDeliverySettings } from './delivery-settings.js';
import { bindHandler, createDeliveryMiddleware } from './process-delivery.js';
import { webhookReplies } from './replies.js';
import type { DeliveryOptions, PaymentClientSlots, PaymentHandler, RegisteredClients } from './types.js';

/** One handler per webhook name, each typed with its own event (`data` narrowed where ttpay models it). */
export type TikTokHandlers<C extends PaymentClientSlots = RegisteredClients, Tx = undefined> = {
  readonly [N in TikTokWebhookName]?: PaymentHandler<TikTokEventOf<N>, C, Tx>;
};

export interface TikTokWebhooksOptions<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>
  extends DeliveryOptions<TikTokEvent, C, Tx> {
  appKey: string;
  /** Several during rotation. */
  appSecret: string | readonly string[];
  /** Handlers by webhook name, e.g. `{ ORDER_STATUS_CHANGE: (event, ctx) => … }`. */
  on?: TikTokHandlers<C, Tx>;
  /** Every event `on` does not take, including webhook types ttpay does not know (`name: 'UNKNOWN'`). */
  onEvent?: PaymentHandler<TikTokEvent, C, Tx>;
}

/**
 * TikTok Shop webhooks: `Authorization` = HMAC-SHA256(app_secret, app_key + raw body), reply 200 within
 * 3 s (PROTOCOLS.md §3), so `handlerTimeoutMs` defaults to 2.5 s here.
 */
export function tiktokWebhooks<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>(
  options: TikTokWebhooksOptions<C, Tx>,
): Middleware {
  const { on, onEvent } = options;
  const appKey = nonEmptyString(options.appKey, 'appKey');
  const appSecret = secretList(options.appSecret, 'appSecret');
  requireSomeHandler('tiktokWebhooks', onEvent, ...Object.values(on ?? {}));

  const handle = createDeliveryMiddleware<TikTokEvent, C, Tx>({
    name: 'tiktokWebhooks',
    platform: 'tiktok',
    replies: webhookReplies,
    settings: resolveDeliverySettings(options, { handlerTimeoutMs: TIKTOK_HANDLER_TIMEOUT_MS }),
    verify: ({ raw, headers }) =>
      verifyTikTokWebhook(
        { rawBody: raw, signature: headerValue(headers, 'Authorization') },
        { appKey, appSecret },
      ),
    route(event) {
      // `on[name]` takes exactly the event of that name; TypeScript cannot correlate the two by itself.
      const named =
        event.name === 'UNKNOWN'
          ? undefined
          : (on?.[event.name] as PaymentHandler<TikTokEvent, C, Tx> | undefined);
      return bindHandler(named, event) ?? bindHandler(onEvent, event);
    },
    describe: (event) => (event.name === 'UNKNOWN' ? `type ${event.type}` : event.name),
  });
  return function tiktokWebhooks(ctx, next) {
    return handle(ctx, next);
  };
}
