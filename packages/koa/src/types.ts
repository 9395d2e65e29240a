import type { TtpayEvent } from '@ttpay/core';
import type { DeliveryHooks as EngineHooks, DeliveryOptions as EngineOptions } from '@ttpay/core/delivery';
import type { Context, DefaultContext, DefaultState, ParameterizedContext } from 'koa';

/**
 * `ctx.payment` on ttpay's routes: the verified event, the exact bytes the platform signed, and `tx`,
 * the store's transaction while the handler runs when the store has one (`PostgresStore`: a `pg` client
 * inside `BEGIN`): write through it and your writes commit together with the event's done-record, or
 * not at all.
 */
export interface PaymentContext<E extends TtpayEvent | undefined = TtpayEvent | undefined, Tx = undefined> {
  readonly event: E;
  readonly rawBody: [E] extends [TtpayEvent] ? Buffer : Buffer | undefined;
  readonly tx: Tx;
}

/**
 * The Koa context a handler receives: `ctx.payment.event` is the handler's own event type. Typed here,
 * through the handler's parameters, without touching Koa's `DefaultContext`.
 */
export type PaymentRouteContext<E extends TtpayEvent, Tx = undefined> = ParameterizedContext<
  DefaultState,
  DefaultContext & { payment: PaymentContext<E, Tx> }
>;

/**
 * Handles one verified, de-duplicated event. Resolve to acknowledge it; throw to have the platform
 * deliver it again. A Douyin callback that answers with data returns `douyinReply({...})`.
 */
export type PaymentHandler<E extends TtpayEvent, Tx = undefined> = (
  event: E,
  ctx: PaymentRouteContext<E, Tx>,
) => unknown;

/**
 * Lifecycle hooks, for metrics or to persist the raw delivery (`ctx.payment.rawBody`). `onVerified` may
 * veto: if it throws, the delivery is not acknowledged (500 HOOK_FAILED). The others observe: what they
 * throw is logged and changes nothing. `onRejected` gets Koa's `ctx`, whose `ctx.status` is the status sent.
 */
export type DeliveryHooks<E extends TtpayEvent, Tx = undefined> = EngineHooks<
  E,
  PaymentRouteContext<E, Tx>,
  Context
>;

/** Options every webhook middleware takes (defaults in the README). */
export interface DeliveryOptions<E extends TtpayEvent, Tx = undefined>
  extends EngineOptions<Tx>,
    DeliveryHooks<E, Tx> {
  /**
   * Handle only requests to this exact path and pass every other request on (app-level mounting).
   * Default: handle every request that reaches the middleware (mount it on a router route).
   */
  path?: string | undefined;
  /**
   * @deprecated Removed in 0.2 with the `ctx.payment` client registry: use your clients directly. Passing
   * it throws, so that handlers reading `ctx.payment.douyin` fail at start-up, not on a payment.
   */
  clients?: never;
}
