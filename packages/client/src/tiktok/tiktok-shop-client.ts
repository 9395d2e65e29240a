import { signTikTokRequest } from '@ttpay/core';
import { nonNegativeSeconds, type TikTokQuery } from '@ttpay/core/internal';
import { isTtpayApiError } from '../api-error.js';
import {
  checkInteger,
  checkJsonValue,
  checkOneOf,
  checkPlainObject,
  checkString,
  invalid,
} from '../argument-checks.js';
import { TtpayClientError } from '../client-error.js';
import { allowListedOrigin, TIKTOK_API_ORIGINS, TIKTOK_AUTH_ORIGINS } from '../http/allow-list.js';
import { asObject, decodeResultCode, malformed } from '../http/decode.js';
import type { CallOptions, HttpOptions } from '../http/options.js';
import { retryOnResultCodes } from '../http/retry-policy.js';
import { createSender, type PlatformResponse, type Sender } from '../http/sender.js';
import type { JsonFields } from '../json-value.js';
import { ShopToken } from './shop-token.js';
import type * as TikTok from './types.js';
import type {
  TikTokAuthorizedShopsResult,
  TikTokCallOptions,
  TikTokDecisionOptions,
  TikTokGetOrdersResult,
  TikTokMarkPackageAsShippedRequest,
  TikTokMarkPackageAsShippedResult,
  TikTokOrder,
  TikTokPage,
  TikTokRejectCancellationRequest,
  TikTokResult,
  TikTokSearchCancellationsRequest,
  TikTokSearchCancellationsResult,
  TikTokSearchOrdersRequest,
  TikTokSearchOrdersResult,
  TikTokShipPackageRequest,
  TikTokShippingProvidersResult,
  TikTokToken,
  TikTokUpdateShippingInfoRequest,
} from './types.js';

export interface TikTokShopClientOptions extends HttpOptions {
  appKey: string;
  /** Signs every API call and authenticates token grants; never sent except to the auth host. */
  appSecret: string;
  /**
   * A fixed access token (header `x-tts-access-token`) that you refresh yourself; may be given per call
   * instead. Or give `token` and let the client keep it fresh.
   */
  accessToken?: string;
  /**
   * The shop's token grant — what `getAccessToken`/`refreshAccessToken` answered, or your stored copy; it
   * must have `refresh_token`. The client sends its access token, refreshes it
   * `tokenRefreshMarginSeconds` before `access_token_expire_in` (`GET /api/v2/token/refresh`), and when the
   * platform answers 105002 ("Expired credentials") refreshes and sends that call once more — a request
   * refused for its token was not processed, so resending it is safe (docs/PROTOCOLS.md §3.5).
   */
  token?: TikTokToken;
  /** Called with every refreshed grant: persist it (the refresh token may change with it). */
  onTokenRefresh?: (grant: TikTokToken) => unknown;
  /** Default 86 400 (a day) of the access token's 7. */
  tokenRefreshMarginSeconds?: number;
  /** The shop's `shop_cipher`; may be given per call instead. */
  shopCipher?: string;
  /**
   * With no `shopCipher`: the shop (`id`, as webhooks' `shop_id` name it) whose cipher the client takes
   * from Get Authorized Shops on first use, instead of a cipher copied by hand (docs/PROTOCOLS.md §3.5).
   */
  shopId?: string;
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
  /** Send `shop_cipher` (shop-scoped APIs). Default true; false for app-level APIs such as Get Authorized Shops. */
  shopScoped?: boolean;
}

// ttpay's own bound: ids are digit strings; this keeps them safe to place in a path unencoded, so the
// signed path is byte-for-byte the path sent.
const ID = { maxLength: 128, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'letters, digits, _ or -' };
const PATH = /^(\/[A-Za-z0-9_-]+)+$/;
const ADDED_BY_CLIENT = new Set(['app_key', 'timestamp', 'sign', 'shop_cipher', 'access_token']);
/**
 * Codes that say "try again" (docs/PROTOCOLS.md §3.4): 36009002 "Too many requests", 36009003 "Internal
 * error. Please try again", 36009007 "Request timeout … Please try again" (common errors), and Get Order
 * Detail's 10002014, 10002015, 10037002, 10037003, 10037004 "Failed to get orders, If multiple retry have
 * failed…". Repeated, with backoff, on reads only (GETs and the searches) — like HTTP 429.
 */
