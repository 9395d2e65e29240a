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
  | 'BODY_TOO_LARGE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_KEY'
  /** An idempotency store's transaction found its lease taken over by another claim: nothing was committed. */
  | 'LEASE_LOST';

export class TtpayError extends Error {
  override readonly name = 'TtpayError';
  readonly code: TtpayErrorCode;

  constructor(code: TtpayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isTtpayError(value: unknown): value is TtpayError {
  return value instanceof TtpayError;
}
