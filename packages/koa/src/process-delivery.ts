import type { IncomingMessage } from 'node:http';
import type { HeaderMap, TtpayEvent } from '@ttpay/core';
import type { Context, Next } from 'koa';
import { Deadlines, TIMED_OUT } from './deadlines.js';
import type { DeliverySettings } from './delivery-settings.js';
import { DeliveryError, toDeliveryError } from './errors.js';
import { assertJsonRequest, decodeUtf8Body, parseJsonObjectBody } from './json-body.js';
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
export interface DeliverySpec<E extends TtpayEvent, C extends PaymentClientSlots> {
  /** The factory's name, for messages (`douyinCallbacks`). */
  name: string;
  platform: Platform;
  replies: Replies;
  settings: DeliverySettings<E, C>;
  /** Verifies with @ttpay/core and returns the typed event; throws TtpayError or DeliveryError. */
  verify(input: DeliveryInput): E;
  /** The handler for this event, or undefined when none is configured for it. */
  route(event: E): BoundHandler | undefined;
  /** A short label of the event type, for logs. */
  describe(event: E): string;
}

/** Binds a typed handler to its event; the cast is where Koa's context meets the handler's view of it. */
export function bindHandler<E extends TtpayEvent, C extends PaymentClientSlots>(
  handler: PaymentHandler<E, C> | undefined,
  event: E,
): BoundHandler | undefined {
  return handler && ((ctx) => handler(event, ctx as PaymentRouteContext<E, C>));
}

/**
 * The pipeline all three middlewares share: raw body → parse → verify → claim → handler →
 * complete/release → the platform's reply. It never acknowledges a delivery whose handler has not
 * finished, and never lets an error escape as Koa's default reply.
 */
