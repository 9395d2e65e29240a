import type { AlgoVoiEvent } from '@ttpay/core';
import { type AlgoVoiEndpointOptions, algoVoiEndpoint } from '@ttpay/core/delivery';
import type { Context, Middleware } from 'koa';
import { koaContext, koaMiddleware } from './koa-adapter.js';
import type { DeliveryOptions, PaymentHandler } from './types.js';

export interface AlgoVoiWebhooksOptions<Tx = undefined> extends DeliveryOptions<AlgoVoiEvent, Tx> {
  /** The gateway's webhook signing secret (`algvw_…`); several during rotation. */
  secret: string | readonly string[];
  /** How far the header's `t=` may be from this server's clock, either way. Default 300 (PROTOCOLS.md §4.3). */
  toleranceSeconds?: number | undefined;
  /** Refuse a signature header without its `v2=` part. Default false. */
  requireV2?: boolean | undefined;
  /**
   * Also accept the seed adapter's base64 body HMAC (no timestamp: replayable). Default false
   * (PROTOCOLS.md §4.1, §4.3).
   */
  seedBodySignature?: boolean | undefined;
  /** Clock in milliseconds, for the `t=` check. Default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * The verified `payment.confirmed` event, keyed on its `id`. It says the gateway saw a payment: read the
   * checkout back (`GET /checkout/{token}/status`) before shipping or settling anything (PROTOCOLS.md §4.3).
   */
  onEvent: PaymentHandler<AlgoVoiEvent, Tx>;
}

/**
 * AlgoVoi gateway webhooks as its published verifier defines them (`X-AlgoVoi-Signature:
 * t=<unix>,v1=<HMAC-SHA256>[,v2=<HMAC-SHA384>]` over `"{t}." + raw body`, 300 s tolerance; 64 KiB cap):
 * `algoVoiEndpoint` of `@ttpay/core/delivery` behind Koa.
 */
export function algoVoiWebhooks<Tx = undefined>(options: AlgoVoiWebhooksOptions<Tx>): Middleware {
  const endpoint = algoVoiEndpoint<Tx, Context, Context, Context>(
    options as unknown as AlgoVoiEndpointOptions<Context, Context, Tx>,
    koaContext('algoVoiWebhooks'),
  );
  const handle = koaMiddleware(endpoint, options, 'algoVoiWebhooks');
  return function algoVoiWebhooks(ctx, next) {
    return handle(ctx, next);
  };
}