const RETRY_LATER = retryOnResultCodes(
  'code',
  new Set([36009002, 36009003, 36009007, 10002014, 10002015, 10037002, 10037003, 10037004]),
);
/** "Expired credentials. The access_token or x-tts-access-token header has expired." */
const EXPIRED_TOKEN = 105002;
const DEFAULT_TOKEN_REFRESH_MARGIN_SECONDS = 86_400;
const DEFAULT_PAGE_SIZE = 50;
/** A bound on one search walk: 1 000 pages of up to 100. */
const MAX_PAGES = 1000;

/**
 * TikTok Shop Open Platform API (docs/PROTOCOLS.md §3). Every call is signed over the exact bytes sent;
 * success is `code: 0` in the body, anything else a `TtpayApiError` with `code`, `message`, `request_id`.
 */
export class TikTokShopClient {
  readonly #appKey: string;
  readonly #appSecret: string;
  readonly #accessToken: string | undefined;
  readonly #token: ShopToken | undefined;
  #shopCipher: string | undefined;
  readonly #shopId: string | undefined;
  #resolvingCipher: Promise<string> | undefined;
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
    this.#shopId = optional(options.shopId, 'shopId');
    this.#origin = allowListedOrigin(options.baseUrl, TIKTOK_API_ORIGINS, 'baseUrl');
    this.#authOrigin = allowListedOrigin(options.authBaseUrl, TIKTOK_AUTH_ORIGINS, 'authBaseUrl');
    this.#now = options.now ?? Date.now;
    this.#send = createSender('tiktok', options);
    if (options.token !== undefined) {
      if (this.#accessToken !== undefined) throw invalid('Give accessToken or token, not both.');
      const grant = checkPlainObject(options.token, 'token');
      checkString(grant.access_token, 'token.access_token');
      checkString(grant.refresh_token, 'token.refresh_token (the client refreshes with it)');
      if (grant.access_token_expire_in !== undefined) {
        checkInteger(grant.access_token_expire_in, 'token.access_token_expire_in (Unix seconds)', 0, 1e12);
      }
      if (options.onTokenRefresh !== undefined && typeof options.onTokenRefresh !== 'function') {
        throw invalid('onTokenRefresh must be a function.');
      }
      this.#token = new ShopToken(
        { ...(grant as TikTokToken) },
        (refreshToken, signal) => this.refreshAccessToken(refreshToken, signal ? { signal } : {}),
        {
          refreshMarginSeconds: nonNegativeSeconds(
            options.tokenRefreshMarginSeconds ?? DEFAULT_TOKEN_REFRESH_MARGIN_SECONDS,
            'tokenRefreshMarginSeconds',
          ),
          onRefresh: options.onTokenRefresh,
          now: this.#now,
        },
      );
    }
  }

  /** The grant the client holds now (with `token`): what to persist, e.g. after a type-7 webhook. */
  currentToken(): TikTokToken | undefined {
    return this.#token?.current();
  }

  /**
   * Refreshes the held grant now (with `token`), whatever its expiry — e.g. on the type-7 "authorization
   * expiring" webhook. A refresh does not extend the seller's authorization (`refresh_token_expire_in`):
   * only the seller re-authorizing does (docs/PROTOCOLS.md §3.5).
   */
  async refreshToken(call?: CallOptions): Promise<TikTokToken> {
    if (this.#token === undefined) throw invalid('refreshToken() needs the client built with token.');
    await this.#token.replace(this.#token.current().access_token, call?.signal);
    return this.#token.current();
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
   * `POST /order/202309/orders/search` (Search Orders): one page of the orders matching `filter` — e.g.
   * `{update_time_ge, update_time_lt}` to find the orders whose webhooks were missed (docs/PROTOCOLS.md §3.6).
   * A read: retried like a GET.
   */
  async searchOrders(
    filter: TikTokSearchOrdersRequest = {},
    page: TikTokPage = {},
    call?: TikTokCallOptions,
  ): Promise<TikTokSearchOrdersResult> {
    const body = checkSearchBody(filter);
    const query = pageQuery(page, 100);
    const { data, res } = await this.#api(
      { method: 'POST', path: '/order/202309/orders/search', query, body, idempotent: true },
      call,
    );
    if (!Array.isArray(data.orders)) throw malformed(res, 'answered without orders');
    return data as TikTokSearchOrdersResult;
  }

  /**
   * Every order matching `filter`, page after page (`next_page_token`), sorted by `update_time` ascending
   * unless `page` says otherwise.
   */
  async *searchAllOrders(
    filter: TikTokSearchOrdersRequest = {},
    page: Omit<TikTokPage, 'page_token'> = {},
    call?: TikTokCallOptions,
  ): AsyncGenerator<TikTokOrder, void, undefined> {
    const first: TikTokPage = { sort_field: 'update_time', sort_order: 'ASC', ...page };
    yield* walkPages(
      (page_token) => this.searchOrders(filter, { ...first, ...(page_token ? { page_token } : {}) }, call),
      (result) => result.orders,
      '/order/202309/orders/search',
    );
  }

  /** `GET /authorization/202309/shops` (Get Authorized Shops): the shops this token may act for, with their `cipher`. */
  async getAuthorizedShops(call?: TikTokCallOptions): Promise<TikTokAuthorizedShopsResult> {
    const { data, res } = await this.#api(
      { method: 'GET', path: '/authorization/202309/shops', shopScoped: false },
      call,
    );
    if (!Array.isArray(data.shops)) throw malformed(res, 'answered without shops');
    return data as TikTokAuthorizedShopsResult;
  }

  /**
   * `POST /return_refund/202309/cancellations/search` (Search Cancellations): one page — e.g.
   * `{cancel_status: ['CANCELLATION_REQUEST_PENDING']}` for the requests waiting on the seller. A read.
   */
  async searchCancellations(
    filter: TikTokSearchCancellationsRequest = {},
    page: TikTokPage = {},
    call?: TikTokCallOptions,
  ): Promise<TikTokSearchCancellationsResult> {
    const body = checkSearchBody(filter);
    const query = pageQuery(page, 50);
    const { data, res } = await this.#api(
      { method: 'POST', path: '/return_refund/202309/cancellations/search', query, body, idempotent: true },
      call,
    );
    if (!Array.isArray(data.cancellations)) throw malformed(res, 'answered without cancellations');
    return data as TikTokSearchCancellationsResult;
  }

  /**
   * `POST /return_refund/202309/cancellations/{cancel_id}/approve`: approves a buyer's cancellation
   * request. A write: never retried by the client; pass `idempotencyKey` so that your own retry cannot
   * decide twice (docs/PROTOCOLS.md §3.7).
   */
  async approveCancellation(cancelId: string, call?: TikTokDecisionOptions): Promise<TikTokResult> {
    checkString(cancelId, 'cancelId', ID);
    const path = `/return_refund/202309/cancellations/${cancelId}/approve`;
    return (await this.#api({ method: 'POST', path, query: idempotencyQuery(call), body: {} }, call)).data;
  }

  /**
   * `POST /return_refund/202309/cancellations/{cancel_id}/reject` with a `reject_reason` from TikTok's
   * cancel-reason list. A write: never retried by the client; pass `idempotencyKey`.
   */
  async rejectCancellation(
    cancelId: string,
    body: TikTokRejectCancellationRequest,
    call?: TikTokDecisionOptions,
  ): Promise<TikTokResult> {
    checkString(cancelId, 'cancelId', ID);
    checkPlainObject(body, 'body');
    checkString(body.reject_reason, 'reject_reason', { maxLength: 200 });
    if (body.comment !== undefined) checkString(body.comment, 'comment', { maxLength: 2000 });
    checkJsonValue(body, 'body');
    const path = `/return_refund/202309/cancellations/${cancelId}/reject`;
    return (await this.#api({ method: 'POST', path, query: idempotencyQuery(call), body: { ...body } }, call))
      .data;
  }

  /**
   * `POST /fulfillment/202309/packages/{package_id}/ship`: `self_shipment` (the seller's carrier and its
   * tracking number), or for TikTok shipping an optional `handover_method` (`{}` is valid). Never retried.
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
      // TikTok shipping: handover_method is optional (and unused for SEA local sellers, §3.3).
      const handover = body as { handover_method?: unknown; pickup_slot?: unknown };
      if (handover.handover_method !== undefined) {
        checkOneOf(handover.handover_method, 'handover_method', ['PICKUP', 'DROP_OFF']);
      }
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
    if (r.shopScoped !== undefined && typeof r.shopScoped !== 'boolean')
      throw invalid('shopScoped must be a boolean.');
    return (await this.#api(r, call)).data;
  }

  /** Exchanges an authorization code (`GET /api/v2/token/get` on the auth host, unsigned). Never retried. */
  async getAccessToken(authCode: string, call?: CallOptions): Promise<TikTokToken> {
    checkString(authCode, 'authCode');
    return this.#grantToken(
      '/api/v2/token/get',
      { auth_code: authCode, grant_type: 'authorized_code' },
      call,
    );
  }

  /** `GET /api/v2/token/refresh` on the auth host (unsigned). Never retried. */
  async refreshAccessToken(refreshToken: string, call?: CallOptions): Promise<TikTokToken> {
    checkString(refreshToken, 'refreshToken');
    return this.#grantToken(
      '/api/v2/token/refresh',
      { refresh_token: refreshToken, grant_type: 'refresh_token' },
      call,
    );
  }

  async #api(
    r: TikTokApiRequest,
    call: TikTokCallOptions | undefined,
  ): Promise<{ data: TikTokResult; res: PlatformResponse }> {
    const signal = call?.signal;
    const managed = call?.accessToken === undefined ? this.#token : undefined;
    const accessToken = call?.accessToken ?? (managed ? await managed.get(signal) : this.#accessToken);
    if (accessToken === undefined || accessToken === '') {
      throw invalid('accessToken is required: pass it (or token) to the client, or accessToken to the call.');
    }
    const shopCipher = r.shopScoped === false ? undefined : await this.#cipherFor(call);
    try {
      return await this.#signedCall(r, call, accessToken, shopCipher);
    } catch (error) {
      // 105002: the token expired under us (another instance refreshed it, or the clock). Refreshed and sent
      // once more; a request refused for its token was not processed (docs/PROTOCOLS.md §3.5).
      if (!managed || !isTtpayApiError(error) || error.platformCode !== EXPIRED_TOKEN) throw error;
      const fresh = await managed.replace(accessToken, signal);
      return this.#signedCall(r, call, fresh, shopCipher);
    }
  }

  async #signedCall(
    r: TikTokApiRequest,
    call: TikTokCallOptions | undefined,
    accessToken: string,
    shopCipher: string | undefined,
  ): Promise<{ data: TikTokResult; res: PlatformResponse }> {
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

  /** The call's cipher, the client's, or — with `shopId` only — the one Get Authorized Shops gives (once). */
  async #cipherFor(call: TikTokCallOptions | undefined): Promise<string | undefined> {
    const given = call?.shopCipher ?? this.#shopCipher;
    if (given !== undefined || this.#shopId === undefined) return given;
    this.#resolvingCipher ??= this.#resolveCipher(this.#shopId).finally(() => {
      this.#resolvingCipher = undefined;
    });
    return this.#resolvingCipher;
  }

  async #resolveCipher(shopId: string): Promise<string> {
    const { shops } = await this.getAuthorizedShops();
    const shop = shops.find((s) => s?.id === shopId);
    if (typeof shop?.cipher !== 'string' || shop.cipher === '') {
      throw new TtpayClientError(
        'MALFORMED_RESPONSE',
        `Get Authorized Shops does not list shop ${shopId} with a cipher: check shopId, or that the seller authorized this app for it.`,
      );
    }
    this.#shopCipher = shop.cipher;
    return shop.cipher;
  }

  async #grantToken(
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

