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
  payment: {
    /** A decimal string, e.g. `"12.34"`. */
    total_amount: string;
    currency: string;
    [field: string]: unknown;
  };
  /** Packages of the order (the Open API's `packages[].id`; not described in docs/PROTOCOLS.md). */
  packages?: { id: string; [field: string]: unknown }[];
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
      handover_method: 'PICKUP' | 'DROP_OFF';
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

/** `data` of the auth host's token answers. */
export interface TikTokToken {
  access_token: string;
  /** Epoch seconds at which the access token expires. */
  access_token_expire_in?: number;
  refresh_token?: string;
  refresh_token_expire_in?: number;
  open_id?: string;
  seller_name?: string;
  seller_base_region?: string;
  [field: string]: unknown;
}

/** `data` of a successful (`code: 0`) answer. */
export type TikTokResult = Record<string, unknown>;
