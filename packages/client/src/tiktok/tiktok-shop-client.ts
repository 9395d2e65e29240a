import { signTikTokRequest, type TikTokQuery } from '@ttpay/core';
import {
  checkInteger,
  checkJsonValue,
  checkOneOf,
  checkPlainObject,
  checkString,
  invalid,
} from '../argument-checks.js';
import { allowListedOrigin, TIKTOK_API_ORIGINS, TIKTOK_AUTH_ORIGINS } from '../http/allow-list.js';
import { asObject, decodeResultCode, malformed } from '../http/decode.js';
import type { CallOptions, HttpOptions } from '../http/options.js';
import { retryOnResultCodes } from '../http/retry-policy.js';
import { createSender, type PlatformResponse, type Sender } from '../http/sender.js';
import type { JsonFields } from '../json-value.js';
import type {
  TikTokCallOptions,
  TikTokGetOrdersResult,
  TikTokMarkPackageAsShippedRequest,
  TikTokMarkPackageAsShippedResult,
  TikTokResult,
  TikTokShipPackageRequest,
  TikTokShippingProvidersResult,
  TikTokToken,
  TikTokUpdateShippingInfoRequest,
} from './types.js';

export interface TikTokShopClientOptions extends HttpOptions {
  appKey: string;
  /** Signs every API call and authenticates token grants; never sent except to the auth host. */
  appSecret: string;
  /** The shop's access token (header `x-tts-access-token`); may be given per call instead. */
  accessToken?: string;
  /** The shop's `shop_cipher`; may be given per call instead. */
  shopCipher?: string;
  /** Only `https://open-api.tiktokglobalshop.com` (the default). */
  baseUrl?: string;
  /** Only `https://auth.tiktok-shops.com` (the default). */
  authBaseUrl?: string;
  /** Milliseconds since the epoch, for the `timestamp` parameter; for tests. */
  now?: () => number;
}

export interface TikTokApiRequest {
  method: 'GET' | 'POST';
  /** e.g. `/order/202309/orders` — no host, no query. */
  path: string;
  /** Query parameters besides `app_key`, `timestamp`, `shop_cipher` and `sign` (added by the client). */
  query?: Record<string, string | number | undefined>;
  body?: JsonFields;
  /** Retry on 5xx/network errors. Default: true for GET, false for POST. */
  idempotent?: boolean;
}

// ttpay's own bound: ids are digit strings; this keeps them safe to place in a path unencoded, so the
// signed path is byte-for-byte the path sent.
const ID = { maxLength: 128, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'letters, digits, _ or -' };
const PATH = /^(\/[A-Za-z0-9_-]+)+$/;
const ADDED_BY_CLIENT = new Set(['app_key', 'timestamp', 'sign', 'shop_cipher', 'access_token']);
/**
 * `code` 36009003 "Internal error. Please try again" and 36009002 "Too many requests": repeated, with
 * backoff, on idempotent calls only — like HTTP 429 (docs/PROTOCOLS.md §3.4).
 */
const RETRY_LATER = retryOnResultCodes('code', new Set([36009002, 36009003]));

/**
 * TikTok Shop Open Platform API (docs/PROTOCOLS.md §3). Every call is signed over the exact bytes sent;
 * success is `code: 0` in the body, anything else a `TtpayApiError` with `code`, `message`, `request_id`.
 */
export class TikTokShopClient {
  readonly #appKey: string;
  readonly #appSecret: string;
  readonly #accessToken: string | undefined;
  readonly #shopCipher: string | undefined;
  readonly #origin: string;
  readonly #authOrigin: string;
  readonly #now: () => number;
  readonly #send: Sender;

  constructor(options: TikTokShopClientOptions) {
    checkPlainObject(options, 'options');
    this.#appKey = checkString(options.appKey, 'appKey');
    this.#appSecret = checkString(options.appSecret, 'appSecret');
    this.#accessToken = optional(options.accessToken, 'accessToken');
    this.#shopCipher = optional(options.shopCipher, 'shopCipher');
    this.#origin = allowListedOrigin(options.baseUrl, TIKTOK_API_ORIGINS, 'baseUrl');
    this.#authOrigin = allowListedOrigin(options.authBaseUrl, TIKTOK_AUTH_ORIGINS, 'authBaseUrl');
    this.#now = options.now ?? Date.now;
    this.#send = createSender('tiktok', options);
  }

