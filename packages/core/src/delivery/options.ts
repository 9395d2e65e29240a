import { TtpayError } from '../errors.js';
import type { TtpayEvent } from '../events.js';
import type {
  AtomicIdempotencyStore,
  IdempotencyStore,
  TransactionalIdempotencyStore,
} from '../idempotency.js';
import { consoleLogger, type TtpayLogger } from '../logger.js';
import { positiveIntegerOr } from '../shared/option-checks.js';
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_CLAIM_TTL_MS,
  DEFAULT_DONE_TTL_MS,
  DEFAULT_HANDLER_TIMEOUT_MS,
} from './defaults.js';
import type { DeliveryError } from './delivery-error.js';
import { MemoryStore } from './memory-store.js';
import type { DuplicateState } from './types.js';

/**
 * Lifecycle hooks, for metrics or to persist the raw delivery. `onVerified` may veto: if it throws, the
 * delivery is not acknowledged (500 HOOK_FAILED). The others observe: what they throw is logged and
 * changes nothing. `C` is the context handlers get; `CR` what `onRejected` gets.
 */
export interface DeliveryHooks<E extends TtpayEvent, C, CR = C> {
  /** After verification, before de-duplication: every verified delivery, duplicates included. */
  onVerified?: ((event: E, context: C) => unknown) | undefined;
  /** A delivery whose key is already being handled (`in-flight`) or was handled (`done`). */
  onDuplicate?: ((event: E, context: C, state: DuplicateState) => unknown) | undefined;
  /** A delivery refused before it was verified (bad method, type, size, body or signature). */
  onRejected?: ((error: DeliveryError, context: CR) => unknown) | undefined;
  /**
   * A verified event that was not acknowledged: the handler threw (`HANDLER_FAILED`, `cause` is what it
   * threw), the store failed, no handler was configured for it, or `onVerified` threw.
   */
  onError?: ((error: DeliveryError, event: E, context: C) => unknown) | undefined;
}

/** The options every endpoint takes besides its credentials, handlers and hooks (defaults: `defaults.ts`). */
export interface DeliveryOptions<Tx = undefined> {
  /** Largest body in bytes; larger is 413. Default 1 MiB (AlgoVoi: 64 KiB). */
  limit?: number | undefined;
  /**
   * Where event keys are claimed. Default: a new in-process `MemoryStore` per endpoint. A store with
   * `processOnce` (`AtomicIdempotencyStore`) claims, runs the handler and records the key done in one
   * transaction; one with `completeWithin` (`TransactionalIdempotencyStore`) runs the handler inside its
   * transaction and commits the done-record with it. Either hands the transaction to the handler (`tx`).
   */
  store?: IdempotencyStore | TransactionalIdempotencyStore<Tx> | AtomicIdempotencyStore<Tx> | undefined;
  /** In-flight lease per key; must outlast your slowest handler. Default 5 minutes. */
  claimTtlMs?: number | undefined;
  /**
   * How long a handled key is remembered; must cover the platforms' retries. Default 48 hours (Douyin: 74
   * hours, beyond the trade system's `Byte-Timestamp` window).
   */
  doneTtlMs?: number | undefined;
  /**
   * How long to wait for the store's claim and the handler before replying "retry later" (503
   * STORE_UNAVAILABLE if the claim has not been answered, else 503 HANDLER_TIMEOUT). The handler
   * keeps running and its key stays claimed; when it finishes, the next redelivery is acknowledged.
   * Default 10 s (TikTok Shop: 2.5 s, it waits 3 s).
   */
  handlerTimeoutMs?: number | undefined;
  /** Default: warnings and errors to the console. */
  logger?: TtpayLogger | undefined;
}

/** The options with every default applied and checked, once, when the endpoint is made. */
export interface DeliverySettings {
  readonly limit: number;
  readonly store: IdempotencyStore;
  readonly claimTtlMs: number;
  readonly doneTtlMs: number;
  readonly handlerTimeoutMs: number;
  readonly logger: TtpayLogger;
  readonly hooks: DeliveryHooks<TtpayEvent, unknown>;
}

export function resolveDeliverySettings(
  options: DeliveryOptions<unknown> & DeliveryHooks<never, never, never>,
  defaults: { limit?: number; handlerTimeoutMs?: number; doneTtlMs?: number } = {},
): DeliverySettings {
  const { store, logger } = options;
  if (store !== undefined && !isStore(store)) {
    throw new TtpayError('INVALID_ARGUMENT', 'store must have claim(), complete() and release().');
  }
  return {
    limit: positiveIntegerOr(options.limit, defaults.limit ?? DEFAULT_BODY_LIMIT, 'limit'),
    store: store ?? new MemoryStore(),
    claimTtlMs: positiveIntegerOr(options.claimTtlMs, DEFAULT_CLAIM_TTL_MS, 'claimTtlMs'),
    doneTtlMs: positiveIntegerOr(options.doneTtlMs, defaults.doneTtlMs ?? DEFAULT_DONE_TTL_MS, 'doneTtlMs'),
    handlerTimeoutMs: positiveIntegerOr(
      options.handlerTimeoutMs,
      defaults.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
      'handlerTimeoutMs',
    ),
    logger: logger ?? consoleLogger,
    // The hooks' parameter types are the adapter's; the engine calls them with what the adapter built.
    hooks: {
      onVerified: options.onVerified,
      onDuplicate: options.onDuplicate,
      onRejected: options.onRejected,
      onError: options.onError,
    } as DeliveryHooks<TtpayEvent, unknown>,
  };
}

function isStore(value: unknown): value is IdempotencyStore {
  if (typeof value !== 'object' || value === null) return false;
  const store = value as Record<string, unknown>;
  return (
    typeof store.claim === 'function' &&
    typeof store.complete === 'function' &&
    typeof store.release === 'function'
  );
}

/** Checks that an endpoint has at least one handler: an endpoint that handles nothing acks nothing. */
export function requireSomeHandler(name: string, ...handlers: unknown[]): void {
  if (!handlers.some((h) => typeof h === 'function')) {
    throw new TtpayError('INVALID_ARGUMENT', `${name}() needs at least one handler.`);
  }
}
