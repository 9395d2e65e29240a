import type { TikTokEvent, TikTokEventOf, TikTokWebhookName } from '../../events.js';
import { nonEmptyString, secretList } from '../../shared/option-checks.js';
import { verifyTikTokWebhookParsed } from '../../tiktok/webhook.js';
import { type BoundHandler, createEndpoint } from '../create-endpoint.js';
import { TIKTOK_HANDLER_TIMEOUT_MS } from '../defaults.js';
import {
  type DeliveryHooks,
  type DeliveryOptions,
  requireSomeHandler,
  resolveDeliverySettings,
} from '../options.js';
import { webhookReplies } from '../replies.js';
import type {
  DeliveryEndpoint,
  DeliveryHandler,
  EndpointAdapter,
  HandlerContext,
  RejectedContext,
} from '../types.js';
import { webContext } from '../web-context.js';

/** One handler per webhook name, each typed with its own event (`data` narrowed where ttpay models it). */
export type TikTokEndpointHandlers<C> = {
  readonly [N in TikTokWebhookName]?: DeliveryHandler<TikTokEventOf<N>, C>;
};

export interface TikTokEndpointOptions<C, CR = C, Tx = undefined>
  extends DeliveryOptions<Tx>,
    DeliveryHooks<TikTokEvent, C, CR> {
  appKey: string;
  /** Several during rotation. */
  appSecret: string | readonly string[];
  /** Handlers by webhook name, e.g. `{ ORDER_STATUS_CHANGE: (event, context) => … }`. */
  on?: TikTokEndpointHandlers<C> | undefined;
  /** Every event `on` does not take, including webhook types ttpay does not know (`name: 'UNKNOWN'`). */
  onEvent?: DeliveryHandler<TikTokEvent, C> | undefined;
}

/**
 * TikTok Shop webhooks: `Authorization` = HMAC-SHA256(app_secret, app_key + raw body), reply 200 within
 * 3 s (PROTOCOLS.md §3), so `handlerTimeoutMs` defaults to 2.5 s here.
 */
export function tikTokEndpoint<
  Tx = undefined,
  Req = Request,
  C = HandlerContext<Tx, Req>,
  CR = RejectedContext<Req>,
>(
  options: TikTokEndpointOptions<C, CR, Tx>,
  adapter: EndpointAdapter<Req, C> = webContext as EndpointAdapter<Req, C>,
): DeliveryEndpoint<Req> {
  const name = adapter.name ?? 'tikTokEndpoint';
  const { on, onEvent } = options;
  const appKey = nonEmptyString(options.appKey, 'appKey');
  const appSecret = secretList(options.appSecret, 'appSecret');
  requireSomeHandler(name, onEvent, ...Object.values(on ?? {}));
  const credentials = { appKey, appSecret };

  return createEndpoint<TikTokEvent, Req>(
    {
      platform: 'tiktok',
      replies: webhookReplies,
      verify: (body, headers) => verifyTikTokWebhookParsed(body, headers, credentials),
      route(event) {
        // `on[name]` takes exactly the event of that name; TypeScript cannot correlate the two by itself.
        const named = event.name === 'UNKNOWN' ? undefined : on?.[event.name];
        return (named ?? onEvent) as BoundHandler | undefined;
      },
      describe: (event) => (event.name === 'UNKNOWN' ? `type ${event.type}` : event.name),
    },
    resolveDeliverySettings(options, { handlerTimeoutMs: TIKTOK_HANDLER_TIMEOUT_MS }),
    adapter,
  );
}