  /** `GET /order/202309/orders?ids=…`. */
  async getOrders(ids: readonly string[], call?: TikTokCallOptions): Promise<TikTokGetOrdersResult> {
    if (!Array.isArray(ids) || ids.length === 0) throw invalid('ids must list at least one order id.');
    ids.forEach((id, i) => {
      checkString(id, `ids[${i}]`, ID);
    });
    const { data, res } = await this.#api(
      { method: 'GET', path: '/order/202309/orders', query: { ids: ids.join(',') } },
      call,
    );
    if (!Array.isArray(data.orders)) throw malformed(res, 'answered without orders');
    return data as TikTokGetOrdersResult;
  }

  /**
   * `POST /fulfillment/202309/packages/{package_id}/ship`: `self_shipment` (the seller's carrier and its
   * tracking number) or `handover_method` (TikTok shipping). Never retried.
   */
  async shipPackage(
    packageId: string,
    body: TikTokShipPackageRequest,
    call?: TikTokCallOptions,
  ): Promise<TikTokResult> {
    checkString(packageId, 'packageId', ID);
    checkPlainObject(body, 'body');
    if ('self_shipment' in body && body.self_shipment !== undefined) {
      const shipment = checkPlainObject(body.self_shipment, 'self_shipment');
      checkString(shipment.tracking_number, 'self_shipment.tracking_number');
      checkString(shipment.shipping_provider_id, 'self_shipment.shipping_provider_id');
    } else {
      const handover = body as { handover_method?: unknown; pickup_slot?: unknown };
      checkOneOf(handover.handover_method, 'handover_method (or self_shipment)', ['PICKUP', 'DROP_OFF']);
      if (handover.pickup_slot !== undefined) {
        const slot = checkPlainObject(handover.pickup_slot, 'pickup_slot');
        checkInteger(slot.start_time, 'pickup_slot.start_time (seconds)', 1, Number.MAX_SAFE_INTEGER);
        checkInteger(slot.end_time, 'pickup_slot.end_time (seconds)', 1, Number.MAX_SAFE_INTEGER);
      }
    }
    checkJsonValue(body, 'body');
    const path = `/fulfillment/202309/packages/${packageId}/ship`;
    return (await this.#api({ method: 'POST', path, body: { ...body } }, call)).data;
  }

  /**
   * `GET /logistics/202309/delivery_options/{delivery_option_id}/shipping_providers`: the carriers whose
   * ids `self_shipment.shipping_provider_id` may take for an order with that delivery option.
   */
  async getShippingProviders(
    deliveryOptionId: string,
    call?: TikTokCallOptions,
  ): Promise<TikTokShippingProvidersResult> {
    checkString(deliveryOptionId, 'deliveryOptionId', ID);
    const path = `/logistics/202309/delivery_options/${deliveryOptionId}/shipping_providers`;
    const { data, res } = await this.#api({ method: 'GET', path }, call);
    if (!Array.isArray(data.shipping_providers)) throw malformed(res, 'answered without shipping_providers');
    return data as TikTokShippingProvidersResult;
  }

  /**
   * `POST /fulfillment/202309/orders/{order_id}/packages` (Mark Package As Shipped): answers
   * `{order_id, order_line_item_ids, package_id, warning}`. Never retried.
   */
  async markPackageAsShipped(
    orderId: string,
    body: TikTokMarkPackageAsShippedRequest,
    call?: TikTokCallOptions,
  ): Promise<TikTokMarkPackageAsShippedResult> {
    checkString(orderId, 'orderId', ID);
    checkShipping(body);
    const path = `/fulfillment/202309/orders/${orderId}/packages`;
    const { data, res } = await this.#api({ method: 'POST', path, body: { ...body } }, call);
    if (typeof data.package_id !== 'string') throw malformed(res, 'answered without package_id');
    return data as TikTokMarkPackageAsShippedResult;
  }

  /** `POST /fulfillment/202309/orders/{order_id}/shipping_info/update`. Never retried. */
  async updateShippingInfo(
    orderId: string,
    body: TikTokUpdateShippingInfoRequest,
    call?: TikTokCallOptions,
  ): Promise<TikTokResult> {
    checkString(orderId, 'orderId', ID);
    checkShipping(body);
    const path = `/fulfillment/202309/orders/${orderId}/shipping_info/update`;
    return (await this.#api({ method: 'POST', path, body: { ...body } }, call)).data;
  }

  /** Any signed Open API call; returns `data`. */
  async request(r: TikTokApiRequest, call?: TikTokCallOptions): Promise<TikTokResult> {
    checkPlainObject(r, 'request');
    if (r.method !== 'GET' && r.method !== 'POST') throw invalid('method must be GET or POST.');
    if (typeof r.path !== 'string' || !PATH.test(r.path)) {
      throw invalid('path must be like /order/202309/orders: no host, no query, no dot segments.');
    }
    for (const key of Object.keys(r.query ?? {})) {
      if (ADDED_BY_CLIENT.has(key)) throw invalid(`query.${key} is added by the client: leave it out.`);
    }
    if (r.body !== undefined) checkJsonValue(r.body, 'body');
    return (await this.#api(r, call)).data;
  }

  /** Exchanges an authorization code (`GET /api/v2/token/get` on the auth host, unsigned). Never retried. */
  async getAccessToken(authCode: string, call?: CallOptions): Promise<TikTokToken> {
    checkString(authCode, 'authCode');
    return this.#token('/api/v2/token/get', { auth_code: authCode, grant_type: 'authorized_code' }, call);
  }

  /** `GET /api/v2/token/refresh` on the auth host (unsigned). Never retried. */
  async refreshAccessToken(refreshToken: string, call?: CallOptions): Promise<TikTokToken> {
    checkString(refreshToken, 'refreshToken');
    return this.#token(
      '/api/v2/token/refresh',
      { refresh_token: refreshToken, grant_type: 'refresh_token' },
      call,
    );
  }

  async #api(
    r: TikTokApiRequest,
    call: TikTokCallOptions | undefined,
  ): Promise<{ data: TikTokResult; res: PlatformResponse }> {
    const accessToken = call?.accessToken ?? this.#accessToken;
    if (accessToken === undefined || accessToken === '') {
      throw invalid('accessToken is required: pass it to the client or to the call.');
    }
    const shopCipher = call?.shopCipher ?? this.#shopCipher;
    const query: TikTokQuery = {
      ...r.query,
      app_key: this.#appKey,
      timestamp: Math.floor(this.#now() / 1000),
      ...(shopCipher === undefined ? {} : { shop_cipher: shopCipher }),
    };
    // Serialise once, sign that string, send that string (docs/PROTOCOLS.md §3).
    const body = r.body === undefined ? undefined : JSON.stringify(r.body);
    const sign = signTikTokRequest(
      { path: r.path, query, ...(body === undefined ? {} : { body }) },
      this.#appSecret,
    );
    const res = await this.#send({
      method: r.method,
      origin: this.#origin,
      path: `${r.path}?${queryString({ ...query, sign })}`,
      headers: {
        'x-tts-access-token': accessToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
      idempotent: r.idempotent ?? r.method === 'GET',
      retryableAnswer: RETRY_LATER,
      call,
    });
    const decoded = decodeResultCode(res, { code: 'code', message: 'message', requestId: 'request_id' });
    return { data: asObject(decoded.data) ?? {}, res };
  }

  async #token(
    path: string,
    grant: Record<string, string>,
    call: CallOptions | undefined,
  ): Promise<TikTokToken> {
    // docs/PROTOCOLS.md gives the auth host's paths only; the parameters are the Open Platform's documented
    // ones (app_key, app_secret, auth_code|refresh_token, grant_type). Not retried: an auth code is
    // single-use, and a refresh may rotate the refresh token.
    const query = { app_key: this.#appKey, app_secret: this.#appSecret, ...grant };
    const res = await this.#send({
      method: 'GET',
      origin: this.#authOrigin,
      path: `${path}?${queryString(query)}`,
      idempotent: false,
      call,
    });
    const decoded = decodeResultCode(res, { code: 'code', message: 'message', requestId: 'request_id' });
    const data = asObject(decoded.data);
    if (typeof data?.access_token !== 'string' || data.access_token === '') {
      throw malformed(res, 'answered without access_token');
    }
    return data as TikTokToken;
  }
}

function queryString(query: TikTokQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  return params.toString();
}

function checkShipping(body: { tracking_number: string; shipping_provider_id: string }): void {
  checkPlainObject(body, 'body');
  checkJsonValue(body, 'body');
  checkString(body.tracking_number, 'tracking_number');
  checkString(body.shipping_provider_id, 'shipping_provider_id');
}

function optional(value: string | undefined, name: string): string | undefined {
  return value === undefined ? undefined : checkString(value, name);
}
