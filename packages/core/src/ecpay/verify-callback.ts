import { TtpayError } from '../errors.js';
import { ecpayPaymentKey, ecpayRefundKey, ecpaySettleKey } from '../event-keys.js';
import type { EcpayEvent, EcpayPaymentMsg, EcpayRefundMsg, EcpaySettleMsg } from '../events.js';
import { digestKey } from '../idempotency.js';
import { constantTimeEqual } from '../shared/constant-time.js';
import type { HeaderMap } from '../shared/headers.js';
import { parseJsonObject, requireInteger, requireString, requireStringish } from '../shared/json.js';
import { type RawBody, rawBodyToString } from '../shared/raw-body.js';
import { secretList } from '../shared/secrets.js';
import type { SignedRequest } from '../shared/signed-request.js';
import { signEcpayCallback } from './callback-signature.js';

export interface VerifyEcpayCallbackOptions {
  /** The console "Token"; several during rotation (any one verifies). */
  token: string | readonly string[];
  /**
   * Opt-in maximum age of the callback's `timestamp`, in seconds. Off by default: whether a retry
   * carries a fresh timestamp is undocumented and retries run for about a day (PROTOCOLS.md §1.3).
   */
  maxAgeSeconds?: number;
  /** Clock in milliseconds, for `maxAgeSeconds`. */
  now?: () => number;
}

/**
 * Verifies an ecpay callback and returns the typed event. ecpay signs fields of the body (`msg` is a
 * JSON string inside it), not headers: `headers` may be omitted. Throws `TtpayError`: `MALFORMED_BODY`,
 * `MISSING_SIGNATURE`, `MISSING_FIELD`, `SIGNATURE_MISMATCH`, `TIMESTAMP_OUT_OF_RANGE`.
 */
export function verifyEcpayCallback(
  request: Omit<SignedRequest, 'headers'> & { readonly headers?: HeaderMap },
  opts: VerifyEcpayCallbackOptions,
): EcpayEvent;
/**
 * @deprecated Pass the request: `verifyEcpayCallback({ rawBody, headers }, options)`, the shape every
 * verifier takes. This raw-body-first form goes in the next minor release.
 */
export function verifyEcpayCallback(rawBody: RawBody, opts: VerifyEcpayCallbackOptions): EcpayEvent;
export function verifyEcpayCallback(
  request: RawBody | (Omit<SignedRequest, 'headers'> & { readonly headers?: HeaderMap }),
  opts: VerifyEcpayCallbackOptions,
): EcpayEvent {
  const tokens = secretList(opts?.token, 'token');
  const rawBody =
    typeof request === 'string' || request instanceof Uint8Array
      ? request
      : (request as { rawBody?: unknown } | null)?.rawBody;
  const text = rawBodyToString(rawBody, 'The ecpay callback body');
  return verifyFields(parseJsonObject(text, 'The ecpay callback body'), tokens, opts);
}

/**
 * {@link verifyEcpayCallback} for a body the caller has already parsed with `JSON.parse` from the raw
 * bytes (as ttpay's delivery engine does to route its one Douyin endpoint). Exact, because ecpay signs
 * the decoded field values — `msg` is a JSON *string* inside the body — not the body bytes. Never pass
 * an object that was built or re-serialised by other means.
 */
export function verifyEcpayCallbackFields(
  body: Record<string, unknown>,
  opts: VerifyEcpayCallbackOptions,
): EcpayEvent {
  const tokens = secretList(opts?.token, 'token');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TtpayError('MALFORMED_BODY', 'The ecpay callback body must be a JSON object.');
  }
  return verifyFields(body, tokens, opts);
}

