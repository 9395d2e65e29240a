import type { HeaderMap, TtpayEvent } from '@ttpay/core';
import type { Context, Next } from 'koa';
import type { DeliverySettings } from './delivery-settings.js';
import { DeliveryError, toDeliveryError } from './errors.js';
import { assertJsonRequest, parseJsonObjectBody } from './json-body.js';
import { bodyParserFields, readRawBody } from './raw-body.js';
import type { Platform, Replies } from './replies.js';
import type { PaymentClientSlots, PaymentContext, PaymentHandler, PaymentRouteContext } from './types.js';

/** What a platform's verifier gets: the exact bytes, the parsed body and the headers (unjoined). */
export interface DeliveryInput {
  raw: Buffer;
  body: Record<string, unknown>;
  headers: HeaderMap;
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

  async function accept(ctx: Context): Promise<E | undefined> {
    // Set first, so that every hook, onRejected included, finds ctx.payment with the clients.
    const existing = ctx.payment as PaymentContext | undefined;
    const base = { ...existing, ...settings.clients, event: undefined, rawBody: undefined };
    ctx.payment = base as PaymentContext;
    try {
      if (ctx.method !== 'POST') {
        throw new DeliveryError('METHOD_NOT_ALLOWED', `${ctx.method} is not allowed; the platform POSTs.`);
      }
      assertJsonRequest(ctx);
      const { raw, fromStream } = await readRawBody(ctx, settings.limit, spec.name);
      const body = parseJsonObjectBody(raw);
      if (fromStream) {
        // Leave the body parsed for the app; koa-bodyparser and @koa/bodyparser skip a request whose
        // ctx.request.body is already set, so a parser mounted later does not wait on the spent stream.
        const fields = bodyParserFields(ctx.request);
        if (fields.body === undefined) fields.body = body;
        if (fields.rawBody === undefined) fields.rawBody = raw.toString('utf8');
      }
      ctx.payment = { ...base, rawBody: raw } as PaymentContext;
      const event = spec.verify({ raw, body, headers: ctx.req.headersDistinct });
      ctx.payment = { ...base, rawBody: raw, event } as PaymentContext;
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
    const deadline = deadlineAfter(settings.handlerTimeoutMs);
    try {
      let pending: Promise<unknown>;
      try {
        pending = Promise.resolve(store.claim(key, settings.claimTtlMs));
      } catch (cause) {
        pending = Promise.reject(cause);
      }
      let claim: unknown;
      try {
        claim = await Promise.race([pending, deadline.reached]);
      } catch (cause) {
        const error = new DeliveryError('STORE_UNAVAILABLE', 'The idempotency store failed to claim.', {
          cause,
        });
        return fail(error, 'error', 'ttpay: the idempotency store failed; not acknowledged');
      }
      if (claim === TIMED_OUT) {
        // Nobody runs the handler for a claim that lands after the reply: hand it straight back, or
        // redeliveries would be told "in flight" until claimTtlMs ran out.
        pending.then((late) => (late === 'claimed' ? store.release(key) : undefined)).catch(() => {});
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
        await observe('onDuplicate', () => hooks.onDuplicate?.(event, typed, claim));
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
      const outcome = await Promise.race([settled, deadline.reached]);
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
    if (settings.path !== undefined && ctx.path !== settings.path) return next();
    const event = await accept(ctx);
    if (event !== undefined) await handle(ctx, event);
  };
}

const TIMED_OUT = Symbol('timed out');

/** A timer as a promise, for racing the store and the handler against; cancel it when done. */
function deadlineAfter(ms: number): { reached: Promise<typeof TIMED_OUT>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const reached = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT);
  });
  return { reached, cancel: () => clearTimeout(timer) };
}
