import { type VerifyAlgoVoiWebhookOptions, verifyAlgoVoiWebhookParsed } from '../../algovoi/webhook.js';
import type { AlgoVoiEvent } from '../../events.js';
import { nonNegativeSeconds, secretList } from '../../shared/option-checks.js';
import { type BoundHandler, createEndpoint } from '../create-endpoint.js';
import { ALGOVOI_BODY_LIMIT } from '../defaults.js';
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

export interface AlgoVoiEndpointOptions<C, CR = C, Tx = undefined>
  extends DeliveryOptions<Tx>,
    DeliveryHooks<AlgoVoiEvent, C, CR> {
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
  onEvent: DeliveryHandler<AlgoVoiEvent, C>;
}

/**
 * AlgoVoi gateway webhooks as its published verifier defines them: `X-AlgoVoi-Signature:
 * t=<unix>,v1=<HMAC-SHA256>[,v2=<HMAC-SHA384>]` over `"{t}." + raw body`, 300 s tolerance
 * (PROTOCOLS.md §4.3); 64 KiB cap.
 */
export function algoVoiEndpoint<
  Tx = undefined,
  Req = Request,
  C = HandlerContext<Tx, Req>,
  CR = RejectedContext<Req>,
>(
  options: AlgoVoiEndpointOptions<C, CR, Tx>,
  adapter: EndpointAdapter<Req, C> = webContext as EndpointAdapter<Req, C>,
): DeliveryEndpoint<Req> {
  const name = adapter.name ?? 'algoVoiEndpoint';
  const { onEvent } = options;
  // Checked once, here; the verifier gets the same values on every delivery.
  const verifyOptions: VerifyAlgoVoiWebhookOptions = {
    secret: secretList(options.secret, 'secret'),
    ...(options.toleranceSeconds === undefined
      ? {}
      : { toleranceSeconds: nonNegativeSeconds(options.toleranceSeconds, 'toleranceSeconds') }),
    ...(options.requireV2 === undefined ? {} : { requireV2: options.requireV2 }),
    ...(options.seedBodySignature === undefined ? {} : { seedBodySignature: options.seedBodySignature }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  requireSomeHandler(name, onEvent);

  return createEndpoint<AlgoVoiEvent, Req>(
    {
      platform: 'algovoi',
      replies: webhookReplies,
      verify: (body, headers) => verifyAlgoVoiWebhookParsed(body, headers, verifyOptions),
      route: () => onEvent as BoundHandler,
      describe: (event) => event.type,
    },
    resolveDeliverySettings(options, { limit: ALGOVOI_BODY_LIMIT }),
    adapter,
  );
}
