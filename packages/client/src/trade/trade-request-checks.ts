import {
  checkInteger,
  checkJsonValue,
  checkOptionalHttpsUrl,
  checkOptionalString,
  checkPlainObject,
  checkString,
  invalid,
} from '../argument-checks.js';
import { MAX_AMOUNT_FEN } from '../ecpay/request-checks.js';
import type {
  TradeOrderQueryRequest,
  TradeRefundAuditRequest,
  TradeRefundCreateRequest,
  TradeRefundQueryRequest,
  TradeSettleCreateRequest,
  TradeSettleQueryRequest,
} from './types.js';

/**
 * Input checks for the trade system's server APIs (docs/PROTOCOLS.md §2.2). Each returns the JSON body to
 * send. Lengths follow the platform's "≤ 64 字节" for developer-side numbers.
 */
const OUT_NO = { maxBytes: 64, pattern: /^[A-Za-z0-9_*-]+$/, patternText: 'made of A-Z a-z 0-9 _ * -' };
const ID = { maxBytes: 64 };
const EXTRA = { minLength: 0, maxLength: 2048 };

/** Exactly what the caller named among `keys`, at least one of them. */
function identifiers(r: object, keys: readonly string[], what: string): Record<string, string> {
  const body: Record<string, string> = {};
  for (const key of keys) {
    const value = (r as Record<string, unknown>)[key];
    if (value === undefined) continue;
    body[key] = checkString(value, key, key.startsWith('out_') ? OUT_NO : ID);
  }
  if (Object.keys(body).length === 0) throw invalid(`${what} needs one of ${keys.join(', ')}.`);
  return body;
}

export function checkOrderQuery(r: TradeOrderQueryRequest): Record<string, string> {
  checkPlainObject(r, 'orderQuery request');
  return identifiers(r, ['order_id', 'out_order_no'], 'orderQuery');
}

export function checkRefundQuery(r: TradeRefundQueryRequest): Record<string, string> {
  checkPlainObject(r, 'refundQuery request');
  return identifiers(r, ['refund_id', 'out_refund_no', 'order_id'], 'refundQuery');
}

export function checkSettleQuery(r: TradeSettleQueryRequest): Record<string, string> {
  checkPlainObject(r, 'settleQuery request');
  // The platform's priority when several are given: settle_id > order_id > out_settle_no > out_order_no.
  return identifiers(r, ['settle_id', 'order_id', 'out_settle_no', 'out_order_no'], 'settleQuery');
}

export function checkRefundCreate(r: TradeRefundCreateRequest): Record<string, unknown> {
  checkPlainObject(r, 'refundCreate request');
  checkString(r.order_id, 'order_id (the platform order id, not out_order_no)', ID);
  checkString(r.out_refund_no, 'out_refund_no', OUT_NO);
  checkInteger(r.refund_total_amount, 'refund_total_amount (fen)', 1, MAX_AMOUNT_FEN);
  if (!Array.isArray(r.refund_reason) || r.refund_reason.length === 0) {
    throw invalid('refund_reason must list at least one {code, text}.');
  }
  r.refund_reason.forEach((reason, i) => {
    checkPlainObject(reason, `refund_reason[${i}]`);
    checkInteger(reason.code, `refund_reason[${i}].code`, 0, Number.MAX_SAFE_INTEGER);
    checkString(reason.text, `refund_reason[${i}].text`);
  });
  const schema = checkPlainObject(r.order_entry_schema, 'order_entry_schema');
  checkString(schema.path, 'order_entry_schema.path');
  checkOptionalString(schema.params, 'order_entry_schema.params', { minLength: 0 });
  const hasItems = r.item_order_detail !== undefined;
  const all = (r as { refund_all?: unknown }).refund_all;
  if (hasItems === (all !== undefined)) {
    throw invalid('Pass either item_order_detail (the items refunded) or refund_all: true, not both.');
  }
  if (all !== undefined && all !== true) throw invalid('refund_all must be true (or left out).');
  if (hasItems) {
    if (!Array.isArray(r.item_order_detail) || r.item_order_detail.length === 0) {
      throw invalid('item_order_detail must list at least one {item_order_id, refund_amount}.');
    }
    r.item_order_detail.forEach((item, i) => {
      checkPlainObject(item, `item_order_detail[${i}]`);
      checkString(item.item_order_id, `item_order_detail[${i}].item_order_id`, ID);
      checkInteger(item.refund_amount, `item_order_detail[${i}].refund_amount (fen)`, 1, MAX_AMOUNT_FEN);
    });
  }
  checkOptionalString(r.cp_extra, 'cp_extra', EXTRA);
  checkOptionalHttpsUrl(r.notify_url, 'notify_url', 512);
  checkJsonValue(r, 'refundCreate request');
  return { ...r };
}

