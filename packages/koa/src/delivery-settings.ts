import { type IdempotencyStore, TtpayError, type TtpayEvent, type TtpayLogger } from '@ttpay/core';
import { consoleLogger, positiveIntegerOr } from '@ttpay/core/internal';
import {
  DEFAULT_BODY_LIMIT,
  DEFAULT_CLAIM_TTL_MS,
  DEFAULT_DONE_TTL_MS,
  DEFAULT_HANDLER_TIMEOUT_MS,
} from './defaults.js';
import { MemoryStore } from './memory-store.js';
import type { DeliveryHooks, DeliveryOptions, PaymentClientSlots } from './types.js';

/** The common options with every default applied and checked, once, at start-up. */
export interface DeliverySettings<E extends TtpayEvent, C extends PaymentClientSlots, Tx> {
  path: string | undefined;
  limit: number;
  store: IdempotencyStore;
  claimTtlMs: number;
  doneTtlMs: number;
  handlerTimeoutMs: number;
  logger: TtpayLogger;
  clients: C | undefined;
  hooks: DeliveryHooks<E, C, Tx>;
}

export function resolveDeliverySettings<E extends TtpayEvent, C extends PaymentClientSlots, Tx>(
  options: DeliveryOptions<E, C, Tx>,
  defaults: { limit?: number; handlerTimeoutMs?: number } = {},
): DeliverySettings<E, C, Tx> {
  const { path, store, logger, clients } = options;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    throw new TtpayError('INVALID_ARGUMENT', 'path must start with "/".');
  }
  if (store !== undefined && !isStore(store)) {
    throw new TtpayError('INVALID_ARGUMENT', 'store must have claim(), complete() and release().');
  }
  return {
    path,
    limit: positiveIntegerOr(options.limit, defaults.limit ?? DEFAULT_BODY_LIMIT, 'limit'),
    store: store ?? new MemoryStore(),
    claimTtlMs: positiveIntegerOr(options.claimTtlMs, DEFAULT_CLAIM_TTL_MS, 'claimTtlMs'),
    doneTtlMs: positiveIntegerOr(options.doneTtlMs, DEFAULT_DONE_TTL_MS, 'doneTtlMs'),
    handlerTimeoutMs: positiveIntegerOr(
      options.handlerTimeoutMs,
      defaults.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
      'handlerTimeoutMs',
    ),
    logger: logger ?? consoleLogger,
    clients,
    hooks: {
      onVerified: options.onVerified,
      onDuplicate: options.onDuplicate,
      onRejected: options.onRejected,
      onError: options.onError,
    },
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

/** Checks that a middleware has at least one handler: an endpoint that handles nothing acks nothing. */
export function requireSomeHandler(name: string, ...handlers: unknown[]): void {
  if (!handlers.some((h) => typeof h === 'function')) {
    throw new TtpayError('INVALID_ARGUMENT', `${name}() needs at least one handler.`);
  }
}
