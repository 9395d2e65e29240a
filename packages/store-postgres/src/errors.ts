import { TtpayError } from '@ttpay/core';
import type { StoreErrorCode } from '@ttpay/core/store';

/**
 * The store codes of `@ttpay/core` (`StoreErrorCode`). Callers (and the delivery engine's replies) switch on
 * `code`, never on `message`. Here:
 * - `STORE_UNAVAILABLE`: the database did not answer in time or the connection is down; nothing is
 *   known to have happened, so the delivery must not be acknowledged (the platform retries).
 * - `STORE_BUSY`: the database is up but no connection was free in time (every one of the pool's in
 *   use, or the server at max_connections); nothing was done, the platform retries.
 * - `STORE_REJECTED`: the database answered with an error (missing table: run `setup()`; read-only; …).
 * - `STORE_CLOSED`: `close()` was called on this store.
 * - `UNEXPECTED_VALUE`: the table holds a row this store did not write.
 * - `INVALID_ARGUMENT`: an empty key, a lease without a token, a non-positive ttl or bad options.
 */
export type PostgresStoreErrorCode = StoreErrorCode;

export class PostgresStoreError extends TtpayError<PostgresStoreErrorCode> {
  override readonly name: string = 'PostgresStoreError';
}

export const isPostgresStoreError = (value: unknown): value is PostgresStoreError =>
  value instanceof PostgresStoreError;

/** A checkout that gave up waiting because every connection of the pool was in use. */
export class PoolExhaustedError extends Error {
  override readonly name = 'PoolExhaustedError';
  constructor(
    readonly max: number,
    readonly waiting: number,
    cause?: unknown,
  ) {
    super(`every connection of the pool is in use (max ${max}, ${waiting} more waiting)`, { cause });
  }
}

/** Removes `user:password@` from connection URLs, and `password=…` from keyword strings. */
export function redact(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1***@')
    .replace(/(password\s*=\s*)('[^']*'|\S+)/gi, '$1***');
}

/** STORE_BUSY: the pool (or the server's max_connections) has no connection free right now. */
export function busy(operation: string, detail: string): PostgresStoreError {
  return new PostgresStoreError(
    'STORE_BUSY',
    `PostgreSQL is up but the idempotency ${operation} got no connection: ${detail}; the delivery must not be acknowledged so the platform retries it. Seen often, the pool is smaller than the deliveries handled at once (README: sizing the pool)`,
  );
}

// SQLSTATE classes that mean "the database is not reachable or not taking work right now":
// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, cancel),
// 58 system error; plus 40001/40P01, which a retry of the same statement may clear.
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);
const RETRYABLE_STATES = new Set(['40001', '40P01']);

/**
 * Wraps whatever the driver rejected with. The cause is a fresh Error with the redacted message, its
 * name and SQLSTATE only: driver errors can carry the statement's parameters or connection options.
 */
export function toStoreError(error: unknown, operation: string): PostgresStoreError {
  if (error instanceof PostgresStoreError) return error;
  if (
    (error as Error | null)?.name === 'PoolExhaustedError' ||
    (error as { code?: unknown })?.code === '53300'
  ) {
    return busy(operation, redact((error as Error).message));
  }
  const name = error instanceof Error ? error.name : 'Error';
  const detail = redact(error instanceof Error ? error.message : String(error));
  const sqlState = (error as { code?: unknown } | null)?.code;
  const cause = Object.assign(new Error(detail), {
    name,
    ...(typeof sqlState === 'string' ? { code: sqlState } : {}),
  });
  const isSqlState = typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState);
  if (isSqlState && !UNAVAILABLE_CLASSES.has(sqlState.slice(0, 2)) && !RETRYABLE_STATES.has(sqlState)) {
    const hint =
      sqlState === '42P01'
        ? ' (the table does not exist: run `await store.setup()` or the migration in sql/)'
        : sqlState === '25P02'
          ? ' (a statement of the handler failed inside the transaction and the handler caught it: nothing was committed)'
          : '';
    return new PostgresStoreError(
      'STORE_REJECTED',
      `PostgreSQL refused the idempotency ${operation}: ${detail}${hint}`,
      { cause },
    );
  }
  return new PostgresStoreError(
    'STORE_UNAVAILABLE',
    `PostgreSQL is unavailable, idempotency ${operation} failed (${detail}); the delivery must not be acknowledged so the platform retries it`,
    { cause },
  );
}
