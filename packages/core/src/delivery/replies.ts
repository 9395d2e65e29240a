import type { DeliveryErrorCode } from './delivery-error.js';
import type { Reply } from './types.js';

/** HTTP status per reason, Douyin's choice; the webhook platforms answer signature failures with 401. */
const STATUS: Record<DeliveryErrorCode, number> = {
  MALFORMED_BODY: 400,
  MALFORMED_HEADER: 400,
  MISSING_FIELD: 400,
  MISSING_SIGNATURE: 400,
  SIGNATURE_MISMATCH: 400,
  TIMESTAMP_OUT_OF_RANGE: 400,
  UNKNOWN_EVENT_TYPE: 501,
  METHOD_NOT_ALLOWED: 405,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RAW_BODY_UNAVAILABLE: 500,
  NOT_CONFIGURED: 500,
  INTERNAL_ERROR: 500,
  HANDLER_FAILED: 500,
  HOOK_FAILED: 500,
  MISSING_REPLY_DATA: 500,
  APP_ID_MISMATCH: 400,
  UNHANDLED_EVENT: 501,
  IN_FLIGHT: 503,
  STORE_UNAVAILABLE: 503,
  STORE_BUSY: 503,
  STORE_FAILED: 503,
  HANDLER_TIMEOUT: 503,
  LEASE_LOST: 503,
  REPLY_DATA_UNAVAILABLE: 503,
};

/** How one platform wants to be answered: every reply a delivery can get, as a value. */
export interface PlatformReplies {
  statusOf(code: DeliveryErrorCode): number;
  /** Acknowledges; `replyJson` is the handler's reply data as JSON (Douyin only). */
  ack(replyJson?: string): Reply;
  reject(code: DeliveryErrorCode): Reply;
}

const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json; charset=utf-8' });
const JSON_405_HEADERS = Object.freeze({ ...JSON_HEADERS, allow: 'POST' });

/** Each failure reply is one of a few fixed values: built once, not per request. */
function repliesPerCode(
  status: (code: DeliveryErrorCode) => number,
  render: (code: DeliveryErrorCode) => object,
): Record<DeliveryErrorCode, Reply> {
  const replies = {} as Record<DeliveryErrorCode, Reply>;
  for (const code of Object.keys(STATUS) as DeliveryErrorCode[]) {
    replies[code] = Object.freeze({
      status: status(code),
      headers: code === 'METHOD_NOT_ALLOWED' ? JSON_405_HEADERS : JSON_HEADERS,
      body: JSON.stringify(render(code)),
    });
  }
  return replies;
}

const douyinStatus = (code: DeliveryErrorCode): number => STATUS[code];
const DOUYIN_ACK: Reply = Object.freeze({
  status: 200,
  headers: JSON_HEADERS,
  body: JSON.stringify({ err_no: 0, err_tips: 'success' }),
});
const DOUYIN_FAILURE = repliesPerCode(douyinStatus, (code) => ({ err_no: STATUS[code], err_tips: code }));

/**
 * Douyin: `200 {"err_no":0,"err_tips":"success"}` acknowledges; anything else is retried
 * (PROTOCOLS.md §1.3). Failures carry `err_no` = the HTTP status and `err_tips` = the reason code. A
 * handler's reply data goes under `data` (the refund application callback's answer, docs/PROTOCOLS.md
 * §2.5).
 */
export const douyinReplies: PlatformReplies = {
  statusOf: douyinStatus,
  ack: (replyJson) =>
    replyJson === undefined
      ? DOUYIN_ACK
      : { status: 200, headers: JSON_HEADERS, body: `{"err_no":0,"err_tips":"success","data":${replyJson}}` },
  reject: (code) => DOUYIN_FAILURE[code],
};

/** Not the sender, or not now: a signature that is absent, wrong, or (AlgoVoi) outside its time window. */
const UNAUTHENTICATED: ReadonlySet<DeliveryErrorCode> = new Set<DeliveryErrorCode>([
  'MISSING_SIGNATURE',
  'SIGNATURE_MISMATCH',
  'TIMESTAMP_OUT_OF_RANGE',
]);

const webhookStatus = (code: DeliveryErrorCode): number => (UNAUTHENTICATED.has(code) ? 401 : STATUS[code]);
const WEBHOOK_ACK: Reply = Object.freeze({ status: 200, headers: Object.freeze({}), body: '' });
const WEBHOOK_UNAUTHENTICATED: Reply = Object.freeze({ status: 401, headers: Object.freeze({}), body: '' });
const WEBHOOK_FAILURE = repliesPerCode(webhookStatus, (code) => ({ error: code }));

/**
 * TikTok Shop and AlgoVoi: 200 with an empty body acknowledges; 401 with an EMPTY body for a signature
 * failure — TikTok's configuration guide lists exactly `200` and `401`, each with a "NULL / empty" body, and
 * retries nothing it got one of (PROTOCOLS.md §3.1). Other failures carry `{"error": code}`.
 */
export const webhookReplies: PlatformReplies = {
  statusOf: webhookStatus,
  ack: () => WEBHOOK_ACK,
  reject: (code) => (UNAUTHENTICATED.has(code) ? WEBHOOK_UNAUTHENTICATED : WEBHOOK_FAILURE[code]),
};
