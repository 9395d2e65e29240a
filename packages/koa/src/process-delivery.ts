import type { IncomingMessage } from 'node:http';
import type { AtomicIdempotencyStore, Claim, HeaderMap, Lease, TtpayEvent } from '@ttpay/core';
import { isAtomicStore, isTransactionalStore, settleClaim } from '@ttpay/core/internal';
import type { Context, Next } from 'koa';
import { type Deadline, Deadlines, TIMED_OUT } from './deadlines.js';
import type { DeliverySettings } from './delivery-settings.js';
import { DeliveryError, type DeliveryErrorCode, toDeliveryError } from './errors.js';
import { assertJsonRequest, decodeUtf8Body, parseJsonObjectBody } from './json-body.js';
import { processAtomically } from './process-atomically.js';
import { LogRateLimit } from './rate-limited-log.js';
import { bodyParserFields, readRawBody } from './raw-body.js';
import type { Platform, Replies } from './replies.js';
import type { PaymentClientSlots, PaymentContext, PaymentHandler, PaymentRouteContext } from './types.js';

/** What a platform's verifier gets: the exact bytes, the parsed body and the headers (unjoined). */
export interface DeliveryInput {
  readonly raw: Buffer;
  readonly body: Record<string, unknown>;
  /** Node's `req.headersDistinct`, which Node builds on first read: ecpay callbacks never need it. */
  readonly headers: HeaderMap;
}

class ReceivedDelivery implements DeliveryInput {
  constructor(
    readonly raw: Buffer,
    readonly body: Record<string, unknown>,
    private readonly req: IncomingMessage,
  ) {}

  get headers(): HeaderMap {
    return this.req.headersDistinct;
  }
}

/** A handler bound to its event, ready to run. */
export type BoundHandler = (ctx: Context) => unknown;

/** What makes one platform's middleware: everything else is the shared pipeline below. */
export interface DeliverySpec<E extends TtpayEvent, C extends PaymentClientSlots, Tx> {
  /** The factory's name, for messages (`douyinCallbacks`). */
  name: string;
  platform: Platform;
  replies: Replies;
  settings: DeliverySettings<E, C, Tx>;
  /** Verifies with @ttpay/core and returns the typed event; throws TtpayError or DeliveryError. */
  verify(input: DeliveryInput): E;
  /** The handler for this event, or undefined when none is configured for it. */
  route(event: E): BoundHandler | undefined;
  /** A short label of the event type, for logs. */
  describe(event: E): string;
}

/** Binds a typed handler to its event; the cast is where Koa's context meets the handler's view of it. */
export function bindHandler<E extends TtpayEvent, C extends PaymentClientSlots, Tx>(
  handler: PaymentHandler<E, C, Tx> | undefined,
  event: E,
): BoundHandler | undefined {
  return handler && ((ctx) => handler(event, ctx as PaymentRouteContext<E, C, Tx>));
}

/**
 * What became of one delivery. The pipeline decides it; `reply` answers the platform from it and
 * `report` logs it and calls the hooks — the only places that do either.
 */
type Outcome<E> =
  /** Refused before it was verified (method, type, size, body, signature). */
  | { kind: 'rejected'; error: DeliveryError }
  /** Its key is handled already (acknowledged) or being handled (retry later). */
  | { kind: 'duplicate'; event: E; state: 'done' | 'in-flight' }
  /**
   * The handler finished: acknowledged. `unrecorded` says the store has not (yet) recorded the key done
   * — acknowledged all the same, since a non-success would have the work done twice once the claim expired.
   */
  | { kind: 'handled'; event: E; tookMs: number; unrecorded?: { pending: true } | { cause: unknown } }
  /** Verified, not applied: the platform must deliver it again. */
  | { kind: 'failed'; event: E; error: DeliveryError }
  /** The handler is still running at the deadline: retry later; it keeps its claim. */
  | { kind: 'running'; event: E };

/** Failures that are expected in normal operation: logged as warnings, not errors. */
const WARNING_CODES = new Set<DeliveryErrorCode>(['UNHANDLED_EVENT', 'LEASE_LOST']);