/** The search body: a plain JSON object (the platform's field names, passed as given). */
function checkSearchBody(filter: object): JsonFields {
  checkPlainObject(filter, 'filter');
  checkJsonValue(filter, 'filter');
  return { ...(filter as JsonFields) };
}

function pageQuery(page: TikTokPage, maxSize: number): Record<string, string | number | undefined> {
  checkPlainObject(page, 'page');
  const size = page.page_size ?? DEFAULT_PAGE_SIZE;
  checkInteger(size, 'page.page_size', 1, maxSize);
  if (page.page_token !== undefined) checkString(page.page_token, 'page.page_token', { maxLength: 2048 });
  if (page.sort_field !== undefined)
    checkOneOf(page.sort_field, 'page.sort_field', ['create_time', 'update_time']);
  if (page.sort_order !== undefined) checkOneOf(page.sort_order, 'page.sort_order', ['ASC', 'DESC']);
  return {
    page_size: Math.min(size, maxSize),
    page_token: page.page_token,
    sort_field: page.sort_field,
    sort_order: page.sort_order,
  };
}

function idempotencyQuery(call: TikTokDecisionOptions | undefined): Record<string, string> {
  const key = call?.idempotencyKey;
  if (key === undefined) return {};
  return { idempotency_key: checkString(key, 'idempotencyKey', { maxLength: 255 }) };
}