function verifyFields(
  body: Record<string, unknown>,
  tokens: string[],
  opts: VerifyEcpayCallbackOptions,
): EcpayEvent {
  const signature = body.msg_signature;
  if (signature === undefined || signature === null || signature === '') {
    throw new TtpayError('MISSING_SIGNATURE', 'The ecpay callback has no msg_signature.');
  }
  if (typeof signature !== 'string') {
    throw new TtpayError('MALFORMED_BODY', 'The ecpay callback msg_signature must be a string.');
  }
  const timestamp = requireStringish(body, 'timestamp', 'The ecpay callback');
  const nonce = requireStringish(body, 'nonce', 'The ecpay callback');
  const rawMsg = requireString(body, 'msg', 'The ecpay callback');
  let verified = false;
  for (const token of tokens) {
    // Check every token (no early exit) so timing does not tell which one matched.
    if (constantTimeEqual(signEcpayCallback({ token, timestamp, nonce, msg: rawMsg }), signature))
      verified = true;
  }
  if (!verified) {
    throw new TtpayError(
      'SIGNATURE_MISMATCH',
      'The ecpay callback signature does not match: check the Token, and that the body is the raw bytes received.',
    );
  }
  if (opts.maxAgeSeconds !== undefined) checkAge(timestamp, opts.maxAgeSeconds, opts.now ?? Date.now);

  const msg = parseJsonObject(rawMsg, 'The ecpay callback msg');
  const callbackType = typeof body.type === 'string' ? body.type : '';
  // Each event is one object literal: `{ ...base, type, … }` takes V8's slow path (a fresh map per
  // call, ~1–5 µs per event on Node 20; bench/PROFILE.md).
  switch (modelledType(callbackType, msg)) {
    case 'payment': {
      const cpOrderNo = requireString(msg, 'cp_orderno', 'The payment msg');
      const status = requireString(msg, 'status', 'The payment msg');
      requireInteger(msg, 'total_amount', 'The payment msg');
      const key = ecpayPaymentKey(cpOrderNo, status);
      return {
        platform: 'douyin',
        system: 'ecpay',
        rawMsg,
        timestamp,
        nonce,
        type: 'payment',
        key,
        msg: msg as EcpayPaymentMsg,
      };
    }
    // `type` is not covered by msg_signature (PROTOCOLS.md §1.3), so each type must carry its own
    // natural key: a signed payment msg re-labelled "refund" is refused instead of reaching onRefund.
    case 'refund': {
      const cpRefundNo = requireString(msg, 'cp_refundno', 'The refund msg');
      requireString(msg, 'status', 'The refund msg');
      const key = ecpayRefundKey(cpRefundNo);
      return {
        platform: 'douyin',
        system: 'ecpay',
        rawMsg,
        timestamp,
        nonce,
        type: 'refund',
        key,
        msg: msg as EcpayRefundMsg,
      };
    }
    case 'settle': {
      const cpSettleNo = requireString(msg, 'cp_settle_no', 'The settle msg');
      const key = ecpaySettleKey(cpSettleNo);
      return {
        platform: 'douyin',
        system: 'ecpay',
        rawMsg,
        timestamp,
        nonce,
        type: 'settle',
        key,
        msg: msg as EcpaySettleMsg,
      };
    }
    default: {
      // `type` is sender-chosen here (unsigned): keep it out of the key, or one captured callback
      // relabelled x1, x2, … would mint a fresh key each time.
      const key = `douyin:ecpay:other:${digestKey(rawMsg)}`;
      return {
        platform: 'douyin',
        system: 'ecpay',
        rawMsg,
        timestamp,
        nonce,
        type: 'other',
        callbackType,
        key,
        msg,
      };
    }
  }
}

/**
 * Statuses the platform documents per callback type: ecpay notifies successful payments only, and
 * refunds that succeeded or failed (docs/PROTOCOLS.md §1.3).
 */
const DOCUMENTED_STATUSES: ReadonlyMap<string, ReadonlySet<unknown>> = new Map([
  ['payment', new Set(['SUCCESS'])],
  ['refund', new Set(['SUCCESS', 'FAIL'])],
]);

/**
 * The callback's `type` when ttpay models it with the status it carries; anything else is 'other' (a
 * payment with another status must change no order). A missing status is left to the case to refuse.
 */
function modelledType(callbackType: string, msg: Record<string, unknown>): string {
  const statuses = DOCUMENTED_STATUSES.get(callbackType);
  if (!statuses || typeof msg.status !== 'string' || msg.status === '') return callbackType;
  return statuses.has(msg.status) ? callbackType : 'other';
}

function checkAge(timestamp: string, maxAgeSeconds: number, now: () => number): void {
  if (typeof maxAgeSeconds !== 'number' || !(maxAgeSeconds >= 0)) {
    throw new TtpayError('INVALID_ARGUMENT', 'maxAgeSeconds must be a non-negative number of seconds.');
  }
  const ts = Number(timestamp);
  const ageSeconds = Math.abs(now() / 1000 - ts);
  if (!Number.isFinite(ts) || ageSeconds > maxAgeSeconds) {
    throw new TtpayError(
      'TIMESTAMP_OUT_OF_RANGE',
      `The ecpay callback timestamp is more than ${maxAgeSeconds}s away from this server's clock.`,
    );
  }
}
