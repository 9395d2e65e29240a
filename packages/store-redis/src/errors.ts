import { TtpayError } from '@ttpay/core';
import type { StoreErrorCode } from '@ttpay/core/store';

/**
 * The store codes of `@ttpay/core` (`StoreErrorCode`). Callers (and @ttpay/koa's replies) switch on
 * `code`, never on `message`. Here:
 * - `STORE_UNAVAILABLE`: Redis did not answer in time or the connection is down; nothing is known to
 *   have happened, so the delivery must not be acknowledged (the platform retries).
 * - `STORE_REJECTED`: Redis answered with an error (`READONLY`, `OOM`, `NOAUTH`, …).
 * - `STORE_CLOSED`: `close()` was called on this store.
 * - `UNEXPECTED_VALUE`: the key holds a value this store did not write (a prefix shared with other data?).
 * - `INVALID_ARGUMENT`: an empty key, a non-positive ttl or contradictory options.
 */
export type RedisStoreErrorCode = StoreErrorCode;

export class RedisStoreError extends TtpayError<RedisStoreErrorCode> {
  override readonly name: string = 'RedisStoreError';
}

export const isRedisStoreError = (value: unknown): value is RedisStoreError =>
  value instanceof RedisStoreError;

/** Removes `user:password@` from URLs and any known secret from text that may reach a log. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1***@');
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * Wraps whatever ioredis rejected with. The cause is a fresh Error carrying only the redacted message
 * and name: ioredis errors may hold the command's arguments or the connection options.
 */
export function toStoreError(error: unknown, operation: string, secrets: readonly string[]): RedisStoreError {
  if (error instanceof RedisStoreError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const detail = redact(error instanceof Error ? error.message : String(error), secrets);
  const cause = new Error(detail);
  cause.name = name;
  if (name === 'ReplyError') {
    return new RedisStoreError('STORE_REJECTED', `Redis refused the idempotency ${operation}: ${detail}`, {
      cause,
    });
  }
  return new RedisStoreError(
    'STORE_UNAVAILABLE',
    `Redis is unavailable, idempotency ${operation} failed (${detail}); the delivery must not be acknowledged so the platform retries it`,
    { cause },
  );
}