/** Pages until `next_page_token` is empty; a token that comes back twice is the platform's bug, not a loop. */
async function* walkPages<P extends { next_page_token?: string }, T>(
  fetchPage: (pageToken: string | undefined) => Promise<P>,
  items: (page: P) => T[],
  path: string,
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await fetchPage(token);
    yield* items(page);
    const next = page.next_page_token;
    if (typeof next !== 'string' || next === '') return;
    if (seen.has(next)) {
      throw new TtpayClientError(
        'MALFORMED_RESPONSE',
        `POST ${path} answered a page token it had answered before.`,
      );
    }
    seen.add(next);
    token = next;
  }
  throw new TtpayClientError(
    'MALFORMED_RESPONSE',
    `POST ${path} still had pages after ${MAX_PAGES}: narrow the filter.`,
  );
}

/**
 * The types of `TikTokShopClient`'s options, requests and answers, by what they are to this client:
 * `TikTokShopClient.Order`, `TikTokShopClient.Token`, … (the field names are the platform's).
 */
export declare namespace TikTokShopClient {
  export type Options = TikTokShopClientOptions;
  export type CallOptions = TikTokCallOptions;
  export type DecisionOptions = TikTokDecisionOptions;
  // getAccessToken, refreshAccessToken, refreshToken, currentToken
  export type Token = TikTokToken;
  // getOrders, searchOrders, searchAllOrders
  export type Order = TikTokOrder;
  export type OrderStatus = TikTok.TikTokOrderStatus;
  export type GetOrdersResult = TikTokGetOrdersResult;
  export type SearchOrdersRequest = TikTokSearchOrdersRequest;
  export type Page = TikTokPage;
  export type SearchOrdersResult = TikTokSearchOrdersResult;
  // getAuthorizedShops
  export type AuthorizedShop = TikTok.TikTokAuthorizedShop;
  export type AuthorizedShopsResult = TikTokAuthorizedShopsResult;
  // searchCancellations, approveCancellation, rejectCancellation
  export type SearchCancellationsRequest = TikTokSearchCancellationsRequest;
  export type SearchCancellationsResult = TikTokSearchCancellationsResult;
  export type Cancellation = TikTok.TikTokCancellation;
  export type CancelStatus = TikTok.TikTokCancelStatus;
  export type RejectCancellationRequest = TikTokRejectCancellationRequest;
  // shipPackage, getShippingProviders, markPackageAsShipped, updateShippingInfo
  export type ShipPackageRequest = TikTokShipPackageRequest;
  export type ShippingProvidersResult = TikTokShippingProvidersResult;
  export type MarkPackageAsShippedRequest = TikTokMarkPackageAsShippedRequest;
  export type MarkPackageAsShippedResult = TikTokMarkPackageAsShippedResult;
  export type UpdateShippingInfoRequest = TikTokUpdateShippingInfoRequest;
  // request: any other Open API path.
  export type ApiRequest = TikTokApiRequest;
  export type Result = TikTokResult;
}
