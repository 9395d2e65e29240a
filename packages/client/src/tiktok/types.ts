import type { CallOptions } from '../http/options.js';

/** Per-call options of TikTok Shop API calls. */
export interface TikTokCallOptions extends CallOptions {
  /** Overrides the client's `accessToken` (one client serving several shops). */
  accessToken?: string;
  /** Overrides the client's `shopCipher`. */
  shopCipher?: string;
}

/**
 * Order statuses of the 202309 Order API. The type-1 webhook documents `CANCEL` where this enum says
 * `CANCELLED` (docs/PROTOCOLS.md §5.4); `isTikTokOrderCancelled` accepts both.
 */
export type TikTokOrderStatus =
  | 'UNPAID'
  | 'ON_HOLD'
  | 'AWAITING_SHIPMENT'
  | 'PARTIALLY_SHIPPING'
  | 'AWAITING_COLLECTION'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'COMPLETED'
  | 'CANCELLED';

/** An order from `GET /order/202309/orders` (docs/PROTOCOLS.md §3.3). */
export interface TikTokOrder {
  id: string;
  status?: TikTokOrderStatus | (string & {});
  /** `TIKTOK` (TikTok's carriers; ship with a handover method) or `SELLER` (the seller's carrier). */
  shipping_type?: 'TIKTOK' | 'SELLER' | (string & {});
  /** For `getShippingProviders`: the carriers a seller-shipped order may name. */
  delivery_option_id?: string;
  /**
   * What the BUYER PAID at TikTok's checkout: `total_amount` is "Buyer paid total amount" (Get Order
   * Detail). An order past `UNPAID` is paid — never send it to a payment gateway (docs/PROTOCOLS.md §3.8).
   */
  payment: {
    /** A decimal string, e.g. `"12.34"`. */
    total_amount: string;
    currency: string;
    [field: string]: unknown;
  };
  /** Packages of the order (`packages[].id`). */
  packages?: { id: string; [field: string]: unknown }[];
  /** Unix seconds of the last status change: what a backfill by update time compares. */
  update_time?: number;
  /** Unix seconds at which the buyer paid (at TikTok's checkout). */
  paid_time?: number;
  /** True while the buyer has a cancellation request pending. */
  is_buyer_request_cancel?: boolean;
  [field: string]: unknown;
}

export interface TikTokGetOrdersResult {
  orders: TikTokOrder[];
  [field: string]: unknown;
}

/**
 * Body of `POST /fulfillment/202309/packages/{package_id}/ship`: a seller-shipped package names its
 * carrier (`shipping_provider_id` from `getShippingProviders`) and THAT carrier's tracking number — TikTok
 * matches the number against carriers and refuses others (11028006); a TikTok-shipped package names a
 * handover method instead (docs/PROTOCOLS.md §5.6).
 */
export type TikTokShipPackageRequest =
  | { self_shipment: { tracking_number: string; shipping_provider_id: string } }
  | {
      /**
       * Optional in the spec; "useless" for local sellers in ID, SG, PH, VN, TH and MY since 2024-10-30 (the
       * collection method is set per warehouse in Seller Center) — docs/PROTOCOLS.md §3.3. `{}` ships a
       * TikTok-shipped package with the warehouse's setting.
       */
      handover_method?: 'PICKUP' | 'DROP_OFF';
      /** Unix seconds, for `PICKUP`. */
      pickup_slot?: { start_time: number; end_time: number };
    };

