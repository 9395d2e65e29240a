/**
 * Stable error codes. Callers (and @ttpay/koa's replies) switch on `code`, never on `message`.
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
 * The base of every ttpay error: a stable string `code` to switch on, a message that says what to do,
 * and the `cause` kept for logs. Each package names its own codes (`TtpayErrorCode`, `DeliveryErrorCode`,
 * …) and extends this class; `instanceof CodedError` catches them all.
 */
export class CodedError<C extends string = string> extends Error {
  override readonly name: string = 'CodedError';
  readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class TtpayError extends CodedError<TtpayErrorCode> {
  override readonly name: string = 'TtpayError';
}

export const isTtpayError = (value: unknown): value is TtpayError => value instanceof TtpayError;
