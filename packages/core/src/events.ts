/**
 * Typed, verified events. Every event is a discriminated union member: narrow Douyin events on
 * `system` and `type`, TikTok Shop events on `name`, AlgoVoi events on `platform`.
 * Field names are exactly as the platforms spell them (docs/PROTOCOLS.md).
 */

// ---------------------------------------------------------------- Douyin ecpay (docs/PROTOCOLS.md §1.3)

export interface EcpayPaymentMsg {
  appid: string;
  cp_orderno: string;
  cp_extra: string;
  way: string;
  channel_no?: string;
  channel_gateway_no?: string;
  payment_order_no?: string;
  out_channel_order_no?: string;
  total_amount: number;
  status: string;
  seller_uid?: string;
  extra?: string;
  item_id?: string;
  paid_at?: number;
  message?: string;
  order_id?: string;
  [field: string]: unknown;
}

export interface EcpayRefundMsg {
  appid: string;
  cp_refundno: string;
  cp_extra: string;
  status: 'SUCCESS' | 'FAIL' | (string & {});
  refund_amount?: number;
  is_all_settled?: boolean;
  refunded_at?: number;
  message?: string;
  order_id?: string;
  refund_no?: string;
  [field: string]: unknown;
}

export interface EcpaySettleMsg {
  app_id: string;
  cp_settle_no: string;
  cp_extra: string;
  status: string;
  rake?: number;
  commission?: number;
  settle_detail?: string;
  settled_at?: number;
  message?: string;
  order_id?: string;
  channel_settle_id?: string;
  settle_amount?: number;
  settle_no?: string;
  out_order_no?: string;
  is_auto_settle?: boolean;
  [field: string]: unknown;
}

interface EcpayEventBase {
  platform: 'douyin';
  system: 'ecpay';
  /** The idempotency key (docs/PROTOCOLS.md §1.3 natural keys). */
  key: string;
  /** The `msg` JSON string exactly as signed (reconciled: the JSON of the `msg` built from the query). */
  rawMsg: string;
  timestamp: string;
  nonce: string;
  /**
   * True when the event was learned by querying the platform (`query_order`, a reconciliation job),
   * not from a signed callback: same type, same key as its callback; `nonce` is empty.
   */
  reconciled?: true;
}

export interface EcpayPaymentEvent extends EcpayEventBase {
  type: 'payment';
  msg: EcpayPaymentMsg;
}
export interface EcpayRefundEvent extends EcpayEventBase {
  type: 'refund';
  msg: EcpayRefundMsg;
}
export interface EcpaySettleEvent extends EcpayEventBase {
  type: 'settle';
  msg: EcpaySettleMsg;
}
/** A verified ecpay callback of a type ttpay does not model (e.g. withdraw). */
export interface EcpayOtherEvent extends EcpayEventBase {
  type: 'other';
  callbackType: string;
  msg: Record<string, unknown>;
}

export type EcpayEvent = EcpayPaymentEvent | EcpayRefundEvent | EcpaySettleEvent | EcpayOtherEvent;

// ---------------------------------------------------------------- Douyin trade system (docs/PROTOCOLS.md §2)

export interface TradePaymentMsg {
  app_id: string;
  out_order_no: string;
  order_id: string;
  /** "SUCCESS" or "CANCEL". */
  status: 'SUCCESS' | 'CANCEL' | (string & {});
  total_amount: number;
  discount_amount?: number;
  pay_channel?: number;
  channel_pay_id?: string;
  merchant_uid?: string;
  message?: string;
  event_time?: number;
  cp_extra?: string;
  item_id?: string;
  [field: string]: unknown;
}

export interface TradeRefundMsg {
  app_id: string;
  /** The developer's refund number; the platform documents it as possibly empty. */
  out_refund_no?: string;
  refund_id?: string;
  status: 'SUCCESS' | 'FAIL' | (string & {});
  refund_total_amount?: number;
  order_id?: string;
  message?: string;
  event_time?: number;
  cp_extra?: string;
  [field: string]: unknown;
}

export interface TradeSettleMsg {
  app_id: string;
  out_settle_no?: string;
  settle_id?: string;
  status: string;
  settle_amount?: number;
  order_id?: string;
  message?: string;
  event_time?: number;
  cp_extra?: string;
  [field: string]: unknown;
}

interface TradeEventBase {
  platform: 'douyin';
  system: 'trade';
  key: string;
  rawMsg: string;
  /** The body's `version` ("3.0", or "2.0" for some industry flows). */
  version: string;
  timestamp: string;
  nonce: string;
  /** `Byte-Logid`, for support tickets with the platform. */
  logId?: string;
  /** True when learned by querying the platform (`order_query/`), not from a signed callback. */
  reconciled?: true;
}

export interface TradePaymentEvent extends TradeEventBase {
  type: 'payment';
  msg: TradePaymentMsg;
}
export interface TradeRefundEvent extends TradeEventBase {
  type: 'refund';
  msg: TradeRefundMsg;
}
export interface TradeSettleEvent extends TradeEventBase {
  type: 'settle';
  msg: TradeSettleMsg;
}
export interface TradeOtherEvent extends TradeEventBase {
  type: 'other';
  callbackType: string;
  msg: Record<string, unknown>;
}

export type TradeEvent = TradePaymentEvent | TradeRefundEvent | TradeSettleEvent | TradeOtherEvent;

export type DouyinEvent = EcpayEvent | TradeEvent;

// ---------------------------------------------------------------- TikTok Shop (docs/PROTOCOLS.md §3)

