import type { TtpayLogger } from '@ttpay/core';
import type { Transport } from './transport.js';

/** Options every client takes. */
export interface HttpOptions {
  /** Per-attempt timeout in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /**
   * Retries of idempotent calls (queries, GETs) after a 5xx answer, a timeout or a network error, with
   * exponential backoff. Creates, refunds, settlements and shipping calls are never retried.
   * Default `{ limit: 2, baseDelayMs: 200, maxDelayMs: 2000 }`.
   */
  retry?: { limit?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Default: silent. Receives method, host, redacted path, status, attempt and duration — no secrets. */
  logger?: TtpayLogger;
  /** Omit in production. Tests pass `unsafeLoopbackTransportForTests()` from `@ttpay/client/testing`. */
  transport?: Transport;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number;
}
