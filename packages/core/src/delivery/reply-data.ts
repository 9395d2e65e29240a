import { TtpayError } from '../errors.js';
import { DeliveryError } from './delivery-error.js';

const DOUYIN_REPLY = Symbol.for('ttpay.douyinReply');

/** What a Douyin reply's `data` may be: a JSON object. */
export type DouyinReplyData = Readonly<Record<string, unknown>>;

/**
 * Data a Douyin handler answers with, made by {@link douyinReply}. Only a value made there reaches the
 * reply: whatever else a handler returns (a row, a Map) is ignored, so nothing leaks into a reply by
 * accident. `D` is the data's type, so a handler's return type can demand fields (`out_refund_no`).
 */
export interface DouyinReply<D extends DouyinReplyData = DouyinReplyData> {
  /** `data` as JSON, serialised when the reply was made (so a value JSON cannot hold fails the handler). */
  readonly [DOUYIN_REPLY]: string;
  readonly data: D;
}

/**
 * What the refund application callback (退款申请回调, `pre_create_refund`) must be answered with
 * (docs/PROTOCOLS.md §2.5): the shop's refund number, and optionally the refund's page in the
 * mini-program and where the refund's result is notified.
 */
export interface RefundApplicationReplyData {
  /**
   * The shop's refund number for the platform's `refund_id`: at most 64 bytes, unique within the
   * mini-program (a number used before counts as a failed answer), the same one for every repeated
   * application of that `refund_id`.
   */
  readonly out_refund_no: string;
  /** The refund's page in the mini-program; `params` is a JSON object as a string. */
  readonly order_entry_schema?: { readonly path: string; readonly params?: string } | undefined;
  /** https: where the refund's result is notified, if not the default. */
  readonly notify_url?: string | undefined;
  readonly [field: string]: unknown;
}

/** What `onRefundApplication` returns: the refund application's answer, never nothing. */
export type RefundApplicationReply = DouyinReply<RefundApplicationReplyData>;

/**
 * Return this from a Douyin handler whose callback wants data in its answer: the reply becomes
 * `{"err_no":0,"err_tips":"success","data":{…}}`. The refund application callback (`pre_create_refund`)
 * must be answered so, with the shop's `out_refund_no` (docs/PROTOCOLS.md §2.5).
 */
export function douyinReply<D extends DouyinReplyData>(data: D): DouyinReply<D> {
  let json: string | undefined;
  try {
    json =
      typeof data === 'object' && data !== null && !Array.isArray(data) ? JSON.stringify(data) : undefined;
  } catch (cause) {
    throw new TtpayError('INVALID_ARGUMENT', 'douyinReply(data): data must be JSON (no BigInt, no cycles).', {
      cause,
    });
  }
  if (json === undefined)
    throw new TtpayError('INVALID_ARGUMENT', 'douyinReply(data): data must be an object.');
  return { [DOUYIN_REPLY]: json, data };
}

/** The reply data (as JSON text) a Douyin handler returned, if it returned some. */
export function douyinReplyJson(returned: unknown): string | undefined {
  if (typeof returned !== 'object' || returned === null || !(DOUYIN_REPLY in returned)) return undefined;
  const json = (returned as DouyinReply)[DOUYIN_REPLY];
  return typeof json === 'string' ? json : undefined;
}

/** "≤ 64 字节" for developer-side numbers (docs/PROTOCOLS.md §2.5). */
const MAX_OUT_REFUND_NO_BYTES = 64;

/**
 * Checks what a refund application's handler returned, inside its claim (so a bad answer rolls back and
 * is not recorded done): a `douyinReply` whose data carries a usable `out_refund_no`. Returns it
 * unchanged; throws `DeliveryError` `MISSING_REPLY_DATA` otherwise — not acknowledged, asked again.
 */
export function checkRefundApplicationReply(returned: unknown): unknown {
  const json = douyinReplyJson(returned);
  const problem =
    json === undefined
      ? 'returned no douyinReply(...)'
      : refundReplyProblem(JSON.parse(json) as Record<string, unknown>);
  if (problem) {
    throw new DeliveryError(
      'MISSING_REPLY_DATA',
      `The refund application handler ${problem}: return douyinReply({ out_refund_no }) with the shop's refund number (≤ 64 bytes, the same one for every repeat of this refund_id).`,
    );
  }
  return returned;
}

function refundReplyProblem(data: Record<string, unknown>): string | undefined {
  const { out_refund_no: outRefundNo, order_entry_schema: schema, notify_url: notifyUrl } = data;
  if (typeof outRefundNo !== 'string' || outRefundNo === '') return 'answered without out_refund_no';
  if (Buffer.byteLength(outRefundNo) > MAX_OUT_REFUND_NO_BYTES)
    return 'answered an out_refund_no over 64 bytes';
  if (schema !== undefined) {
    const path = (schema as { path?: unknown } | null)?.path;
    if (typeof path !== 'string' || path === '') return 'answered an order_entry_schema without path';
  }
  if (notifyUrl !== undefined && (typeof notifyUrl !== 'string' || !notifyUrl.startsWith('https://'))) {
    return 'answered a notify_url that is not https';
  }
  return undefined;
}
