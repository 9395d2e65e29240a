import { type AlgoVoiEvent, verifyAlgoVoiWebhook } from '@ttpay/core';
import { nonNegativeSeconds, secretList } from '@ttpay/core/internal';
import type { Middleware } from 'koa';
import { ALGOVOI_BODY_LIMIT } from './defaults.js';
import { requireSomeHandler, resolveDeliverySettings } from './delivery-settings.js';
import { bindHandler, createDeliveryMiddleware } from './process-delivery.js';
import { webhookReplies } from './replies.js';
import type { DeliveryOptions, PaymentClientSlots, PaymentHandler, RegisteredClients } from './types.js';

export interface AlgoVoiWebhooksOptions<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>
  extends DeliveryOptions<AlgoVoiEvent, C, Tx> {
  /** The gateway's webhook signing secret (`algvw_…`); several during rotation. */
  secret: string | readonly string[];
  /** How far the header's `t=` may be from this server's clock, either way. Default 300 (PROTOCOLS.md §4.3). */
  toleranceSeconds?: number;
  /** Refuse a signature header without its `v2=` part. Default false. */
  requireV2?: boolean;
  /**
   * Also accept the seed adapter's base64 body HMAC (no timestamp: replayable). Default false
   * (PROTOCOLS.md §4.1, §4.3).
   */
  seedBodySignature?: boolean;
  /**
   * The verified `payment.confirmed` event, keyed on its `id`. It says the gateway saw a payment: read the
   * checkout back (`GET /checkout/{token}/status`) before shipping or settling anything (PROTOCOLS.md §4.3).
   */
  onEvent: PaymentHandler<AlgoVoiEvent, C, Tx>;
}

/**
 * AlgoVoi gateway webhooks as its published verifier defines them: `X-AlgoVoi-Signature:
 * t=<unix>,v1=<HMAC-SHA256>[,v2=<HMAC-SHA384>]` over `"{t}." + raw body`, 300 s tolerance; 64 KiB cap.
 */
export function algovoiWebhooks<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>(
  options: AlgoVoiWebhooksOptions<C, Tx>,
): Middleware {
  const { onEvent } = options;
  // Checked once, here; the verifier gets the same values on every delivery.
  const verifyOptions = {
    secret: secretList(options.secret, 'secret'),
    ...(options.toleranceSeconds === undefined
      ? {}
      : { toleranceSeconds: nonNegativeSeconds(options.toleranceSeconds, 'toleranceSeconds') }),
    ...(options.requireV2 === undefined ? {} : { requireV2: options.requireV2 }),
    ...(options.seedBodySignature === undefined ? {} : { seedBodySignature: options.seedBodySignature }),
  };
  requireSomeHandler('algovoiWebhooks', onEvent);

  const handle = createDeliveryMiddleware<AlgoVoiEvent, C, Tx>({
    name: 'algovoiWebhooks',
    platform: 'algovoi',
    replies: webhookReplies,
    settings: resolveDeliverySettings(options, { limit: ALGOVOI_BODY_LIMIT }),
    verify: ({ raw, headers }) => verifyAlgoVoiWebhook({ rawBody: raw, headers }, verifyOptions),
    route: (event) => bindHandler(onEvent, event),
    describe: (event) => event.type,
  });
  return function algovoiWebhooks(ctx, next) {
    return handle(ctx, next);
  };
}
