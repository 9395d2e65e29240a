import type { Middleware } from 'koa';
import type { PaymentClientSlots, PaymentContext, RegisteredClients } from './types.js';

export interface PaymentContextOptions<C extends PaymentClientSlots = RegisteredClients> {
  /** Your API clients (e.g. from @ttpay/client), put on `ctx.payment` for every route. */
  clients: C;
}

/**
 * Puts the clients on `ctx.payment` for every request (mount it app-wide, first). The webhook
 * middlewares add the verified `event` on their routes.
 */
export function paymentContext<C extends PaymentClientSlots = RegisteredClients>(
  options: PaymentContextOptions<C>,
): Middleware {
  const clients = options.clients;
  return async function paymentContext(ctx, next) {
    ctx.payment = { ...clients, event: undefined, rawBody: undefined, tx: undefined } as PaymentContext;
    await next();
  };
}
