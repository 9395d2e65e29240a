import type { JsonFields } from '../json-value.js';

/** One `skuList` entry of `tt.requestOrder`'s data (PROTOCOLS.md §2). */
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
  orderEntrySchema?: { path: string; params?: string };
  limitPayWayList?: number[];
}

/** `{data, byteAuthorization}` for `tt.requestOrder`: hand both to the mini-program unchanged. */
export interface RequestOrderParams {
  /** The exact JSON string that was signed. */
  data: string;
  byteAuthorization: string;
}

/**
 * A trade-system server API body. PROTOCOLS.md names the endpoints but not their fields, so bodies are
 * passed through as given (checked to be JSON); the named fields are the usual identifiers.
 */
export type TradeFields = JsonFields;

export interface TradeOrderQueryRequest extends TradeFields {
  order_id?: string;
  out_order_no?: string;
}
export interface TradeRefundCreateRequest extends TradeFields {
  out_order_no?: string;
  out_refund_no?: string;
}
export interface TradeRefundQueryRequest extends TradeFields {
  refund_id?: string;
  out_refund_no?: string;
}
export interface TradeSettleCreateRequest extends TradeFields {
  out_order_no?: string;
  out_settle_no?: string;
}
export interface TradeSettleQueryRequest extends TradeFields {
  out_settle_no?: string;
  settle_id?: string;
}

/** The `data` of a successful answer (`err_no: 0`). */
export type TradeResult = Record<string, unknown>;

export type TradeApi = 'order_query' | 'refund_create' | 'refund_query' | 'settle_create' | 'settle_query';
