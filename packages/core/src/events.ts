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
  /**
   * The pay channel as the callback sends it: a STRING (`"1"` WeChat, `"2"` Alipay, `"10"` Douyin Pay),
   * where `query_order` answers a number (docs/PROTOCOLS.md §1.3). A reconciled event carries the string
   * too, so it equals the callback's.
   */
  way: string;
  channel_no?: string;
  channel_gateway_no?: string;
  payment_order_no?: string;
  out_channel_order_no?: string;
  total_amount: number;
  /**
   * ecpay notifies successful payments only (docs/PROTOCOLS.md §1.3): a payment callback with any other
   * status is not a payment event but `type: 'other'` (`callbackType: 'payment'`), and changes nothing.
   */
  status: 'SUCCESS';
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
  /** Success and failure are both notified (docs/PROTOCOLS.md §1.3); any other status is `type: 'other'`. */
  status: 'SUCCESS' | 'FAIL';
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
  /** Integer fen; gross or net is not settled by the sources read (docs/PROTOCOLS.md §6 Q23). */
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
/**
 * A verified ecpay callback ttpay does not model: a type such as withdraw, or a payment or refund whose
 * `status` is not one the platform documents for it (`callbackType` is then "payment" or "refund").
 */
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
  /**
   * `SUCCESS` or `CANCEL` (docs/PROTOCOLS.md §5.5). A payment callback with any other status is not a
   * payment event but `type: 'other'` (`callbackType: 'payment'`): it never cancels (or pays) an order.
   */
  status: 'SUCCESS' | 'CANCEL';
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
  /** `SUCCESS` or `FAIL` (docs/PROTOCOLS.md §2.3); any other status is `type: 'other'`. */
  status: 'SUCCESS' | 'FAIL';
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
  /**
   * Integer fen. Whether this is the gross amount (before `rake` and `commission`) or the net one is not
   * settled by the sources read (docs/PROTOCOLS.md §6 Q23): read `settle_detail` for what reached you.
   */
  settle_amount?: number;
  order_id?: string;
  message?: string;
  event_time?: number;
  cp_extra?: string;
  [field: string]: unknown;
}

/**
 * `msg` of the refund application callback (退款申请回调, `type: "pre_create_refund"`): a user or customer
 * service started a refund, the platform created its refund (`refund_id`) and asks the shop for its own
 * refund number (docs/PROTOCOLS.md §2.5). Fields as the platform names them; the platform's pages list
 * more than ttpay reads, and every one is kept.
 */
export interface TradeRefundApplicationMsg {
  app_id: string;
  /** The platform's refund id: the application's idempotency key ("相同的系统退款单号重复请求应当被视为相同的一次退款"). */
  refund_id: string;
  /** The platform's order id. */
  order_id: string;
  out_order_no?: string;
  /** Integer fen. */
  refund_total_amount?: number;
  /** Whether the shop must audit the refund (then `refundAuditCallback` within `refund_audit_deadline`). */
  need_refund_audit?: number | boolean;
  /** Milliseconds: not audited by then, the refund is approved ("72小时内未同步审核结果,则系统默认审核通过"). */
  refund_audit_deadline?: number;
  /** Milliseconds. */
  create_refund_time?: number;
  /** Who started it: 1 the user, 3 an expiry auto-refund, 4 customer service, 5 a failed booking (§2.5). */
  refund_source?: number;
  refund_reason?: string[];
  refund_description?: string;
  cp_extra?: string;
  open_id?: string;
  refund_item_detail?: {
    item_order_quantity?: number;
    item_order_detail?: { item_order_id: string; refund_amount: number }[];
  };
  /** Present when the refund already carries a developer number (a repeated application). */
  out_refund_no?: string;
  [field: string]: unknown;
}

interface TradeEventBase {
  platform: 'douyin';
  system: 'trade';
  key: string;
  rawMsg: string;
  /** The body's `version` ("3.0"; "2.0" for the refund application, docs/PROTOCOLS.md §2.5). */
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
/**
 * A refund application (退款申请回调): answer it with the shop's refund number — the handler returns
 * `douyinReply({ out_refund_no, … })` — and audit it later if `need_refund_audit` says so. Its key is the
 * platform's `refund_id` (docs/PROTOCOLS.md §2.5).
 */
export interface TradeRefundApplicationEvent extends TradeEventBase {
  type: 'pre_create_refund';
  msg: TradeRefundApplicationMsg;
}
/**
 * A verified trade callback ttpay does not model: an unknown `type`, or a payment or refund whose `status`
 * is not one the platform documents for it (`callbackType` is then "payment" or "refund"). It changes no
 * order by itself; it reaches `onEvent` only.
 */
export interface TradeOtherEvent extends TradeEventBase {
  type: 'other';
  callbackType: string;
  msg: Record<string, unknown>;
}

export type TradeEvent =
  | TradePaymentEvent
  | TradeRefundEvent
  | TradeSettleEvent
  | TradeRefundApplicationEvent
  | TradeOtherEvent;

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
