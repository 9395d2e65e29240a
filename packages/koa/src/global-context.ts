/**
 * Opt-in: `import '@ttpay/koa/global-context'` once in your app types `ctx.payment` on EVERY route
 * (clients from the `PaymentClients` registry, `event`/`rawBody`/`tx` possibly undefined). Without it,
 * `ctx.payment` is typed only where ttpay hands you the context (its handlers and hooks), and an app
 * that declares its own `ctx.payment` keeps compiling.
 */
import type { TtpayEvent } from '@ttpay/core';
import type { PaymentContext, RegisteredClients } from './types.js';

declare module 'koa' {
  interface DefaultContext {
    /**
     * Set by `paymentContext()` (clients on every route) and by the webhook middleware (plus the verified
     * `event`). Undefined on a route that neither ran for.
     */
    payment: PaymentContext<TtpayEvent | undefined, RegisteredClients, unknown>;
  }
}
