import { verifyAlgoVoiWebhook } from '../../algovoi/webhook.js';
import type { AlgoVoiEvent } from '../../events.js';
import { headerValue } from '../../shared/headers.js';
import { secretList } from '../../shared/option-checks.js';
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
  /** The gateway's webhook secret; several during rotation. */
  secret: string | readonly string[];
  /**
   * The gateway's webhook fields are undocumented: treat the event as a hint and confirm the checkout
   * (`GET /checkout/{token}`) before shipping anything (PROTOCOLS.md §4).
   */
  onEvent: DeliveryHandler<AlgoVoiEvent, C>;
}

/** AlgoVoi gateway webhooks: `X-AlgoVoi-Signature` = base64 HMAC-SHA256(secret, raw body); 64 KiB cap. */
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
  const secret = secretList(options.secret, 'secret');
  requireSomeHandler(name, onEvent);

  return createEndpoint<AlgoVoiEvent, Req>(
    {
      platform: 'algovoi',
      replies: webhookReplies,
      // The AlgoVoi verifier still parses the bytes itself (a second parse on this path only): its
      // parsed-body entry comes with its rewrite to `({rawBody, headers}, {secret})`.
      verify: (body, headers) =>
        verifyAlgoVoiWebhook(
          { rawBody: body.raw, signature: headerValue(headers, 'X-AlgoVoi-Signature') },
          secret,
        ),
      route: () => onEvent as BoundHandler,
      describe: (event) => `webhook${event.status ? `.${event.status}` : ''}`,
    },
    resolveDeliverySettings(options, { limit: ALGOVOI_BODY_LIMIT }),
    adapter,
  );
}
