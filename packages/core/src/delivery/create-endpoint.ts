import { settleClaim } from '../apply-once.js';
import type { TtpayEvent } from '../events.js';
import {
  type AtomicIdempotencyStore,
  type Claim,
  isAtomicStore,
  isTransactionalStore,
  type Lease,
} from '../idempotency.js';
import type { HeaderMap } from '../shared/headers.js';
import type { ParsedBody } from '../shared/signed-request.js';
import { type Deadline, Deadlines, TIMED_OUT } from './deadlines.js';
import {
  DeliveryError,
  type DeliveryErrorCode,
  HANDLER_CONTRACT_CODES,
  storeFailureCode,
  toDeliveryError,
} from './delivery-error.js';
import type { DeliverySettings } from './options.js';
import { LogRateLimit } from './rate-limited-log.js';
import { assertJsonRequest, readJsonBody } from './read-json-body.js';
import type { PlatformReplies } from './replies.js';
import type {
  Delivery,
  DeliveryEndpoint,
  DeliveryOutcome,
  DeliveryState,
  DuplicateState,
  EndpointAdapter,
  Platform,
  Reply,
} from './types.js';

/** A handler bound to its event and the adapter's context. */
export type BoundHandler = (event: TtpayEvent, context: unknown) => unknown;

/** What makes one platform's endpoint: everything else is the engine below. */
export interface PlatformSpec<E extends TtpayEvent> {
  platform: Platform;
  replies: PlatformReplies;
  /** Verifies the body the engine parsed, with @ttpay/core; throws TtpayError or DeliveryError. */
  verify(body: ParsedBody, headers: HeaderMap): E;
  /** The handler for this event, or undefined when none is configured for it. */
  route(event: E): BoundHandler | undefined;
  /** A short label of the event type, for logs. */
  describe(event: E): string;
  /** The reply data (JSON text) in what a handler returned, where the platform's reply carries data. */
  replyJson?(returned: unknown): string | undefined;
  /**
   * Refuses a verified event that must not be applied here whatever the store says (Douyin: signed for
   * another app); the error is the outcome. Runs before the hooks and the store.
   */
  check?(event: E): DeliveryError | undefined;
  /**
   * Whether this event's answer must carry the handler's reply data (Douyin's refund application): a
   * repeated delivery of it after it was handled cannot be answered with a bare acknowledgement.
   */
  needsReplyData?(event: E): boolean;
}

/** Failures that are expected in normal operation: logged as warnings, not errors. */
const WARNING_CODES = new Set<DeliveryErrorCode>(['UNHANDLED_EVENT', 'LEASE_LOST']);

/** A full store (every connection in use) fails deliveries by the hundred: one line per 10 s says so. */
const STORE_BUSY_LOG_INTERVAL_MS = 10_000;

/** Thrown into an atomic store's transaction whose claim landed after the reply: rolls it back. */
const ABANDONED = Symbol('answered before the claim');

interface LiveState {
  event: TtpayEvent | undefined;
  rawBody: Buffer | undefined;
  tx: unknown;
}

type Outcome<E extends TtpayEvent> = DeliveryOutcome<E> & { replyJson?: string };

/**
 * The delivery engine: one state machine for every platform and every framework. It reads (through the
 * adapter) and checks the request, parses the body once, verifies it once, claims the event's key,
 * runs the handler, completes or releases the claim — or, with an atomic store, does claim, handler and
 * done-record in one transaction — and decides an outcome. Then, in one place each, it turns the
 * outcome into the reply and logs it and calls the hooks. It never acknowledges a delivery whose handler
 * has not finished (or, with a transactional store, whose transaction has not committed).
 *
 * The split is octokit/webhooks.js's: `verify-and-receive.ts` knows no HTTP and `create-middleware.ts`
 * takes the framework's `getPayload`/`handleResponse`; here the adapter hands in a `Delivery` and a
 * `respond` function, and nothing else of its framework.
 */
