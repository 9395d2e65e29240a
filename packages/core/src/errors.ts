/**
 * Stable error codes of @ttpay/core. Callers (and the delivery engine's replies) switch on `code`, never
 * on `message`. What each code means and what to do about it: the root README, "Error codes".
 */
export type TtpayErrorCode =
  | 'MISSING_SIGNATURE'
  | 'SIGNATURE_MISMATCH'
  | 'MALFORMED_BODY'
  | 'MALFORMED_HEADER'
  | 'MISSING_FIELD'
  | 'TIMESTAMP_OUT_OF_RANGE'
  /** A verified webhook of a type ttpay does not know (AlgoVoi: only `payment.confirmed`). */
  | 'UNKNOWN_EVENT_TYPE'
  | 'BODY_TOO_LARGE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_KEY'
  /** An idempotency store's transaction found its lease taken over by another claim: nothing was committed. */
  | 'LEASE_LOST';

/**
 * The root of every error ttpay throws (as stripe-node's `StripeError` is of stripe's): a stable string
 * `code` to switch on, a message that says what to do, and the `cause` kept for logs. `instanceof
 * TtpayError` catches them all; each package names its own codes and extends this class (`DeliveryError`,
 * `TtpayClientError`, `RedisStoreError`, `PostgresStoreError`, `SimulatorError`), keeping its own name.
 * Every code is in one table: the root README, "Error codes".
 */
export class TtpayError<C extends string = TtpayErrorCode> extends Error {
  override readonly name: string = 'TtpayError';
  readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * @deprecated `TtpayError` is the root of every ttpay error now: use `TtpayError` (and
 * `TtpayError<YourCode>` for your own code union). `CodedError` goes in the next minor release.
 */
export const CodedError = TtpayError;
/** @deprecated Use `TtpayError<C>`. */
export type CodedError<C extends string = string> = TtpayError<C>;

/** True for any error ttpay throws (any package): narrow further on `code` or with the package's own class. */
export const isTtpayError = (value: unknown): value is TtpayError<string> => value instanceof TtpayError;