/** A full store (every connection in use) fails deliveries by the hundred: one line per 10 s says so. */
const STORE_BUSY_LOG_INTERVAL_MS = 10_000;

/** `STORE_BUSY` when the store said it had no connection free, else `STORE_UNAVAILABLE`. */
function storeFailureCode(cause: unknown): 'STORE_BUSY' | 'STORE_UNAVAILABLE' {
  return (cause as { code?: unknown } | null)?.code === 'STORE_BUSY' ? 'STORE_BUSY' : 'STORE_UNAVAILABLE';
}

/**
 * The pipeline all three middlewares share: raw body → parse → verify → claim → handler →
 * complete/release → the platform's reply. It decides an outcome, then replies once. It never
 * acknowledges a delivery whose handler has not finished (or, with a transactional store, whose
 * transaction has not committed), and never lets an error escape as Koa's default reply.
 */
export function createDeliveryMiddleware<E extends TtpayEvent, C extends PaymentClientSlots, Tx>(
  spec: DeliverySpec<E, C, Tx>,
): (ctx: Context, next: Next) => Promise<void> {
  const { settings, replies, platform } = spec;
  const { logger, hooks, store } = settings;
  const deadlines = new Deadlines(settings.handlerTimeoutMs);
  const transactional = isTransactionalStore(store);
  const atomic = isAtomicStore(store);
  const busyLogs = new LogRateLimit(STORE_BUSY_LOG_INTERVAL_MS);

  /** This delivery's `ctx.payment`: filled in as the event, raw bytes and transaction become known. */
  interface Payment {
    event: E | undefined;
    rawBody: Buffer | undefined;
    tx: unknown;
  }

  async function decide(ctx: Context, payment: Payment): Promise<Outcome<E>> {
    let event: E;
    try {
      event = await accept(ctx, payment);
    } catch (thrown) {
      return { kind: 'rejected', error: toDeliveryError(thrown) };
    }
    const typed = ctx as PaymentRouteContext<E, C, Tx>;
    if (hooks.onVerified) {
      try {
        await hooks.onVerified(event, typed);
      } catch (cause) {
        return failed(event, 'HOOK_FAILED', 'onVerified threw.', cause);
      }
    }
    const run = spec.route(event);
    if (!run) return failed(event, 'UNHANDLED_EVENT', `No handler for ${spec.describe(event)} events.`);

    // One deadline covers the store's claim and the handler: a store that never answers must not hold
    // the platform's request open any more than a handler may.
    const deadline = deadlines.start();
    try {
      if (atomic) return await decideAtomically(ctx, payment, event, run, deadline);
      const claim = await claimWithin(deadline, event.key);
      if (claim instanceof DeliveryError) return { kind: 'failed', event, error: claim };
      if (claim.status !== 'claimed') return { kind: 'duplicate', event, state: claim.status };

      const progress = { handlerFinished: false };
      const settled = settle(ctx, payment, event, claim.lease, run, progress);
      const outcome = await deadline.race(settled);
      if (outcome !== TIMED_OUT) return outcome;
      // Answered already; what the handler comes to is still logged and told to the hooks.
      void settled.then((late) => report(ctx, late));
      // Without a transaction the work is done once the handler is: only complete() is pending.
      if (progress.handlerFinished && !transactional) {
        return { kind: 'handled', event, tookMs: settings.handlerTimeoutMs, unrecorded: { pending: true } };
      }
      return { kind: 'running', event };
    } finally {
      deadline.cancel();
    }
  }

  /**
   * The atomic path (a store with `processOnce`, e.g. PostgresStore): claim, handler and done-record in one
   * transaction on one connection, claimed without waiting — a duplicate in flight is answered IN_FLIGHT at
   * once, and a crashed instance's claim dies with its connection (no lease to wait out). Past the
   * deadline: claimed → the handler keeps running and its transaction keeps the key (HANDLER_TIMEOUT);
   * not yet claimed → STORE_UNAVAILABLE (if the claim lands later, the handler runs and commits once, and
   * the redelivery finds the key done).
   */
  async function decideAtomically(
    ctx: Context,
    payment: Payment,
    event: E,
    run: BoundHandler,
    deadline: Deadline,
  ): Promise<Outcome<E>> {
    const startedAt = Date.now();
    const progress = { claimed: false };
    const settling = processAtomically(
      store as AtomicIdempotencyStore<unknown>,
      event.key,
      settings.doneTtlMs,
      async (tx) => {
        payment.tx = tx;
        try {
          await run(ctx);
        } finally {
          // The transaction ends with this callback: nothing may use it afterwards.
          payment.tx = undefined;
        }
      },
      progress,
    ).then((settled): Outcome<E> => {
      switch (settled.kind) {
        case 'handled':
          return { kind: 'handled', event, tookMs: Date.now() - startedAt };
        case 'duplicate':
          return { kind: 'duplicate', event, state: settled.state };
        case 'handler-failed':
          return failed(event, 'HANDLER_FAILED', 'The handler threw.', settled.cause);
        case 'store-failed': {
          const code = storeFailureCode(settled.cause);
          const what = settled.claimed
            ? 'failed to commit the handler’s transaction'
            : code === 'STORE_BUSY'
              ? 'had no connection free to claim'
              : 'failed to claim';
          return failed(event, code, `The idempotency store ${what}.`, settled.cause);
        }
      }
    });
    const outcome = await deadline.race(settling);
    if (outcome !== TIMED_OUT) return outcome;
    // Answered already; what the delivery comes to is still logged and told to the hooks.
    void settling.then((late) => report(ctx, late));
    if (progress.claimed) return { kind: 'running', event };
    return failed(
      event,
      'STORE_UNAVAILABLE',
      `The idempotency store did not claim within handlerTimeoutMs (${settings.handlerTimeoutMs} ms).`,
    );
  }

  /** Reads, parses and verifies; throws what refuses the delivery. */
  async function accept(ctx: Context, payment: Payment): Promise<E> {
    const { method } = ctx.request;
    if (method !== 'POST') {
      throw new DeliveryError('METHOD_NOT_ALLOWED', `${method} is not allowed; the platform POSTs.`);
    }
    assertJsonRequest(ctx);
    const { raw, fromStream } = await readRawBody(ctx, settings.limit, spec.name);
    const text = decodeUtf8Body(raw);
    const body = parseJsonObjectBody(text);
    if (fromStream) {
      // Leave the body parsed for the app; koa-bodyparser and @koa/bodyparser skip a request whose
      // ctx.request.body is already set, so a parser mounted later does not wait on the spent stream.
      const fields = bodyParserFields(ctx.request);
      if (fields.body === undefined) fields.body = body;
      if (fields.rawBody === undefined) fields.rawBody = text;
    }
    payment.rawBody = raw;
    const event = spec.verify(new ReceivedDelivery(raw, body, ctx.req));
    payment.event = event;
    return event;
  }

  /** The store's answer, or the DeliveryError that says why there is none in time. */
  async function claimWithin(deadline: Deadline, key: string): Promise<Claim | DeliveryError> {
    let answer: unknown;
    let pending: Promise<unknown> | undefined;
    try {
      answer = store.claim(key, settings.claimTtlMs);
      // A claim answered at once (MemoryStore) needs no race. A pending one is adopted once: a lazy
      // thenable (a query builder) would run again on every then().
      if (isThenable(answer)) {
        pending = Promise.resolve(answer);
        answer = await deadline.race(pending);
      }
    } catch (cause) {
      const code = storeFailureCode(cause);
      const what = code === 'STORE_BUSY' ? 'had no connection free to claim' : 'failed to claim';
      return new DeliveryError(code, `The idempotency store ${what}.`, { cause });
    }
    if (answer === TIMED_OUT) {
      // Nobody runs the handler for a claim that lands after the reply: hand it straight back, or
      // redeliveries would be told "in flight" until the lease ran out.
      pending?.then((late) => (isClaimed(late, key) ? store.release(late.lease) : undefined)).catch(() => {});
      return new DeliveryError(
        'STORE_UNAVAILABLE',
        `The idempotency store did not answer claim() in time (handlerTimeoutMs: ${settings.handlerTimeoutMs} ms).`,
      );
    }
    if (isClaimed(answer, key)) return answer;
    const status = (answer as { status?: unknown } | null)?.status;
    if (status === 'in-flight' || status === 'done') return answer as Claim;
    return new DeliveryError(
      'STORE_UNAVAILABLE',
      `The store answered claim() with ${describeValue(answer)}; an IdempotencyStore answers {status: 'claimed', lease: {key, token}}, {status: 'in-flight'} or {status: 'done'}.`,
    );
  }

  /**
   * Runs the handler to the end and settles its claim (`settleClaim` from @ttpay/core: with a
   * transactional store inside its transaction, `ctx.payment.tx`, the done-record committing with the
   * handler's writes). Never rejects, never replies.
   */
  async function settle(
    ctx: Context,
    payment: Payment,
    event: E,
    lease: Lease,
    run: BoundHandler,
    progress: { handlerFinished: boolean },
  ): Promise<Outcome<E>> {
    const startedAt = Date.now();
    const settled = await settleClaim(
      store,
      lease,
      settings.doneTtlMs,
      async (tx) => {
        payment.tx = tx;
        try {
          await run(ctx);
        } finally {
          // The transaction ends with this callback: nothing may use it afterwards.
          payment.tx = undefined;
        }
      },
      () => {
        progress.handlerFinished = true;
      },
    );
    if ('releaseError' in settled) {
      logger.error(
        fieldsOf(event, { err: settled.releaseError }),
        'ttpay: the idempotency store failed to release a claim',
      );
    }
    switch (settled.kind) {
      case 'handled':
        return {
          kind: 'handled',
          event,
          tookMs: Date.now() - startedAt,
          ...(settled.unrecorded ? { unrecorded: settled.unrecorded } : {}),
        };
      case 'handler-failed':
        return failed(event, 'HANDLER_FAILED', 'The handler threw.', settled.cause);
      case 'lease-lost':
        // Another claim holds the key now and applies the event; our writes were rolled back.
        return failed(
          event,
          'LEASE_LOST',
          'The claim ran out and another delivery holds the key now; nothing was committed.',
          settled.cause,
        );
      case 'store-failed':
        return failed(
          event,
          storeFailureCode(settled.cause),
          'The idempotency store failed to commit the handler’s transaction.',
          settled.cause,
        );
    }
  }

  function reply(ctx: Context, outcome: Outcome<E>): void {
    switch (outcome.kind) {
      case 'rejected':
      case 'failed':
        replies.reject(ctx, outcome.error.code);
        break;
      case 'duplicate':
        if (outcome.state === 'done') replies.ack(ctx);
        else replies.reject(ctx, 'IN_FLIGHT');
        break;
      case 'handled':
        replies.ack(ctx);
        break;
      case 'running':
        replies.reject(ctx, 'HANDLER_TIMEOUT');
        break;
    }
  }

  /** Logs the outcome and tells the hooks. Never throws. */
  async function report(ctx: Context, outcome: Outcome<E>): Promise<void> {
    const typed = ctx as PaymentRouteContext<E, C, Tx>;
    switch (outcome.kind) {
      case 'rejected': {
        const { error } = outcome;
        const status = replies.statusOf(error.code);
        const fields = { platform, code: error.code, status };
        const msg = `ttpay: ${platform} delivery rejected: ${error.message}`;
        if (status >= 500) logger.error({ ...fields, err: error.cause ?? error }, msg);
        else logger.warn(fields, msg);
        return observe('onRejected', () => hooks.onRejected?.(error, ctx));
      }
      case 'duplicate': {
        const { event, state } = outcome;
        logger.info(
          fieldsOf(event),
          state === 'done'
            ? 'ttpay: duplicate of a handled delivery; acknowledged without the handler'
            : 'ttpay: duplicate of a delivery still being handled; answered retry-later',
        );
        return observe('onDuplicate', () => hooks.onDuplicate?.(event, typed, state));
      }
      case 'handled': {
        const { event, tookMs, unrecorded } = outcome;
        if (unrecorded && 'pending' in unrecorded) {
          logger.error(
            fieldsOf(event, { code: 'STORE_UNAVAILABLE', timeoutMs: settings.handlerTimeoutMs }),
            'ttpay: the idempotency store has not answered complete() within handlerTimeoutMs; acknowledged anyway',
          );
          return;
        }
        if (unrecorded) {
          logger.error(
            fieldsOf(event, { err: unrecorded.cause }),
            'ttpay: the idempotency store failed to mark the key done; acknowledged anyway',
          );
        }
        if (tookMs >= settings.claimTtlMs) {
          logger.warn(
            fieldsOf(event, { tookMs, claimTtlMs: settings.claimTtlMs }),
            'ttpay: the handler outlived its claim (claimTtlMs): a redelivery may have run it too; raise claimTtlMs',
          );
        }
        logger.info(fieldsOf(event, { tookMs }), 'ttpay: delivery handled');
        return;
      }
      case 'failed': {
        const { event, error } = outcome;
        if (error.code === 'STORE_BUSY') {
          const heldBack = busyLogs.take();
          if (heldBack !== undefined) {
            logger.warn(
              fieldsOf(event, { code: error.code, suppressed: heldBack, err: error.cause }),
              `ttpay: ${error.message} Not acknowledged: the platform will deliver it again. The store's connections are all in use: size its pool above the deliveries handled at once. (One line per ${STORE_BUSY_LOG_INTERVAL_MS / 1000} s; \`suppressed\` counts the ones not logged before this.)`,
            );
          }
          return observe('onError', () => hooks.onError?.(error, event, typed));
        }
        const level = WARNING_CODES.has(error.code) ? 'warn' : 'error';
        logger[level](
          fieldsOf(event, { code: error.code, ...(error.cause ? { err: error.cause } : {}) }),
          `ttpay: ${error.message} Not acknowledged: the platform will deliver it again.`,
        );
        return observe('onError', () => hooks.onError?.(error, event, typed));
      }
      case 'running':
        logger.warn(
          fieldsOf(outcome.event, { code: 'HANDLER_TIMEOUT', timeoutMs: settings.handlerTimeoutMs }),
          'ttpay: the handler is still running after handlerTimeoutMs; answered retry-later, it keeps its claim',
        );
        return;
    }
  }

  function fieldsOf(event: E, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { platform, key: event.key, type: spec.describe(event), ...extra };
  }

  function failed(event: E, code: DeliveryErrorCode, message: string, cause?: unknown): Outcome<E> {
    const error = new DeliveryError(code, message, cause === undefined ? undefined : { cause });
    return { kind: 'failed', event, error };
  }

  async function observe(hook: string, call: () => unknown): Promise<void> {
    try {
      await call();
    } catch (err) {
      logger.error({ platform, hook, err }, `ttpay: ${hook} threw; ignored`);
    }
  }

  return async (ctx, next) => {
    // ctx.request, not Koa's ctx.path delegate: with `path`, every request of the app passes here.
    if (settings.path !== undefined && ctx.request.path !== settings.path) return next();
    // Set first, so that every hook, onRejected included, finds ctx.payment with the clients.
    const payment: Payment = {
      ...(ctx.payment as PaymentContext | undefined),
      ...settings.clients,
      event: undefined,
      rawBody: undefined,
      tx: undefined,
    };
    ctx.payment = payment as unknown as PaymentContext;
    const outcome = await decide(ctx, payment);
    reply(ctx, outcome);
    await report(ctx, outcome);
  };
}

function isClaimed(value: unknown, key: string): value is Extract<Claim, { status: 'claimed' }> {
  if (typeof value !== 'object' || value === null) return false;
  const { status, lease } = value as { status?: unknown; lease?: Partial<Lease> | null };
  return (
    status === 'claimed' &&
    typeof lease === 'object' &&
    lease !== null &&
    lease.key === key &&
    typeof lease.token === 'string' &&
    lease.token !== ''
  );
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return String(value);
  const status = (value as { status?: unknown }).status;
  return status === 'claimed' ? 'a claim without a valid lease for this key' : 'an unknown object';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
