import { describeRequest, TtpayClientError } from '../client-error.js';

/**
 * Connect-phase failures: the request never left this machine, so nothing was created and a retry is
 * harmless. Every other failure after the request may have reached the gateway is "outcome unknown".
 */
const NOT_SENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/**
 * Why a payment-link create ended without a usable answer, reworded for a call that is never retried:
 * a definite refusal (4xx, 429, nothing sent) stays what it was; anything after which the gateway may hold
 * a new link — a timeout, a reset, a 5xx, a garbled 2xx, an abort mid-flight — becomes `OUTCOME_UNKNOWN`.
 * The gateway documents neither an idempotency key nor a way to list links, so a blind second create
 * could charge the buyer's attention twice (docs/PROTOCOLS.md §4.2).
 */
export function createOutcome(error: unknown): unknown {
  if (!(error instanceof TtpayClientError)) return error;
  if (error.attempts === 0 || error.code === 'HOST_NOT_ALLOWED') return error;
  if (
    error.code === 'NETWORK' &&
    error.networkCode !== undefined &&
    NOT_SENT_NETWORK_CODES.has(error.networkCode)
  ) {
    return error;
  }
  if (error.code === 'HTTP_STATUS' && error.status !== undefined && error.status < 500) return error;
  const request = {
    platform: 'algovoi',
    method: error.method ?? 'POST',
    host: error.host ?? '',
    path: error.path ?? '',
  } as const;
  return new TtpayClientError(
    'OUTCOME_UNKNOWN',
    `${describeRequest(request)} ended without a clear answer (${error.code}${error.status === undefined ? '' : `, HTTP ${error.status}`}): the gateway may have created the link. Do not create another; reconcile by the link's label first.`,
    {
      request,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.attempts === undefined ? {} : { attempts: error.attempts }),
      ...(error.networkCode === undefined ? {} : { networkCode: error.networkCode }),
    },
  );
}