export function checkSettleCreate(r: TradeSettleCreateRequest): Record<string, unknown> {
  checkPlainObject(r, 'settleCreate request');
  if ((r as { cp_extra?: unknown }).cp_extra !== undefined) {
    // ecpay's name; the trade system's pass-through field is `ext` (docs/PROTOCOLS.md §5.1).
    throw invalid('settle_create takes its pass-through field as ext, not cp_extra.');
  }
  checkString(r.out_order_no, 'out_order_no', OUT_NO);
  checkString(r.out_settle_no, 'out_settle_no', OUT_NO);
  checkString(r.settle_desc, 'settle_desc');
  checkOptionalString(r.item_order_id, 'item_order_id', ID);
  checkOptionalString(r.ext, 'ext', EXTRA);
  checkOptionalHttpsUrl(r.notify_url, 'notify_url', 512);
  const { settle_params, ...rest } = r;
  checkJsonValue(rest, 'settleCreate request');
  if (settle_params === undefined || typeof settle_params === 'string') {
    checkOptionalString(settle_params, 'settle_params');
    return { ...rest, ...(settle_params === undefined ? {} : { settle_params }) };
  }
  if (!Array.isArray(settle_params) || settle_params.length === 0) {
    throw invalid('settle_params must be a JSON string or a non-empty list of {merchant_uid, amount}.');
  }
  const params = settle_params.map((p, i) => {
    checkPlainObject(p, `settle_params[${i}]`);
    return {
      merchant_uid: checkString(p.merchant_uid, `settle_params[${i}].merchant_uid`),
      amount: checkInteger(p.amount, `settle_params[${i}].amount (fen)`, 1, MAX_AMOUNT_FEN),
    };
  });
  // A JSON string on the wire, as for ecpay (SKIT serialises it the same way).
  return { ...rest, settle_params: JSON.stringify(params) };
}

/** `deny_message` "长度 <= 512 byte" (docs/PROTOCOLS.md §2.6). */
const DENY_MESSAGE = { maxBytes: 512 };

export function checkRefundAudit(r: TradeRefundAuditRequest): Record<string, unknown> {
  checkPlainObject(r, 'refundAuditCallback request');
  const refundId = checkString(r.refund_id, 'refund_id (the platform refund id)', ID);
  const status = (r as { refund_audit_status?: unknown }).refund_audit_status;
  if (status === 1) {
    if ((r as { deny_message?: unknown }).deny_message !== undefined) {
      throw invalid('deny_message goes with refund_audit_status 2 (deny) only.');
    }
    return { refund_id: refundId, refund_audit_status: 1 };
  }
  if (status === 2) {
    const message = checkString(
      (r as { deny_message?: unknown }).deny_message,
      'deny_message (required to deny; the buyer sees it)',
      DENY_MESSAGE,
    );
    return { refund_id: refundId, refund_audit_status: 2, deny_message: message };
  }
  throw invalid('refund_audit_status must be 1 (approve) or 2 (deny).');
}
