import type { CallOptions } from '../http/options.js';

/** Per-call options of TikTok Shop API calls. */
export interface TikTokCallOptions extends CallOptions {
  /** Overrides the client's `accessToken` (one client serving several shops). */
  accessToken?: string;
  /** Overrides the client's `shopCipher`. */
  shopCipher?: string;
}

/** An order from `GET /order/202309/orders` (PROTOCOLS.md §3 names `payment.total_amount`/`currency`). */
export interface TikTokOrder {
  id: string;
  status?: string;
  payment: {
    /** A decimal string, e.g. `"12.34"`. */
    total_amount: string;
    currency: string;
    [field: string]: unknown;
  };
  /** Packages of the order (the Open API's `packages[].id`; not described in PROTOCOLS.md). */
  packages?: { id: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

export interface TikTokGetOrdersResult {
  orders: TikTokOrder[];
  [field: string]: unknown;
}

export interface TikTokShipPackageRequest {
  self_shipment: { tracking_number: string; shipping_provider_id: string };
}

/**
 * Body of `POST /fulfillment/202309/orders/{order_id}/packages`. PROTOCOLS.md names the endpoint only;
 * these are the Open API's documented fields, passed through as given.
 */
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
