import { randomBytes } from 'node:crypto';

/**
 * TikTok Shop result codes the simulator answers, always with HTTP 200 and `{code, message, request_id,
 * data}`; success only when `code: 0`. Each has the platform's documented meaning (Partner Center "Common
 * errors" and the endpoints' own error tables, docs/PROTOCOLS.md §3.4, §5.4) — the simulator never reuses
 * a real number for something else. Clients must treat any non-zero code as failure.
 */
export const TIKTOK_CODE = {
  OK: 0,
  /** `sign` missing or not the HMAC of the path, query and exact body received. */
  INVALID_SIGN: 106001,
  /** Invalid credentials: bad `app_key`, unknown `x-tts-access-token`, or `timestamp` out of window. */
  INVALID_CREDENTIALS: 36009004,
  /** `x-tts-access-token` expired (refresh it). */
  EXPIRED_ACCESS_TOKEN: 105002,
  /** `shop_cipher` missing on a shop-scoped API. */
  MISSING_SHOP_CIPHER: 106013,
  /** The token's shop does not match `shop_cipher`. */
  WRONG_SHOP_CIPHER: 101000,
  /** Internal error: retry (sent only by a fault rule). */
  INTERNAL_ERROR: 36009003,
  /** Too many requests (the body code; the rate limiter answers HTTP 429). */
  TOO_MANY_REQUESTS: 36009002,
  /** Fulfillment: invalid parameters. */
  FULFILLMENT_INVALID_PARAMS: 21001001,
  /** Order detail: the order or package does not belong to the current seller. */
  NOT_THIS_SELLERS: 21008111,
  /** Ship package: "This tracking number cannot be matched to any carrier". */
  TRACKING_NUMBER_NO_CARRIER: 11028006,
  /** Ship package: "Invalid tracking number or provider ID". */
  INVALID_TRACKING_OR_PROVIDER: 21011022,
  /** Ship package: "Package not found" (Batch Ship Packages' table). */
  PACKAGE_NOT_FOUND: 21011001,
  /** "Seller cannot operate orders which are fulfilled by platform". */
  FULFILLED_BY_PLATFORM: 21008025,
  /** Ship package: "Package has already been shipped". */
  PACKAGE_ALREADY_SHIPPED: 21011040,
  /** Ship package: "Cannot complete the operation when order is cancelled". */
  ORDER_CANCELLED: 21011041,
  /** Mark package as shipped / create packages: "These orders are already shipped". */
  ORDERS_ALREADY_SHIPPED: 21011006,
  /** Get shipping providers: the delivery option is fulfilled by TikTok; no providers. */
  DELIVERY_BY_TIKTOK: 21008117,
  /** Approve Cancellation: "reverse status cannot approve application". */
  CANNOT_APPROVE: 25011012,
  /** Reject Cancellation: "reverse status cannot reject application". */
  CANNOT_REJECT: 25011011,
  /** Return and refund: "An invalid request parameter was passed." */
  REVERSE_INVALID_PARAMS: 25001001,
  /** Return and refund: "Order not found." (used for an unknown cancel_id) */
  REVERSE_NOT_FOUND: 25007006,
  /**
   * Simulator's own (the Order API's parameter-error code is not in any table read): a Search Orders
   * request with a bad page_size, page_token or filter. Outside TikTok's documented ranges.
   */
  ORDER_INVALID_PARAMS: 99_000_002,
  /**
   * Simulator's own (no public number found): /api/v2/token/* credentials, auth_code or refresh_token
   * rejected. Outside TikTok's documented ranges.
   */
  INVALID_GRANT: 99_000_001,
} as const;

export interface TikTokReply {
  code: number;
  message: string;
  request_id: string;
  data: unknown;
}

export function tiktokReply(code: number, message: string, data: unknown = {}): TikTokReply {
  return { code, message, request_id: randomBytes(16).toString('hex').toUpperCase(), data };
}
