import type { AlgoVoiEvent } from '@ttpay/core';
import { type AlgoVoiEndpointOptions, algoVoiEndpoint } from '@ttpay/core/delivery';
import type { Context, Middleware } from 'koa';
import { koaContext, koaMiddleware } from './koa-adapter.js';
import type { DeliveryOptions, PaymentHandler } from './types.js';

export interface AlgoVoiWebhooksOptions<Tx = undefined> extends DeliveryOptions<AlgoVoiEvent, Tx> {
  /** The gateway's webhook secret; several during rotation. */
  secret: string | readonly string[];
  /**
   * The gateway's webhook fields are undocumented: treat the event as a hint and confirm the checkout
   * (`GET /checkout/{token}`) before shipping anything (PROTOCOLS.md §4).
   */
  onEvent: PaymentHandler<AlgoVoiEvent, Tx>;
}

/**
 * AlgoVoi gateway webhooks (`X-AlgoVoi-Signature` = base64 HMAC-SHA256(secret, raw body); 64 KiB cap):
 * `algoVoiEndpoint` of `@ttpay/core/delivery` behind Koa.
 */
export function algovoiWebhooks<Tx = undefined>(options: AlgoVoiWebhooksOptions<Tx>): Middleware {
  const endpoint = algoVoiEndpoint<Tx, Context, Context, Context>(
    options as unknown as AlgoVoiEndpointOptions<Context, Context, Tx>,
    koaContext('algovoiWebhooks'),
  );
  const handle = koaMiddleware(endpoint, options, 'algovoiWebhooks');
  return function algovoiWebhooks(ctx, next) {
    return handle(ctx, next);
  };
}
