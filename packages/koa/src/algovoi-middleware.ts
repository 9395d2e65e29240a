import { type AlgoVoiEvent, verifyAlgoVoiWebhook } from '@ttpay/core';
import { headerValue, secretList } from '@ttpay/core/internal';
import type { Middleware } from 'koa';
import { ALGOVOI_BODY_LIMIT } from './defaults.js';
import { requireSomeHandler, resolveDeliverySettings } from './delivery-settings.js';
import { bindHandler, createDeliveryMiddleware } from './process-delivery.js';
import { webhookReplies } from './replies.js';
import type { DeliveryOptions, PaymentClientSlots, PaymentHandler, RegisteredClients } from './types.js';

export interface AlgoVoiWebhooksOptions<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>
  extends DeliveryOptions<AlgoVoiEvent, C, Tx> {
  /** The gateway's webhook secret; several during rotation. */
  secret: string | readonly string[];
  /**
   * The gateway's webhook fields are undocumented: treat the event as a hint and confirm the checkout
   * (`GET /checkout/{token}`) before shipping anything (PROTOCOLS.md §4).
   */
  onEvent: PaymentHandler<AlgoVoiEvent, C, Tx>;
}

/** AlgoVoi gateway webhooks: `X-AlgoVoi-Signature` = base64 HMAC-SHA256(secret, raw body); 64 KiB cap. */
export function algovoiWebhooks<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>(
  options: AlgoVoiWebhooksOptions<C, Tx>,
): Middleware {
  const { onEvent } = options;
  const secret = secretList(options.secret, 'secret');
  requireSomeHandler('algovoiWebhooks', onEvent);

  const handle = createDeliveryMiddleware<AlgoVoiEvent, C, Tx>({
    name: 'algovoiWebhooks',
    platform: 'algovoi',
    replies: webhookReplies,
    settings: resolveDeliverySettings(options, { limit: ALGOVOI_BODY_LIMIT }),
    verify: ({ raw, headers }) =>
      verifyAlgoVoiWebhook({ rawBody: raw, signature: headerValue(headers, 'X-AlgoVoi-Signature') }, secret),
    route: (event) => bindHandler(onEvent, event),
    describe: (event) => `webhook${event.status ? `.${event.status}` : ''}`,
  });
  return function algovoiWebhooks(ctx, next) {
    return handle(ctx, next);
  };
}