export function createDeliveryMiddleware<E extends TtpayEvent, C extends PaymentClientSlots>(
  spec: DeliverySpec<E, C>,
): (ctx: Context, next: Next) => Promise<void> {
  const { settings, replies, platform } = spec;
  const { logger, hooks, store } = settings;
  const deadlines = new Deadlines(settings.handlerTimeoutMs);

  async function accept(ctx: Context): Promise<E | undefined> {
    // Set first, so that every hook, onRejected included, finds ctx.payment with the clients. The
    // object is this delivery's own: rawBody and event are filled in as they become known.
    const existing = ctx.payment as PaymentContext | undefined;
    const payment: { event: E | undefined; rawBody: Buffer | undefined } = {
      ...existing,
      ...settings.clients,
      event: undefined,
      rawBody: undefined,
    };
    ctx.payment = payment as PaymentContext;
    try {
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
    } catch (thrown) {
      const error = toDeliveryError(thrown);
      replies.reject(ctx, error.code);
      const status = replies.statusOf(error.code);
      const fields = { platform, code: error.code, status };
      const msg = `ttpay: ${platform} delivery rejected: ${error.message}`;
      if (status >= 500) logger.error({ ...fields, err: error.cause ?? error }, msg);
      else logger.warn(fields, msg);
      await observe('onRejected', () => hooks.onRejected?.(error, ctx));
      return undefined;
    }
  }

  async function handle(ctx: Context, event: E): Promise<void> {
    const typed = ctx as PaymentRouteContext<E, C>;
    const key = event.key;
    const fields = { platform, key, type: spec.describe(event) };

    /** Logs a verified event that is not acknowledged and tells onError; the caller replies. */
    const report = async (error: DeliveryError, level: 'warn' | 'error', msg: string): Promise<void> => {
      logger[level]({ ...fields, code: error.code, ...(error.cause ? { err: error.cause } : {}) }, msg);
      await observe('onError', () => hooks.onError?.(error, event, typed));
    };
    const fail = async (error: DeliveryError, level: 'warn' | 'error', msg: string): Promise<void> => {
      replies.reject(ctx, error.code);
      await report(error, level, msg);
    };

    if (hooks.onVerified) {
      try {
        await hooks.onVerified(event, typed);
      } catch (cause) {
        const error = new DeliveryError('HOOK_FAILED', 'onVerified threw.', { cause });
        return fail(error, 'error', 'ttpay: onVerified threw; the delivery is not acknowledged');
      }
    }

    const run = spec.route(event);
    if (!run) {
      const error = new DeliveryError('UNHANDLED_EVENT', `No handler for ${fields.type} events.`);
      return fail(
        error,
        'warn',
        `ttpay: no handler for ${fields.type} and no onEvent; not acknowledged, the platform will retry`,
      );
    }

    // One deadline covers the store's claim and the handler: a store that never answers must not hold
    // the platform's request open any more than a handler may (a hanging claim() used to wait forever).
    const deadline = deadlines.start();
    try {
      let claim: unknown;
      let pending: Promise<unknown> | undefined;
      try {
        claim = store.claim(key, settings.claimTtlMs);
        // A claim answered at once (MemoryStore) needs no race. A pending one is adopted once: a lazy
        // thenable (a query builder) would run again on every then().
        if (isThenable(claim)) {
          pending = Promise.resolve(claim);
          claim = await deadline.race(pending);
        }
      } catch (cause) {
        const error = new DeliveryError('STORE_UNAVAILABLE', 'The idempotency store failed to claim.', {
          cause,
        });
        return fail(error, 'error', 'ttpay: the idempotency store failed; not acknowledged');
      }
      if (claim === TIMED_OUT) {
        // Nobody runs the handler for a claim that lands after the reply (only a pending one can): hand
        // it straight back, or redeliveries would be told "in flight" until claimTtlMs ran out.
        pending?.then((late) => (late === 'claimed' ? store.release(key) : undefined)).catch(() => {});
        const error = new DeliveryError(
          'STORE_UNAVAILABLE',
          `The idempotency store did not answer claim() within handlerTimeoutMs (${settings.handlerTimeoutMs} ms).`,
        );
        return fail(
          error,
          'error',
          'ttpay: the idempotency store did not answer claim() in time; not acknowledged',
        );
      }
      if (claim === 'done' || claim === 'in-flight') {
        if (hooks.onDuplicate) await observe('onDuplicate', () => hooks.onDuplicate?.(event, typed, claim));
        if (claim === 'done') {
          logger.info(fields, 'ttpay: duplicate of a handled delivery; acknowledged without the handler');
          replies.ack(ctx);
        } else {
          logger.info(fields, 'ttpay: duplicate of a delivery still being handled; answered retry-later');
          replies.reject(ctx, 'IN_FLIGHT');
        }
        return;
      }
      if (claim !== 'claimed') {
        const error = new DeliveryError(
          'STORE_UNAVAILABLE',
          `The store answered claim() with ${String(claim)}.`,
        );
        return fail(error, 'error', 'ttpay: the idempotency store answered an unknown claim result');
      }

      const progress = { handlerFinished: false };
      const settled = settle(ctx, key, run, fields, report, progress);
      const outcome = await deadline.race(settled);
      if (outcome === 'done') replies.ack(ctx);
      else if (outcome === 'failed') replies.reject(ctx, 'HANDLER_FAILED');
      else if (progress.handlerFinished) {
        // Only the store's complete() is still pending. The work is done: acknowledge, as when
        // complete() throws — a non-success would have it done twice once the claim expired.
        logger.error(
          { ...fields, code: 'STORE_UNAVAILABLE', timeoutMs: settings.handlerTimeoutMs },
          'ttpay: the idempotency store has not answered complete() within handlerTimeoutMs; acknowledged anyway',
        );
        replies.ack(ctx);
      } else {
        // Never acknowledge before the handler finished: answer retry-later now and let it finish with
        // its key claimed, so a redelivery finds it in flight, then done (and is acknowledged).
        replies.reject(ctx, 'HANDLER_TIMEOUT');
        logger.warn(
          { ...fields, code: 'HANDLER_TIMEOUT', timeoutMs: settings.handlerTimeoutMs },
          'ttpay: the handler is still running after handlerTimeoutMs; answered retry-later, it keeps its claim',
        );
      }
    } finally {
      deadline.cancel();
    }
  }

  /** Runs the handler to the end, then completes or releases its key. Never rejects, never replies. */
  async function settle(
    ctx: Context,
    key: string,
    run: BoundHandler,
    fields: Record<string, unknown>,
    report: (error: DeliveryError, level: 'warn' | 'error', msg: string) => Promise<void>,
    progress: { handlerFinished: boolean },
  ): Promise<'done' | 'failed'> {
    const startedAt = Date.now();
    try {
      try {
        await run(ctx);
      } catch (cause) {
        try {
          await store.release(key);
        } catch (err) {
          logger.error({ ...fields, err }, 'ttpay: the idempotency store failed to release a claim');
        }
        const error = new DeliveryError('HANDLER_FAILED', 'The handler threw.', { cause });
        await report(error, 'error', 'ttpay: the handler threw; not acknowledged, the platform will retry');
        return 'failed';
      }
      progress.handlerFinished = true;
      try {
        await store.complete(key, settings.doneTtlMs);
      } catch (err) {
        // The work is done: a non-success now would have it done twice once the claim expires.
        logger.error(
          { ...fields, err },
          'ttpay: the idempotency store failed to mark the key done; acknowledged anyway',
        );
      }
      const tookMs = Date.now() - startedAt;
      if (tookMs >= settings.claimTtlMs) {
        logger.warn(
          { ...fields, tookMs, claimTtlMs: settings.claimTtlMs },
          'ttpay: the handler outlived its claim (claimTtlMs): a redelivery may have run it too; raise claimTtlMs',
        );
      }
      logger.info({ ...fields, tookMs }, 'ttpay: delivery handled');
      return 'done';
    } catch (err) {
      logger.error({ ...fields, err }, 'ttpay: unexpected failure while settling a delivery');
      return 'failed';
    }
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
    const event = await accept(ctx);
    if (event !== undefined) await handle(ctx, event);
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
