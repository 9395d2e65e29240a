import type { JsonFields } from '../json-value.js';

/** One `skuList` entry of `tt.requestOrder`'s data (docs/PROTOCOLS.md §2). */
export interface TradeSku {
  skuId: string;
  /** Integer fen. */
  price: number;
  quantity: number;
  title: string;
  imageList: string[];
  type: number;
  tagGroupId?: string;
}

/** What the mini-program passes to `tt.requestOrder` as `data` (before serialisation). */
export interface TradeOrderData {
  skuList: TradeSku[];
  outOrderNo: string;
  /** Integer fen. */
  totalAmount: number;
  payExpireSeconds?: number;
  /** https. */
  payNotifyUrl?: string;
  merchantUid?: string;
  /**
   * The mini-program page the buyer's order links to, and its query (a JSON string). Required by the platform
   * (docs/PROTOCOLS.md §2.1), so required here.
   */
  orderEntrySchema: { path: string; params?: string };
  limitPayWayList?: number[];
}

/** `{data, byteAuthorization}` for `tt.requestOrder`: hand both to the mini-program unchanged. */
export interface RequestOrderParams {
  /** The exact JSON string that was signed. */
  data: string;
  byteAuthorization: string;
}

/**
 * Trade-system server APIs (`/api/trade_basic/v1/developer/…/`), as documented by the platform and
 * modelled by fudiwei's DotNetCore.SKIT ByteDance SDK (docs/PROTOCOLS.md §2.2). Amounts are integer fen;
 * every time field is Unix MILLISECONDS. Fields the platform may add later are kept (`[field: string]`).
 */
export type TradeFields = JsonFields;

/** `order_query/`: one of the two identifiers. */
export type TradeOrderQueryRequest =
  | { order_id: string; out_order_no?: string }
  | { out_order_no: string; order_id?: string };

export interface TradeItemOrder {
  item_order_id: string;
  sku_id: string;
  /** Integer fen. */
  item_order_amount: number;
  [field: string]: unknown;
}

/** `data` of `order_query/`. */
export interface TradeOrderQueryResult {
  order_id: string;
  out_order_no: string;
  app_id: string;
  /** `PROCESS` while unpaid; `SUCCESS`, `FAIL`, `TIMEOUT` (docs/PROTOCOLS.md §2.2). */
  pay_status: 'PROCESS' | 'SUCCESS' | 'FAIL' | 'TIMEOUT' | (string & {});
  /** Integer fen. */
  total_amount: number;
  /** Integer fen. */
  discount_amount?: number;
  /** Milliseconds. */
  trade_time?: number;
  /** Milliseconds; absent or 0 before payment. */
  pay_time?: number;
  pay_channel?: number;
  channel_pay_id?: string;
  merchant_uid?: string;
  item_order_list: TradeItemOrder[];
  cp_extra?: string;
  [field: string]: unknown;
}

/** One `refund_reason[]` entry. */
export interface TradeRefundReason {
  code: number;
  text: string;
}

/** A mini-program page: where the buyer lands from the order or refund card. */
export interface TradeEntrySchema {
  path: string;
  /** A JSON object as a string, e.g. `"{\"id\":1}"`. */
  params?: string;
}

interface TradeRefundCreateBase {
  /** The platform's order id (`motb…`), not `out_order_no`. */
  order_id: string;
  out_refund_no: string;
  /** Integer fen. */
  refund_total_amount: number;
  refund_reason: readonly TradeRefundReason[];
  order_entry_schema: TradeEntrySchema;
  cp_extra?: string;
  /** https. */
  notify_url?: string;
}

/** `refund_create/`: either the items refunded (`item_order_detail`) or the whole order (`refund_all`). */
export type TradeRefundCreateRequest = TradeRefundCreateBase &
  (
    | { item_order_detail: readonly { item_order_id: string; refund_amount: number }[]; refund_all?: never }
    | { refund_all: true; item_order_detail?: never }
  );

/** `data` of `refund_create/`. */
export interface TradeRefundCreateResult {
  refund_id: string;
  /** Milliseconds. */
  refund_audit_deadline?: number;
  [field: string]: unknown;
}

/** `refund_query/`: one of the three identifiers. */
export type TradeRefundQueryRequest =
  | { out_refund_no: string; refund_id?: string; order_id?: string }
  | { refund_id: string; out_refund_no?: string; order_id?: string }
  | { order_id: string; out_refund_no?: string; refund_id?: string };

