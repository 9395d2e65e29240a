import type { DeliveryState, EndpointAdapter } from './types.js';

/**
 * The engine's default context: `{ rawBody, tx, request }`, read live from the delivery's state (`tx`
 * only while the handler runs). What `webHandler`'s handlers get.
 */
export const webContext: EndpointAdapter<unknown, unknown> = {
  context: (state: DeliveryState, request: unknown) => ({
    get rawBody() {
      return state.rawBody;
    },
    get tx() {
      return state.tx;
    },
    request,
  }),
};