export function createEndpoint<E extends TtpayEvent, Req>(
  spec: PlatformSpec<E>,
  settings: DeliverySettings,
  adapter: EndpointAdapter<Req, unknown>,
): DeliveryEndpoint<Req> {
  const { replies, platform } = spec;
  const { logger, hooks, store } = settings;
  const deadlines = new Deadlines(settings.handlerTimeoutMs);
  const atomic = isAtomicStore(store);
  const transactional = isTransactionalStore(store);
  const busyLogs = new LogRateLimit(STORE_BUSY_LOG_INTERVAL_MS);

  async function receive<T>(
    delivery: Delivery<Req>,
    respond: (reply: Reply, outcome: DeliveryOutcome) => T,
  ): Promise<T> {
    const state: LiveState = { event: undefined, rawBody: undefined, tx: undefined };
    // First, so that every hook, onRejected included, finds the context.
    const context = adapter.context(state as DeliveryState, delivery.request);
    const outcome = await decide(delivery, state, context);
    try {
      return respond(replyFor(outcome), outcome);
    } finally {
      await report(outcome, context);
    }
  }

  async function decide(delivery: Delivery<Req>, state: LiveState, context: unknown): Promise<Outcome<E>> {
    let event: E;
    try {
      event = await accept(delivery, state);
    } catch (thrown) {
      return { kind: 'rejected', error: toDeliveryError(thrown) };
    }
    const refused = spec.check?.(event);
    if (refused) return { kind: 'failed', event, error: refused };
    if (hooks.onVerified) {
      try {
        await hooks.onVerified(event, context);
      } catch (cause) {
        return failed(event, 'HOOK_FAILED', 'onVerified threw.', cause);
      }
    }
    const handler = spec.route(event);
    if (!handler) return failed(event, 'UNHANDLED_EVENT', `No handler for ${spec.describe(event)} events.`);

    // One deadline covers the store's claim and the handler: a store that never answers must not hold
    // the platform's request open any more than a handler may.
    const deadline = deadlines.start();
    try {
      const run = (tx: unknown) => runHandler(handler, event, state, context, tx);
      const reportLate = (late: Outcome<E>) => void report(late, context);
      return atomic
        ? await processAtomically(event, run, deadline, reportLate)
        : await processWithLease(event, run, deadline, reportLate);
    } finally {
      deadline.cancel();
    }
  }

  /** Checks, reads, parses and verifies; throws what refuses the delivery. */
  async function accept(delivery: Delivery<Req>, state: LiveState): Promise<E> {
    const { method, headers } = delivery;
    if (method !== 'POST') {
      throw new DeliveryError('METHOD_NOT_ALLOWED', `${method} is not allowed; the platform POSTs.`);
    }
    assertJsonRequest(headers);
    const body = await readJsonBody(delivery, settings.limit, (raw) => {
      state.rawBody = raw;
    });
    delivery.onParsed?.(body.text, body.json);
    const event = spec.verify(body, headers);
    state.event = event;
    return event;
  }

  /** Runs the handler with the store's transaction on the state (and only while the handler runs). */
  async function runHandler(
    handler: BoundHandler,
    event: E,
    state: LiveState,
    context: unknown,
    tx: unknown,
  ): Promise<unknown> {
    state.tx = tx;
    try {
      return await handler(event, context);
    } finally {
      // The transaction ends with the handler: nothing may use it afterwards.
      state.tx = undefined;
    }
  }

  /** The lease path: claim → handler → complete, or release (`settleClaim`, @ttpay/core). */
  async function processWithLease(
    event: E,
    run: (tx: unknown) => Promise<unknown>,
    deadline: Deadline,
    reportLate: (late: Outcome<E>) => void,
  ): Promise<Outcome<E>> {
    const claim = await claimWithin(deadline, event.key);
    if (claim instanceof DeliveryError) return { kind: 'failed', event, error: claim };
    if (claim.status !== 'claimed') return duplicate(event, claim.status);

    let finished: { result: unknown } | undefined;
    const settled = settle(event, claim.lease, run, (result) => {
      finished = { result };
    });
    const outcome = await deadline.race(settled);
    if (outcome !== TIMED_OUT) return outcome;
    // Answered already; what the handler comes to is still logged and told to the hooks.
    void settled.then(reportLate);
    // Without a transaction the work is done once the handler is: only complete() is pending.
    const done = finished as { result: unknown } | undefined; // set by the callback above, meanwhile
    if (done && !transactional)
      return handled(event, settings.handlerTimeoutMs, done.result, { pending: true });
    return { kind: 'running', event };
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
      return new DeliveryError(code, `The idempotency store ${failedToClaim(code)}.`, { cause });
    }
    if (answer === TIMED_OUT) {
      // Nobody runs the handler for a claim that lands after the reply: hand it straight back, or
      // redeliveries would be told "in flight" until the lease ran out.
      pending?.then((late) => (isClaimed(late, key) ? store.release(late.lease) : undefined)).catch(() => {});
      return notInTime('claim()');
    }
    if (isClaimed(answer, key)) return answer;
    const status = (answer as { status?: unknown } | null)?.status;
    if (status === 'in-flight' || status === 'done') return answer as Claim;
    return new DeliveryError(
      'STORE_FAILED',
      `The store answered claim() with ${describeValue(answer)}; an IdempotencyStore answers {status: 'claimed', lease: {key, token}}, {status: 'in-flight'} or {status: 'done'}.`,
    );
  }

  /**
   * Runs the handler to the end and settles its claim (with a transactional store inside its
   * transaction, the done-record committing with the handler's writes). Never rejects, never replies.
   */
  async function settle(
    event: E,
    lease: Lease,
    run: (tx: unknown) => Promise<unknown>,
    onHandlerDone: (result: unknown) => void,
  ): Promise<Outcome<E>> {
    const startedAt = Date.now();
    const settled = await settleClaim(store, lease, settings.doneTtlMs, run, onHandlerDone);
    if ('releaseError' in settled) {
      logger.error(
        fieldsOf(event, { err: settled.releaseError }),
        'ttpay: the idempotency store failed to release a claim',
      );
    }
    switch (settled.kind) {
      case 'handled':
        return handled(event, Date.now() - startedAt, settled.result, settled.unrecorded);
      case 'handler-failed':
        return handlerFailed(event, settled.cause);
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

  /**
   * The leaseless path (`AtomicIdempotencyStore.processOnce`): claim, handler and done-record in one
   * transaction, claimed without waiting. Before the claim is held the deadline means the store did not
   * answer; after it, the handler (or its commit) is still running — never acknowledged before commit.
   */
  async function processAtomically(
    event: E,
    run: (tx: unknown) => Promise<unknown>,
    deadline: Deadline,
    reportLate: (late: Outcome<E>) => void,
  ): Promise<Outcome<E>> {
    const atomicStore = store as AtomicIdempotencyStore<unknown>;
    let claimed = false;
    /** Answered before the store held the key: a claim that lands now is rolled back, not worked on. */
    let abandoned = false;
    let handlerError: { cause: unknown } | undefined;
    const startedAt = Date.now();
    const work = async (tx: unknown): Promise<unknown> => {
      if (abandoned) throw ABANDONED;
      try {
        return await run(tx);
      } catch (cause) {
        handlerError = { cause };
        throw cause;
      }
    };
    const settled = (async (): Promise<Outcome<E> | typeof ABANDONED> => {
      try {
        const result = await atomicStore.processOnce(event.key, settings.doneTtlMs, work, () => {
          claimed = true;
        });
        if (result?.status === 'done' || result?.status === 'in-flight') {
          return duplicate(event, result.status);
        }
        if (result?.status === 'processed') return handled(event, Date.now() - startedAt, result.result);
        return failed(
          event,
          'STORE_FAILED',
          `The store answered processOnce() with ${describeValue(result)}; an AtomicIdempotencyStore answers {status: 'done'}, {status: 'in-flight'} or {status: 'processed', result}.`,
        );
      } catch (thrown) {
        if (thrown === ABANDONED) return ABANDONED;
        if (handlerError && thrown === handlerError.cause) return handlerFailed(event, thrown);
        const code = storeFailureCode(thrown);
        const what = claimed ? 'failed to commit the handler’s transaction' : failedToClaim(code);
        return failed(event, code, `The idempotency store ${what}.`, thrown);
      }
    })();
    const outcome = await deadline.race(settled);
    if (outcome === ABANDONED) return { kind: 'failed', event, error: notInTime('processOnce()') };
    if (outcome !== TIMED_OUT) return outcome;
    if (!claimed) {
      abandoned = true;
      return { kind: 'failed', event, error: notInTime('processOnce()') };
    }
    // Claimed: the handler or its commit runs on, keeping the key; what it comes to is still reported.
    void settled.then((late) => (late === ABANDONED ? undefined : reportLate(late)));
    return { kind: 'running', event };
  }

  function notInTime(what: string): DeliveryError {
    return new DeliveryError(
      'STORE_UNAVAILABLE',
      `The idempotency store did not answer ${what} in time (handlerTimeoutMs: ${settings.handlerTimeoutMs} ms).`,
    );
  }

  function handled(
    event: E,
    tookMs: number,
    returned: unknown,
    unrecorded?: { pending: true } | { cause: unknown },
  ): Outcome<E> {
    const replyJson = spec.replyJson?.(returned);
    return {
      kind: 'handled',
      event,
      tookMs,
      ...(replyJson === undefined ? {} : { replyJson, replyData: JSON.parse(replyJson) }),
      ...(unrecorded ? { unrecorded } : {}),
    };
  }

  /**
   * A key that is handled already or being handled. A handled one whose answer must carry data the
   * store does not keep (Douyin's refund application) is answered "retry later": a bare acknowledgement
   * would read as an answer without `out_refund_no`. Until stores keep the reply with the done-record,
   * the platform asks again and the handler runs again once the done-record expires (`doneTtlMs`).
   */
  function duplicate(event: E, state: DuplicateState): Outcome<E> {
    if (state === 'done' && spec.needsReplyData?.(event)) {
      return failed(
        event,
        'REPLY_DATA_UNAVAILABLE',
        'A repeat of a handled delivery whose answer needs the handler’s reply data, which the store does not keep.',
      );
    }
    return { kind: 'duplicate', event, state };
  }

  /** The handler threw: HANDLER_FAILED, or the code of the contract it broke (MISSING_REPLY_DATA). */
  function handlerFailed(event: E, cause: unknown): Outcome<E> {
    if (cause instanceof DeliveryError && HANDLER_CONTRACT_CODES.has(cause.code)) {
      return { kind: 'failed', event, error: cause };
    }
    return failed(event, 'HANDLER_FAILED', 'The handler threw.', cause);
  }

  function failed(event: E, code: DeliveryErrorCode, message: string, cause?: unknown): Outcome<E> {
    const error = new DeliveryError(code, message, cause === undefined ? undefined : { cause });
    return { kind: 'failed', event, error };
  }

  /** The one place an outcome becomes a reply. */
  function replyFor(outcome: Outcome<E>): Reply {
    switch (outcome.kind) {
      case 'rejected':
      case 'failed':
        return replies.reject(outcome.error.code);
      case 'duplicate':
        // The seam for reply data on a done duplicate: stores keep none yet, so a duplicate of a handled
        // delivery is a plain acknowledgement — and one whose answer needs data never gets here
        // (`duplicate()` makes it REPLY_DATA_UNAVAILABLE). Once a store's `done` answer carries the
        // handler's reply data, pass it to ack() here.
        return outcome.state === 'done' ? replies.ack() : replies.reject('IN_FLIGHT');
      case 'handled':
        return replies.ack(outcome.replyJson);
      case 'running':
        return replies.reject('HANDLER_TIMEOUT');
    }
  }

  /** The one place an outcome is logged and told to the hooks (a late one too, after the reply). Never throws. */
  async function report(outcome: Outcome<E>, context: unknown): Promise<void> {
    switch (outcome.kind) {
      case 'rejected': {
        const { error } = outcome;
        const status = replies.statusOf(error.code);
        const fields = { platform, code: error.code, status };
        const msg = `ttpay: ${platform} delivery rejected: ${error.message}`;
        if (status >= 500) logger.error({ ...fields, err: error.cause ?? error }, msg);
        else logger.warn(fields, msg);
        return observe('onRejected', () => hooks.onRejected?.(error, context));
      }
      case 'duplicate': {
        const { event, state } = outcome;
        logger.info(
          fieldsOf(event),
          state === 'done'
            ? 'ttpay: duplicate of a handled delivery; acknowledged without the handler'
            : 'ttpay: duplicate of a delivery still being handled; answered retry-later',
        );
        return observe('onDuplicate', () => hooks.onDuplicate?.(event, context, state));
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
        if (tookMs >= settings.claimTtlMs && !atomic) {
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
          // Every delivery of a burst meets the same full pool: one line per interval, with a count.
          const heldBack = busyLogs.take();
          if (heldBack !== undefined) {
            logger.warn(
              fieldsOf(event, { code: error.code, suppressed: heldBack, err: error.cause }),
              `ttpay: ${error.message} Not acknowledged: the platform will deliver it again. The store's connections are all in use: size its pool above the deliveries handled at once. (One line per ${STORE_BUSY_LOG_INTERVAL_MS / 1000} s; \`suppressed\` counts the ones not logged before this.)`,
            );
          }
          return observe('onError', () => hooks.onError?.(error, event, context));
        }
        const level = WARNING_CODES.has(error.code) ? 'warn' : 'error';
        logger[level](
          fieldsOf(event, { code: error.code, ...(error.cause ? { err: error.cause } : {}) }),
          `ttpay: ${error.message} Not acknowledged: the platform will deliver it again.`,
        );
        return observe('onError', () => hooks.onError?.(error, event, context));
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

  async function observe(hook: string, call: () => unknown): Promise<void> {
    try {
      await call();
    } catch (err) {
      logger.error({ platform, hook, err }, `ttpay: ${hook} threw; ignored`);
    }
  }

  return { receive };
}

function failedToClaim(code: DeliveryErrorCode): string {
  return code === 'STORE_BUSY' ? 'had no connection free to claim' : 'failed to claim';
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
