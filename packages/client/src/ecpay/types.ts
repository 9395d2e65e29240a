import type { JsonFields } from '../json-value.js';

/** Request and result types of the Douyin ecpay API; field names as the platform spells them (docs/PROTOCOLS.md §1.1). */

export type EcpayEndpoint =
  | 'create_order'
  | 'query_order'
  | 'create_refund'
  | 'query_refund'
  | 'settle'
  | 'query_settle'
  | 'unsettle_amount'
  | 'create_return'
  | 'query_return'
  | 'query_platform_order';

/** Request fields as given; `app_id`, `thirdparty_id` and `sign` are added by the client. */
export type EcpayFields = JsonFields;

/**
 * A successful answer without `err_no`/`err_tips`. docs/PROTOCOLS.md places create_order's result under
 * `data` and names the other results' keys without placing them, so the client lifts `data`'s fields
 * to the top level (a top-level key wins).
 */
export type EcpayResult = Record<string, unknown>;

export type EcpayLimitPayWay = 'LIMIT_WX' | 'LIMIT_ALI' | 'LIMIT_DYZF';

export interface EcpayCreateOrderRequest {
  /** ≤64 characters of `[A-Za-z0-9_*-]`. */
  out_order_no: string;
  /** Integer fen, 1..10000000000. */
  total_amount: number;
  /** ≤128 UTF-8 bytes and ≤42 characters. */
  subject: string;
  /** ≤128 UTF-8 bytes and ≤42 characters. */
  body: string;
  /** Seconds, 300..172800. */
  valid_time: number;
  /** ≤2048 characters, echoed in the payment callback. */
  cp_extra?: string;
  /** https, ≤256 characters; default: the console's callback URL. */
  notify_url?: string;
  store_uid?: string;
  disable_msg?: 0 | 1;
  msg_page?: string;
  /**
   * Delivery fees in integer fen (food-delivery mini-programs). Sent as a JSON string, as the platform
   * takes it: pass the object (serialised once, before signing) or its JSON text (docs/PROTOCOLS.md §1.1).
   */
  expand_order_info?: { original_delivery_fee?: number; actual_delivery_fee?: number } | string;
  /** A comma separated string, or a list the client joins with `,`. */
  limit_pay_way?: string | readonly EcpayLimitPayWay[];
}

export interface EcpayCreateOrderResult extends EcpayResult {
  order_id: string;
  order_token: string;
}

export interface EcpayQueryOrderRequest {
  out_order_no: string;
}

export interface EcpayPaymentInfo {
  total_fee: number;
  order_status: 'SUCCESS' | 'TIMEOUT' | 'PROCESSING' | 'FAIL' | (string & {});
  pay_time?: string;
  /**
   * A NUMBER here — 1 WeChat, 2 Alipay, 10 Douyin Pay; 0 until the order is paid — where the payment
   * callback sends the string `"2"` (docs/PROTOCOLS.md §1.1). `ecpayPaymentEventFromQuery` turns it into
   * the callback's string.
   */
  way?: number;
  channel_no?: string;
  seller_uid?: string;
  item_id?: string;
  cp_extra?: string;
  [field: string]: unknown;
}

/**
 * `cps_info` of a CPS order (the buyer came through an influencer): the commission is deducted before
 * settling — "可分账金额应扣除达人分佣金额" (docs/PROTOCOLS.md §1.4). Read it with `ecpayCpsCommission`.
 */
export interface EcpayCpsInfo {
  /** The influencer's commission, integer fen, as a string. */
  share_amount?: string;
  douyin_id?: string;
  nickname?: string;
  [field: string]: unknown;
}

export interface EcpayQueryOrderResult extends EcpayResult {
  out_order_no?: string;
  order_id?: string;
  payment_info: EcpayPaymentInfo;
  /**
   * Present for CPS orders; documented as a string (its JSON), so either form is typed. It may be
   * computed after the payment: query before settling.
   */
  cps_info?: EcpayCpsInfo | string;
}

export interface EcpayCreateRefundRequest {
  out_order_no: string;
  out_refund_no: string;
  reason: string;
  /** Integer fen, 1..10000000000. */
  refund_amount: number;
  cp_extra?: string;
  notify_url?: string;
  disable_msg?: 0 | 1;
  msg_page?: string;
  all_settle?: 0 | 1;
}

export interface EcpayCreateRefundResult extends EcpayResult {
  refund_no: string;
}

export interface EcpayQueryRefundRequest {
  out_refund_no: string;
}

export interface EcpayRefundInfo {
  refund_no: string;
  refund_amount: number;
  refund_status: 'SUCCESS' | 'FAIL' | 'PROCESSING' | (string & {});
  /** Seconds. */
  refunded_at?: number;
  is_all_settled?: boolean;
  cp_extra?: string;
  [field: string]: unknown;
}

/** The platform answers under the camelCase key `refundInfo` (docs/PROTOCOLS.md §1.1). */
export interface EcpayQueryRefundResult extends EcpayResult {
  refundInfo: EcpayRefundInfo;
}

export interface EcpaySettleParam {
  merchant_uid: string;
  /** Integer fen. */
  amount: number;
}

export interface EcpaySettleRequest {
  out_order_no: string;
  out_settle_no: string;
  settle_desc: string;
  /** The platform takes a JSON *string*; pass the string, or a list the client serialises once. */
  settle_params?: string | readonly EcpaySettleParam[];
  notify_url?: string;
  cp_extra?: string;
}

export interface EcpaySettleResult extends EcpayResult {
  settle_no?: string;
}

export interface EcpayQuerySettleRequest {
  out_settle_no: string;
}

/**
 * `query_settle` answers under `settle_info` (docs/PROTOCOLS.md §1.1): the platform's settlement number,
 * the amount (integer fen; gross or net is unsettled, §6 Q23) and its status.
 */
export interface EcpaySettleInfo {
  settle_no: string;
  settle_amount: number;
  /** `SUCCESS` / `FAIL` are final (§1.3); the values in between are not documented. */
  settle_status: 'SUCCESS' | 'FAIL' | (string & {});
  [field: string]: unknown;
}

export interface EcpayQuerySettleResult extends EcpayResult {
  settle_info: EcpaySettleInfo;
}
