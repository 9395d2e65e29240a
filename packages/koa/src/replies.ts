import type { Context } from 'koa';
import type { DeliveryErrorCode } from './errors.js';

export type Platform = 'douyin' | 'tiktok' | 'algovoi';

/** HTTP status per reason, Douyin's choice; the webhook platforms answer signature failures with 401. */
const STATUS: Record<DeliveryErrorCode, number> = {
  MALFORMED_BODY: 400,
  MALFORMED_HEADER: 400,
  MISSING_FIELD: 400,
  MISSING_SIGNATURE: 400,
  SIGNATURE_MISMATCH: 400,
  TIMESTAMP_OUT_OF_RANGE: 400,
  METHOD_NOT_ALLOWED: 405,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RAW_BODY_UNAVAILABLE: 500,
  NOT_CONFIGURED: 500,
  INTERNAL_ERROR: 500,
  HANDLER_FAILED: 500,
  HOOK_FAILED: 500,
  UNHANDLED_EVENT: 501,
  IN_FLIGHT: 503,
  STORE_UNAVAILABLE: 503,
  STORE_BUSY: 503,
  HANDLER_TIMEOUT: 503,
  LEASE_LOST: 503,
};

/** How one platform wants to be answered. */
export interface Replies {
  statusOf(code: DeliveryErrorCode): number;
  ack(ctx: Context): void;
  reject(ctx: Context, code: DeliveryErrorCode): void;
}

/**
 * Each reply body is one of a few fixed strings: serialised once, not per request. (`ctx.response`
 * rather than Koa's `ctx.status`/`ctx.type`/`ctx.body` delegates: same setters, without the detour.)
 */
function json(ctx: Context, status: number, body: string): void {
  const { response } = ctx;
  response.status = status;
  response.type = 'application/json; charset=utf-8';
  response.body = body;
}

function bodyPerCode(render: (code: DeliveryErrorCode) => object): Record<DeliveryErrorCode, string> {
  const bodies = {} as Record<DeliveryErrorCode, string>;
  for (const code of Object.keys(STATUS) as DeliveryErrorCode[]) bodies[code] = JSON.stringify(render(code));
  return bodies;
}

function allowPost(ctx: Context, code: DeliveryErrorCode): void {
  if (code === 'METHOD_NOT_ALLOWED') ctx.set('Allow', 'POST');
}

const DOUYIN_ACK = JSON.stringify({ err_no: 0, err_tips: 'success' });
const DOUYIN_FAILURE = bodyPerCode((code) => ({ err_no: STATUS[code], err_tips: code }));

/**
 * Douyin: `200 {"err_no":0,"err_tips":"success"}` acknowledges; anything else is retried
 * (PROTOCOLS.md §1.3). Failures carry `err_no` = the HTTP status and `err_tips` = the reason code.
 */
export const douyinReplies: Replies = {
  statusOf: (code) => STATUS[code],
  ack(ctx) {
    json(ctx, 200, DOUYIN_ACK);
  },
  reject(ctx, code) {
    allowPost(ctx, code);
    json(ctx, STATUS[code], DOUYIN_FAILURE[code]);
  },
};

const webhookStatus = (code: DeliveryErrorCode): number =>
  code === 'MISSING_SIGNATURE' || code === 'SIGNATURE_MISMATCH' ? 401 : STATUS[code];

const WEBHOOK_FAILURE = bodyPerCode((code) => ({ error: code }));

/** TikTok Shop and AlgoVoi: 200 with an empty body acknowledges; 401 for a signature failure. */
export const webhookReplies: Replies = {
  statusOf: webhookStatus,
  ack(ctx) {
    ctx.response.status = 200;
    ctx.response.body = '';
  },
  reject(ctx, code) {
    allowPost(ctx, code);
    json(ctx, webhookStatus(code), WEBHOOK_FAILURE[code]);
  },
};
