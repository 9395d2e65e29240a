import {
  checkInteger,
  checkOneOf,
  checkOptionalHttpsUrl,
  checkOptionalInteger,
  checkOptionalString,
  checkPlainObject,
  checkString,
  invalid,
} from '../argument-checks.js';
import type {
  EcpayCreateOrderRequest,
  EcpayCreateRefundRequest,
  EcpayLimitPayWay,
  EcpaySettleParam,
  EcpaySettleRequest,
} from './types.js';

/** docs/PROTOCOLS.md §1.1 field rules. */
export const MAX_AMOUNT_FEN = 10_000_000_000;
const OUT_ORDER_NO = {
  maxLength: 64,
  pattern: /^[A-Za-z0-9_*-]+$/,
  patternText: 'made of A-Z a-z 0-9 _ * -',
};
// "≤128 bytes / ≤42 chars": read as both limits at once (42 CJK characters are 126 UTF-8 bytes).
const SUBJECT = { maxBytes: 128, maxChars: 42 };
const NOTIFY_URL_MAX = 256;
const CP_EXTRA = { minLength: 0, maxLength: 2048 };
const LIMIT_PAY_WAYS: readonly EcpayLimitPayWay[] = ['LIMIT_WX', 'LIMIT_ALI', 'LIMIT_DYZF'];

export function checkCreateOrder(r: EcpayCreateOrderRequest): Record<string, unknown> {
  checkPlainObject(r, 'createOrder request');
  checkString(r.out_order_no, 'out_order_no', OUT_ORDER_NO);
  checkInteger(r.total_amount, 'total_amount (fen)', 1, MAX_AMOUNT_FEN);
  checkString(r.subject, 'subject', SUBJECT);
  checkString(r.body, 'body', SUBJECT);
  checkInteger(r.valid_time, 'valid_time (seconds)', 300, 172_800);
  checkOptionalString(r.cp_extra, 'cp_extra', CP_EXTRA);
  checkOptionalHttpsUrl(r.notify_url, 'notify_url', NOTIFY_URL_MAX);
  checkOptionalString(r.store_uid, 'store_uid');
  if (r.disable_msg !== undefined) checkOneOf(r.disable_msg, 'disable_msg', [0, 1]);
  checkOptionalString(r.msg_page, 'msg_page');
  const { limit_pay_way, expand_order_info, ...fields } = r;
  const rest: Record<string, unknown> =
    expand_order_info === undefined
      ? fields
      : { ...fields, expand_order_info: expandOrderInfoText(expand_order_info) };
  if (limit_pay_way === undefined) return rest;
  const ways = typeof limit_pay_way === 'string' ? limit_pay_way.split(',') : [...limit_pay_way];
  if (ways.length === 0)
    throw invalid('limit_pay_way must name at least one of LIMIT_WX, LIMIT_ALI, LIMIT_DYZF.');
  for (const way of ways) checkOneOf(way, 'each limit_pay_way entry', LIMIT_PAY_WAYS);
  return { ...rest, limit_pay_way: ways.join(',') };
}

/**
 * `expand_order_info` as the platform takes it: a JSON *string* (docs/PROTOCOLS.md §1.1) — both SDKs that
 * record it send `"{\"original_delivery_fee\":15,\"actual_delivery_fee\":10}"`. An object is serialised
 * once here, before signing, so the signature covers the string that is sent.
 */
function expandOrderInfoText(value: unknown): string {
  let info: unknown = value;
  if (typeof value === 'string') {
    try {
      info = JSON.parse(value);
    } catch {
      throw invalid('expand_order_info must be an object or its JSON text.');
    }
  }
  const checked = checkPlainObject(info, 'expand_order_info');
  checkOptionalInteger(
    checked.original_delivery_fee,
    'expand_order_info.original_delivery_fee',
    0,
    MAX_AMOUNT_FEN,
  );
  checkOptionalInteger(
    checked.actual_delivery_fee,
    'expand_order_info.actual_delivery_fee',
    0,
    MAX_AMOUNT_FEN,
  );
  return typeof value === 'string' ? value : JSON.stringify(checked);
}

export function checkCreateRefund(r: EcpayCreateRefundRequest): Record<string, unknown> {
  checkPlainObject(r, 'createRefund request');
  checkString(r.out_order_no, 'out_order_no', OUT_ORDER_NO);
  checkString(r.out_refund_no, 'out_refund_no');
  checkString(r.reason, 'reason');
  checkInteger(r.refund_amount, 'refund_amount (fen)', 1, MAX_AMOUNT_FEN);
  checkOptionalString(r.cp_extra, 'cp_extra', CP_EXTRA);
  // docs/PROTOCOLS.md states https/≤256 for create_order's notify_url; applied to every notify_url.
  checkOptionalHttpsUrl(r.notify_url, 'notify_url', NOTIFY_URL_MAX);
  if (r.disable_msg !== undefined) checkOneOf(r.disable_msg, 'disable_msg', [0, 1]);
  checkOptionalString(r.msg_page, 'msg_page');
  if (r.all_settle !== undefined) checkOneOf(r.all_settle, 'all_settle', [0, 1]);
  return { ...r };
}

export function checkSettle(r: EcpaySettleRequest): Record<string, unknown> {
  checkPlainObject(r, 'settle request');
  checkString(r.out_order_no, 'out_order_no', OUT_ORDER_NO);
  checkString(r.out_settle_no, 'out_settle_no');
  checkString(r.settle_desc, 'settle_desc');
  checkOptionalString(r.cp_extra, 'cp_extra', CP_EXTRA);
  checkOptionalHttpsUrl(r.notify_url, 'notify_url', NOTIFY_URL_MAX);
  const { settle_params, ...rest } = r;
  if (settle_params === undefined || typeof settle_params === 'string') {
    checkOptionalString(settle_params, 'settle_params');
    return { ...rest, ...(settle_params === undefined ? {} : { settle_params }) };
  }
  if (!Array.isArray(settle_params) || settle_params.length === 0) {
    throw invalid('settle_params must be a JSON string or a non-empty list of {merchant_uid, amount}.');
  }
  const params = settle_params.map((p: EcpaySettleParam, i) => {
    checkPlainObject(p, `settle_params[${i}]`);
    return {
      merchant_uid: checkString(p.merchant_uid, `settle_params[${i}].merchant_uid`),
      amount: checkInteger(p.amount, `settle_params[${i}].amount (fen)`, 1, MAX_AMOUNT_FEN),
    };
  });
  // The platform takes a JSON string (docs/PROTOCOLS.md §1.1): serialised here once, then signed as that string.
  return { ...rest, settle_params: JSON.stringify(params) };
}
