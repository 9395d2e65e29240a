import { TtpayError } from '../errors.js';

const DOUYIN_REPLY = Symbol.for('ttpay.douyinReply');

/**
 * Data a Douyin handler answers with, made by {@link douyinReply}. Only a value made there reaches the
 * reply: whatever else a handler returns (a row, a Map) is ignored, so nothing leaks into a reply by
 * accident.
 */
export interface DouyinReply {
  /** `data` as JSON, serialised when the reply was made (so a value JSON cannot hold fails the handler). */
  readonly [DOUYIN_REPLY]: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Return this from a Douyin handler whose callback wants data in its answer: the reply becomes
 * `{"err_no":0,"err_tips":"success","data":{…}}` (the refund application callback, `pre_create_refund`,
 * answers its `out_refund_no` so; yansongda/pay `web/docs/v3/douyin/refund.md`).
 */
export function douyinReply(data: Readonly<Record<string, unknown>>): DouyinReply {
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