export interface TikTokOrderStatusData {
  order_id: string;
  order_status: string;
  is_on_hold_order?: boolean;
  update_time?: number;
  [field: string]: unknown;
}

/** TikTok Shop webhook `type` numbers and the names ttpay gives them. */
export const TIKTOK_WEBHOOK_TYPES = {
  1: 'ORDER_STATUS_CHANGE',
  3: 'RECIPIENT_ADDRESS_UPDATE',
  4: 'PACKAGE_UPDATE',
  5: 'PRODUCT_STATUS_CHANGE',
  6: 'SELLER_DEAUTHORIZATION',
  7: 'UPCOMING_AUTHORIZATION_EXPIRATION',
  11: 'CANCELLATION_STATUS_CHANGE',
  12: 'RETURN_STATUS_CHANGE',
  15: 'PRODUCT_INFORMATION_CHANGE',
  16: 'PRODUCT_CREATION',
  36: 'INVOICE_STATUS_CHANGE',
  37: 'PRODUCT_AUDIT_STATUS_CHANGE',
} as const;

export type TikTokWebhookTypeNumber = keyof typeof TIKTOK_WEBHOOK_TYPES;
export type TikTokWebhookName = (typeof TIKTOK_WEBHOOK_TYPES)[TikTokWebhookTypeNumber];

/**
 * Type 11 (`CANCELLATION_STATUS_CHANGE`) `data`, as documented: `{order_id, cancellations_role,
 * cancel_status, cancel_id, create_time}` (docs/PROTOCOLS.md §3.1). Only `order_id` is checked on arrival.
 */
export interface TikTokCancellationStatusData {
  order_id: string;
  cancel_status?: string;
  cancellations_role?: string;
  cancel_id?: string;
  create_time?: number;
  [field: string]: unknown;
}

interface TikTokDataByType {
  1: TikTokOrderStatusData;
  11: TikTokCancellationStatusData;
  12: { order_id: string; return_id?: string; return_status?: string; [field: string]: unknown };
}
type TikTokData<T extends TikTokWebhookTypeNumber> = T extends keyof TikTokDataByType
  ? TikTokDataByType[T]
  : Record<string, unknown>;

interface TikTokEventBase {
  platform: 'tiktok';
  key: string;
  tts_notification_id: string;
  shop_id: string;
  timestamp: number;
}

export type TikTokKnownEvent = {
  [T in TikTokWebhookTypeNumber]: TikTokEventBase & {
    type: T;
    name: (typeof TIKTOK_WEBHOOK_TYPES)[T];
    data: TikTokData<T>;
  };
}[TikTokWebhookTypeNumber];

/** A verified webhook whose `type` number ttpay does not know yet. */
export interface TikTokUnknownEvent extends TikTokEventBase {
  type: number;
  name: 'UNKNOWN';
  data: Record<string, unknown>;
}

export type TikTokEvent = TikTokKnownEvent | TikTokUnknownEvent;

export type TikTokEventOf<N extends TikTokWebhookName> = Extract<TikTokKnownEvent, { name: N }>;

// ---------------------------------------------------------------- AlgoVoi gateway (docs/PROTOCOLS.md §4.3)

/** Event types the published verifier knows (chopmob-cloud/algovoi-webhook-verifier); others are refused. */
export const ALGOVOI_EVENT_TYPES = ['payment.confirmed'] as const;
export type AlgoVoiEventType = (typeof ALGOVOI_EVENT_TYPES)[number];

/**
 * `data` of a `payment.confirmed` webhook, as the published verifier's vectors carry it. Every field may be
 * absent (its vector v04 has `data: {}`); those ttpay reads are checked to be strings when present.
 */
export interface AlgoVoiPaymentConfirmedData {
  /** The on-chain transaction id. */
  tx_id?: string;
  /** The checkout token of the payment link (the last path segment of its `checkout_url`). */
  payment_link_token?: string;
  /** The `label` the link was created with: finds a link whose creation answer was lost. */
  payment_link_label?: string;
  resource_id?: string;
  tenant_label?: string;
  chain?: string;
  asset?: { id?: string; label?: string; decimals?: number; [field: string]: unknown };
  amount_microunits?: number;
  amount_pretty?: string;
  payer_address?: string;
  [field: string]: unknown;
}

/**
 * A verified AlgoVoi gateway webhook: `{id, type, created, api_version, data}` (docs/PROTOCOLS.md §4.3),
 * keyed on `id`. It says the gateway saw a payment; read the checkout back
 * (`GET /checkout/{token}/status`, `AlgoVoiClient.verifyPayment`) before shipping or settling anything.
 */
export interface AlgoVoiEvent {
  platform: 'algovoi';
  /** `algovoi:<id>`: a redelivery of the same event is a duplicate. */
  key: string;
  /** The event id (e.g. `evt_…`). */
  id: string;
  type: AlgoVoiEventType;
  /** Unix seconds, when the body has it. */
  created?: number;
  api_version?: string;
  data: AlgoVoiPaymentConfirmedData;
  /** The whole parsed body. */
  payload: Record<string, unknown>;
  /** @deprecated Use `data.payment_link_token`. Kept for one release. */
  token?: string;
  /**
   * @deprecated Use `type` (`payment.confirmed`). Kept for one release as `'confirmed'`, so 0.x code that
   * checked `ALGOVOI_PAID_STATUSES.includes(event.status)` still sees a payment.
   */
  status?: 'confirmed';
  /** @deprecated Use `data.tx_id`. Kept for one release. */
  tx_id?: string;
}

export type TtpayEvent = DouyinEvent | TikTokEvent | AlgoVoiEvent;
