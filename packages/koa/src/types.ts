import type { IdempotencyStore, TransactionalIdempotencyStore, TtpayEvent, TtpayLogger } from '@ttpay/core';
import type { Context, DefaultContext, DefaultState, ParameterizedContext } from 'koa';
import type { DeliveryError } from './errors.js';

/**
 * Register your clients' types once to type `ctx.payment` on every route:
 * `declare module '@ttpay/koa' { interface PaymentClients { douyin: DouyinClient } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point, empty until the app fills it.
export interface PaymentClients {}

/** The three client slots, each typed from `PaymentClients` when registered, `unknown` otherwise. */
export type RegisteredClients = Omit<
  { douyin: unknown; tiktok: unknown; algovoi: unknown },
  keyof PaymentClients
> &
  PaymentClients;

/**
 * What `clients` options accept. @ttpay/koa does not know your clients' types (they come from
 * @ttpay/client or anywhere else): the handlers see the exact types of what you pass, and a slot
 * registered in `PaymentClients` must hold its registered type.
 */
export type PaymentClientSlots = Partial<RegisteredClients>;

/**
 * `ctx.payment`: the verified event (on a webhook route) and the configured clients.
 * `rawBody` is the exact bytes the platform signed. `tx` is the store's transaction while the handler
 * runs, when the store is a `TransactionalIdempotencyStore` (`PostgresStore`: a `pg` client inside
 * `BEGIN`): write through it and your writes commit together with the event's done-record, or not at all.
 */
export type PaymentContext<
  E extends TtpayEvent | undefined = TtpayEvent | undefined,
  C extends PaymentClientSlots = RegisteredClients,
  Tx = undefined,
> = Readonly<C> & {
  readonly event: E;
  readonly rawBody: [E] extends [TtpayEvent] ? Buffer : Buffer | undefined;
  readonly tx: Tx;
};

/**
 * The Koa context a handler receives: `ctx.payment.event` is the handler's own event type. Typed here,
 * through the handler's parameters, without touching Koa's `DefaultContext` (for `ctx.payment` on every
 * route, opt in with `import '@ttpay/koa/global-context'`).
 */
export type PaymentRouteContext<
  E extends TtpayEvent,
  C extends PaymentClientSlots = RegisteredClients,
  Tx = undefined,
> = ParameterizedContext<DefaultState, DefaultContext & { payment: PaymentContext<E, C, Tx> }>;

/**
 * Handles one verified, de-duplicated event. Resolve to acknowledge it; throw to have the platform
 * deliver it again.
 */
export type PaymentHandler<
  E extends TtpayEvent,
  C extends PaymentClientSlots = RegisteredClients,
  Tx = undefined,
> = (event: E, ctx: PaymentRouteContext<E, C, Tx>) => unknown;

/** What a duplicate found: still being handled, or already handled. */
export type DuplicateState = 'in-flight' | 'done';

/**
 * Lifecycle hooks, for metrics or to persist the raw delivery (`ctx.payment.rawBody`). `onVerified` may
 * veto: if it throws, the delivery is not acknowledged (500 HOOK_FAILED). The others observe: what they
 * throw is logged and changes nothing.
 */
export interface DeliveryHooks<E extends TtpayEvent, C extends PaymentClientSlots, Tx = undefined> {
  /** After verification, before de-duplication: every verified delivery, duplicates included. */
  onVerified?: (event: E, ctx: PaymentRouteContext<E, C, Tx>) => unknown;
  /** A delivery whose key is already being handled (`in-flight`) or was handled (`done`). */
  onDuplicate?: (event: E, ctx: PaymentRouteContext<E, C, Tx>, state: DuplicateState) => unknown;
  /** A delivery refused before it was verified (bad method, type, size, body or signature). */
  onRejected?: (error: DeliveryError, ctx: Context) => unknown;
  /**
   * A verified event that was not acknowledged: the handler threw (`HANDLER_FAILED`, `cause` is what it
   * threw), the store failed, no handler was configured for it, or `onVerified` threw.
   */
  onError?: (error: DeliveryError, event: E, ctx: PaymentRouteContext<E, C, Tx>) => unknown;
}

/** Options every webhook middleware takes (defaults in the README and `defaults.ts`). */
export interface DeliveryOptions<E extends TtpayEvent, C extends PaymentClientSlots, Tx = undefined>
  extends DeliveryHooks<E, C, Tx> {
  /**
   * Handle only requests to this exact path and pass every other request on (app-level mounting).
   * Default: handle every request that reaches the middleware (mount it on a router route).
   */
  path?: string;
  /** Largest body in bytes; larger is 413. Default 1 MiB (AlgoVoi: 64 KiB). */
  limit?: number;
  /**
   * Where event keys are claimed. Default: a new in-process `MemoryStore` per middleware. A
   * `TransactionalIdempotencyStore` (`PostgresStore`) runs each handler inside its transaction
   * (`ctx.payment.tx`) and commits the done-record with it.
   */
  store?: IdempotencyStore | TransactionalIdempotencyStore<Tx>;
  /** In-flight lease per key; must outlast your slowest handler. Default 5 minutes. */
  claimTtlMs?: number;
  /** How long a handled key is remembered; must cover the platforms' retries. Default 48 hours. */
  doneTtlMs?: number;
  /**
   * How long to wait for the store's claim and the handler before replying "retry later" (503
   * STORE_UNAVAILABLE if the claim has not been answered, else 503 HANDLER_TIMEOUT). The handler
   * keeps running and its key stays claimed; when it finishes, the next redelivery is acknowledged.
   * Default 10 s (TikTok Shop: 2.5 s, it waits 3 s).
   */
  handlerTimeoutMs?: number;
  /** Default: warnings and errors to the console. */
  logger?: TtpayLogger;
  /** Put on `ctx.payment` next to the event (merged over what `paymentContext()` set). */
  clients?: C;
}
