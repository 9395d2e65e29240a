import { CodedError, isTtpayError, type TtpayErrorCode } from '@ttpay/core';

/**
 * Why a delivery was not acknowledged. Verification failures keep @ttpay/core's code; the rest are
 * @ttpay/koa's own. Replies and logs carry the code, never a stack or a secret.
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
  | 'STORE_BUSY'
  | 'HANDLER_FAILED'
  | 'HANDLER_TIMEOUT'
  | 'HOOK_FAILED'
  | 'INTERNAL_ERROR';

export class DeliveryError extends CodedError<DeliveryErrorCode> {
  override readonly name: string = 'DeliveryError';
}

/** Normalises anything thrown while reading or verifying a delivery. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (isTtpayError(error)) {
    // A bad argument or key at verification time is our configuration, not the sender's fault.
    if (error.code === 'INVALID_ARGUMENT' || error.code === 'INVALID_KEY') {
      return new DeliveryError('NOT_CONFIGURED', error.message, { cause: error });
    }
    return new DeliveryError(error.code, error.message, { cause: error });
  }
  return new DeliveryError('INTERNAL_ERROR', 'Unexpected error while reading the delivery.', {
    cause: error,
  });
}