/** `data` of `GET /logistics/202309/delivery_options/{delivery_option_id}/shipping_providers`. */
export interface TikTokShippingProvidersResult {
  shipping_providers: { id: string; name: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

/** `data` of `POST /fulfillment/202309/orders/{order_id}/packages` (Mark Package As Shipped). */
export interface TikTokMarkPackageAsShippedResult {
  order_id: string;
  order_line_item_ids?: string[];
  package_id: string;
  /** e.g. `{message: "match more than one provider"}`. */
  warning?: { message?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** Body of `POST /fulfillment/202309/orders/{order_id}/packages` (Mark Package As Shipped). */
export interface TikTokMarkPackageAsShippedRequest {
  tracking_number: string;
  shipping_provider_id: string;
  order_line_item_ids?: string[];
}

/** Body of `POST /fulfillment/202309/orders/{order_id}/shipping_info/update` (fields as above). */
export interface TikTokUpdateShippingInfoRequest {
  tracking_number: string;
  shipping_provider_id: string;
}

/**
 * `data` of the auth host's token answers (docs/PROTOCOLS.md §3.5). Despite their names the `*_expire_in`
 * fields are Unix timestamps (seconds) — when the token expires — not durations.
 */
export interface TikTokToken {
  access_token: string;
  /** Unix seconds at which the access token expires (7 days after it was issued). */
  access_token_expire_in?: number;
  refresh_token?: string;
  /** Unix seconds at which the refresh token — and so the seller's authorization — expires. */
  refresh_token_expire_in?: number;
  open_id?: string;
  seller_name?: string;
  seller_base_region?: string;
  [field: string]: unknown;
}

/** `data` of a successful (`code: 0`) answer. */
export type TikTokResult = Record<string, unknown>;

/** One shop of `GET /authorization/202309/shops` (docs/PROTOCOLS.md §3.5): `cipher` is the `shop_cipher`. */
export interface TikTokAuthorizedShop {
  id: string;
  name?: string;
  region?: string;
  /** `CROSS_BORDER` or `LOCAL`. */
  seller_type?: string;
  /** The `shop_cipher` shop-scoped calls take. */
  cipher: string;
  code?: string;
  [field: string]: unknown;
}

export interface TikTokAuthorizedShopsResult {
  shops: TikTokAuthorizedShop[];
  [field: string]: unknown;
}

/** Body of `POST /order/202309/orders/search` (Search Orders, docs/PROTOCOLS.md §3.6). Times in Unix seconds. */
export interface TikTokSearchOrdersRequest {
  order_status?: TikTokOrderStatus | (string & {});
  create_time_ge?: number;
  create_time_lt?: number;
  update_time_ge?: number;
  update_time_lt?: number;
  shipping_type?: 'TIKTOK' | 'SELLER';
  buyer_user_id?: string;
  is_buyer_request_cancel?: boolean;
  warehouse_ids?: string[];
}

/** The query of the search endpoints: one page. */
export interface TikTokPage {
  /** Search Orders: 1–100 (required by the API; the client sends 50 when unset). */
  page_size?: number;
  page_token?: string;
  sort_field?: 'create_time' | 'update_time';
  sort_order?: 'ASC' | 'DESC';
}

/** `data` of Search Orders: the orders have Get Order Detail's fields. */
export interface TikTokSearchOrdersResult {
  orders: TikTokOrder[];
  /** Empty or absent on the last page. */
  next_page_token?: string;
  total_count?: number;
  [field: string]: unknown;
}

/** Body of `POST /return_refund/202309/cancellations/search`. */
export interface TikTokSearchCancellationsRequest {
  cancel_ids?: string[];
  order_ids?: string[];
  buyer_user_ids?: string[];
  /** `CANCEL` (by seller or system) or `BUYER_CANCEL` (needs the seller's or the system's approval). */
  cancel_types?: string[];
  cancel_status?: TikTokCancelStatus[];
  create_time_ge?: number;
  create_time_lt?: number;
  update_time_ge?: number;
  update_time_lt?: number;
  locale?: string;
}

/** Cancellation statuses (the type-11 webhook and Search Cancellations, docs/PROTOCOLS.md §3.7). */
export type TikTokCancelStatus =
  | 'CANCELLATION_REQUEST_PENDING'
  | 'CANCELLATION_REQUEST_SUCCESS'
  | 'CANCELLATION_REQUEST_CANCELLED'
  | 'CANCELLATION_REQUEST_COMPLETE'
  | (string & {});

export interface TikTokCancellation {
  cancel_id: string;
  order_id: string;
  cancel_type?: string;
  cancel_status: TikTokCancelStatus;
  /** `BUYER`, `SELLER` or `SYSTEM`. */
  role?: string;
  cancel_reason?: string;
  cancel_reason_text?: string;
  create_time?: number;
  update_time?: number;
  /** e.g. `[{action: 'SELLER_RESPOND_CANCEL', deadline}]`: what the seller must do, by when (Unix seconds). */
  seller_next_action_response?: { action: string; deadline?: number; [field: string]: unknown }[];
  [field: string]: unknown;
}

export interface TikTokSearchCancellationsResult {
  cancellations: TikTokCancellation[];
  next_page_token?: string;
  total_count?: number;
  [field: string]: unknown;
}

/** Body of `POST /return_refund/202309/cancellations/{cancel_id}/reject`. */
export interface TikTokRejectCancellationRequest {
  /** A reason from TikTok's cancel-reason list, e.g. `seller_reject_apply_product_has_been_packed`. */
  reject_reason: string;
  comment?: string;
  images?: { image_id: string; mime_type?: string; height?: number; width?: number }[];
}

/** Options of the cancellation decisions (writes: never retried by the client). */
export interface TikTokDecisionOptions extends TikTokCallOptions {
  /**
   * TikTok's `idempotency_key` query parameter (≤ 255 characters): the platform recognises a repeated
   * request by it. Derive it from the decision (e.g. `approve-<cancel_id>`) so that a retried job cannot
   * decide twice.
   */
  idempotencyKey?: string;
}
