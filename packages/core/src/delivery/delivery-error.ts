import { TtpayError, type TtpayErrorCode } from '../errors.js';

/**
 * Why a delivery was not acknowledged. Verification failures keep @ttpay/core's code; the rest are the
 * engine's own. Replies and logs carry the code, never a stack or a secret. Every code's meaning and what
 * to do about it: the root README, "Error codes".
 */
export type DeliveryErrorCode =
  | Exclude<TtpayErrorCode, 'INVALID_ARGUMENT' | 'INVALID_KEY'>
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RAW_BODY_UNAVAILABLE'
  | 'NOT_CONFIGURED'
  | 'UNHANDLED_EVENT'
  | 'IN_FLIGHT'
  | 'STORE_UNAVAILABLE'
  /**
   * The store is up but had no room for the delivery (every connection of its pool in use, or the server
   * at its connection limit): nothing was done, answered "retry later". Logged at most once per 10 s per
   * endpoint, with the count of the ones held back.
   */
  | 'STORE_BUSY'
  | 'STORE_FAILED'
  | 'HANDLER_FAILED'
  | 'HANDLER_TIMEOUT'
  | 'HOOK_FAILED'
  /**
   * A verified Douyin callback signed for another mini-program than the endpoint's `appId` (its `app_id`
   * / `appid` differs): never applied, refused with 400 — a retry cannot change it.
   */
  | 'APP_ID_MISMATCH'
  /**
   * The handler of a callback whose answer must carry data (the refund application: `out_refund_no`)
   * returned none: not acknowledged, so the platform asks again.
   */
  | 'MISSING_REPLY_DATA'
  /**
   * A repeated delivery of a handled callback whose answer must carry data: the store keeps no reply data
   * yet, so it is answered "retry later" rather than with an answer the platform would read as empty.
   */
  | 'REPLY_DATA_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export class DeliveryError extends TtpayError<DeliveryErrorCode> {
  override readonly name: string = 'DeliveryError';
}

/**
 * Codes a handler's wrapper throws when the handler broke its contract (it ran, but what it returned
 * cannot be answered): the engine reports them as they are, not as HANDLER_FAILED.
 */
export const HANDLER_CONTRACT_CODES: ReadonlySet<DeliveryErrorCode> = new Set(['MISSING_REPLY_DATA']);

/** Normalises anything thrown while reading or verifying a delivery. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof TtpayError) {
    // A bad argument or key at verification time is our configuration, not the sender's fault.
    if (error.code === 'INVALID_ARGUMENT' || error.code === 'INVALID_KEY') {
      return new DeliveryError('NOT_CONFIGURED', error.message, { cause: error });
    }
    if (isVerificationCode(error.code)) return new DeliveryError(error.code, error.message, { cause: error });
  }
  return new DeliveryError('INTERNAL_ERROR', 'Unexpected error while reading the delivery.', {
    cause: error,
  });
}

const VERIFICATION_CODES: ReadonlySet<string> = new Set<
  Exclude<TtpayErrorCode, 'INVALID_ARGUMENT' | 'INVALID_KEY'>
>([
  'MISSING_SIGNATURE',
  'SIGNATURE_MISMATCH',
  'MALFORMED_BODY',
  'MALFORMED_HEADER',
  'MISSING_FIELD',
  'TIMESTAMP_OUT_OF_RANGE',
  'UNKNOWN_EVENT_TYPE',
  'BODY_TOO_LARGE',
  'LEASE_LOST',
]);

function isVerificationCode(
  code: string,
): code is Exclude<TtpayErrorCode, 'INVALID_ARGUMENT' | 'INVALID_KEY'> {
  return VERIFICATION_CODES.has(code);
}

/**
 * The code for a store that failed: `STORE_UNAVAILABLE` only when the store said so (its backend is
 * unreachable or did not answer in time) — the meaning that code has in every package —, `STORE_BUSY`
 * when it said it had no connection free, else `STORE_FAILED` (it refused, is closed, or threw something
 * else).
 */
export function storeFailureCode(cause: unknown): 'STORE_UNAVAILABLE' | 'STORE_BUSY' | 'STORE_FAILED' {
  if (cause instanceof TtpayError && (cause.code === 'STORE_UNAVAILABLE' || cause.code === 'STORE_BUSY')) {
    return cause.code;
  }
  return 'STORE_FAILED';
}