export interface TradeRefund {
  order_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: 'PROCESSING' | 'SUCCESS' | 'FAIL' | (string & {});
  /** Integer fen. */
  refund_total_amount: number;
  item_order_detail?: { item_order_id: string; refund_amount: number }[];
  /** Milliseconds. */
  create_at?: number;
  /** Milliseconds. */
  refund_at?: number;
  message?: string;
  merchant_audit_detail?: {
    audit_status?: string;
    need_refund_audit?: number;
    /** Milliseconds. */
    refund_audit_deadline?: number;
    deny_message?: string;
  };
  [field: string]: unknown;
}

/** `data` of `refund_query/`: a LIST, also when one refund was asked for. */
export interface TradeRefundQueryResult {
  refund_list: TradeRefund[];
  [field: string]: unknown;
}

export interface TradeSettleParam {
  merchant_uid: string;
  /** Integer fen. */
  amount: number;
}

/** `settle_create/`. The pass-through field is `ext` (not ecpay's `cp_extra`). */
export interface TradeSettleCreateRequest {
  out_order_no: string;
  out_settle_no: string;
  settle_desc: string;
  /** A JSON string, or a list the client serialises once (as for ecpay). */
  settle_params?: string | readonly TradeSettleParam[];
  item_order_id?: string;
  ext?: string;
  /** https. */
  notify_url?: string;
}

/** `data` of `settle_create/`. */
export interface TradeSettleCreateResult {
  settle_id: string;
  wallet_settle_id?: string;
  [field: string]: unknown;
}

/** `settle_query/`: one of the four identifiers. */
export type TradeSettleQueryRequest =
  | { settle_id: string; order_id?: string; out_settle_no?: string; out_order_no?: string }
  | { order_id: string; settle_id?: string; out_settle_no?: string; out_order_no?: string }
  | { out_settle_no: string; settle_id?: string; order_id?: string; out_order_no?: string }
  | { out_order_no: string; settle_id?: string; order_id?: string; out_settle_no?: string };

export interface TradeSettlement {
  order_id: string;
  out_order_no: string;
  out_settle_no: string;
  settle_id: string;
  settle_status: 'PROCESSING' | 'SUCCESS' | 'FAIL' | (string & {});
  /** Integer fen, each. */
  settle_amount: number;
  rake?: number;
  commission?: number;
  platform_ticket?: number;
  settle_detail?: string;
  /** Milliseconds. */
  settle_at?: number;
  item_order_id?: string;
  cp_extra?: string;
  wallet_settle_id?: string;
  [field: string]: unknown;
}

/**
 * `data` of `settle_query/`: an ARRAY of settlements — empty when nothing matched
 * ("如未查询到结果，会返回空数组", docs/PROTOCOLS.md §5.1).
 */
export type TradeSettleQueryResult = TradeSettlement[];

/**
 * `refund_audit_callback/` (同步退款审核结果): the shop's decision on a refund the user started, by the
 * platform's `refund_id` — 1 approve, 2 deny with `deny_message` (required then; ≤ 512 bytes, shown to the
 * buyer). Not audited within 72 hours of its creation, a refund is approved (docs/PROTOCOLS.md §2.6).
 */
export type TradeRefundAuditRequest =
  | { refund_id: string; refund_audit_status: 1; deny_message?: never }
  | { refund_id: string; refund_audit_status: 2; deny_message: string };

/** `query_cps/`: one of the two identifiers. */
export type TradeQueryCpsRequest = TradeOrderQueryRequest;

/** One influencer commission of `query_cps/` (达人分佣). Integer fen; `commission_rate` in 1/10000. */
export interface TradeCpsItem {
  item_order_id: string;
  commission_amount: number;
  commission_rate?: number;
  sell_amount?: number;
  source_type?: number;
  status?: number;
  item_id?: string | number;
  commission_user_douyinid?: string;
  commission_user_nickname?: string;
  task_id?: string;
  [field: string]: unknown;
}

/**
 * `data` of `query_cps/`: the order's influencer commissions. `total_commission_amount` is deducted from
 * what can be settled: split no more than paid − refunded − this (docs/PROTOCOLS.md §2.7).
 */
export interface TradeQueryCpsResult {
  order_id: string;
  out_order_no: string;
  /** Integer fen. */
  total_commission_amount: number;
  cps_item_list?: TradeCpsItem[];
  [field: string]: unknown;
}

export type TradeApi =
  | 'order_query'
  | 'refund_create'
  | 'refund_query'
  | 'refund_audit_callback'
  | 'settle_create'
  | 'settle_query'
  | 'query_cps';
