import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { buildByteAuthorization, type KeyLike, toPrivateKey } from '@ttpay/core';
import { checkInteger, checkJsonValue, checkPlainObject, checkString, invalid } from '../argument-checks.js';
import { TtpayClientError } from '../client-error.js';
import { allowListedOrigin, TRADE_ORIGINS } from '../http/allow-list.js';
import { asObject, decodeResultCode, malformed } from '../http/decode.js';
import type * as Http from '../http/options.js';
import type { CallOptions, HttpOptions } from '../http/options.js';
import { retryOnResultCodes } from '../http/retry-policy.js';
import { createSender, type PlatformResponse, type Sender } from '../http/sender.js';
import type * as Settle from '../settle/settleable-amount.js';
import { checkSplitWithin, type SettleCallOptions } from '../settle/settleable-amount.js';
import { ClientTokenCache } from './client-token-cache.js';
import { checkTradeOrderData } from './request-order-checks.js';
import { isTokenRateLimited, isTokenRejection } from './token-rejection.js';
import {
  checkOrderQuery,
  checkRefundAudit,
  checkRefundCreate,
  checkRefundQuery,
  checkSettleCreate,
  checkSettleQuery,
} from './trade-request-checks.js';
import type * as Trade from './types.js';
import type {
  RequestOrderParams,
  TradeApi,
  TradeFields,
  TradeOrderData,
  TradeOrderQueryRequest,
  TradeOrderQueryResult,
  TradeQueryCpsRequest,
  TradeQueryCpsResult,
  TradeRefundAuditRequest,
  TradeRefundCreateRequest,
  TradeRefundCreateResult,
  TradeRefundQueryRequest,
  TradeRefundQueryResult,
  TradeSettleCreateRequest,
  TradeSettleCreateResult,
  TradeSettleQueryRequest,
  TradeSettleQueryResult,
} from './types.js';

export interface DouyinTradeClientOptions extends HttpOptions {
  /**
   * The mini-program's app id (the token endpoints' `client_key`). Never use the production app id and
   * secret from a staging or test environment once live: a token fetched there pushes out production's
   * ("测试环境不能使用正式的client_key…否则会导致线上正式环境的token失效", docs/PROTOCOLS.md §5.2).
   */
  appId: string;
  /** The app secret, for the token endpoint (the server APIs' `access-token`). */
  appSecret: string;
  /** The developer's RSA-2048 private key whose public half was uploaded. */
  privateKey: KeyLike;
  /** The `key_version` the console gave the uploaded public key. */
  keyVersion: string | number;
  /** Only `https://open.douyin.com` (the default). */
  baseUrl?: string;
  /** Refresh the client token this long before it expires. Default 300 s. */
  tokenRefreshMarginSeconds?: number;
  /**
   * Where the client token comes from. Default `'stable_client_token'`: `/oauth/stable_client_token/`
   * answers the same token while it is valid, so several instances (or processes) share one instead of
   * pushing each other's out. `'client_token'`: `/oauth/client_token/`, where every fetch makes a new token
   * and leaves the previous one 5 more minutes (docs/PROTOCOLS.md §5.2).
   */
  tokenEndpoint?: 'stable_client_token' | 'client_token';
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

export interface TradeRequestOrderOptions {
  /** Seconds; default now. */
  timestamp?: number;
  /** Default 32 random hex characters. */
  nonce?: string;
}

const API_PATH = '/api/trade_basic/v1/developer/';
const TOKEN_PATHS = {
  stable_client_token: '/oauth/stable_client_token/',
  client_token: '/oauth/client_token/',
} as const;
const QUERIES: ReadonlySet<TradeApi> = new Set(['order_query', 'refund_query', 'settle_query', 'query_cps']);
const APIS: ReadonlySet<string> = new Set<TradeApi>([
  ...QUERIES,
  'refund_create',
  'refund_audit_callback',
  'settle_create',
]);
/** err_no 13000/23000: "原参重新请求" — repeated on queries only (docs/PROTOCOLS.md §5.3). */
const RETRY_SAME_PARAMETERS = retryOnResultCodes('err_no', new Set([13000, 23000]));

/**
 * The Douyin trade system (docs/PROTOCOLS.md §2): signs `tt.requestOrder` data, and calls the developer
 * server APIs — typed per endpoint — with a cached client token.
 */
export class DouyinTradeClient {
  readonly #appId: string;
  readonly #appSecret: string;
  readonly #privateKey: KeyObject;
  readonly #keyVersion: string;
  readonly #origin: string;
  readonly #now: () => number;
  readonly #send: Sender;
  readonly #token: ClientTokenCache;
  readonly #tokenPath: string;

  constructor(options: DouyinTradeClientOptions) {
    checkPlainObject(options, 'options');
    this.#appId = checkString(options.appId, 'appId');
    this.#appSecret = checkString(options.appSecret, 'appSecret');
    this.#privateKey = toPrivateKey(options.privateKey); // parse once; throws INVALID_KEY early
    this.#keyVersion = checkString(String(options.keyVersion ?? ''), 'keyVersion');
    this.#origin = allowListedOrigin(options.baseUrl, TRADE_ORIGINS, 'baseUrl');
    this.#now = options.now ?? Date.now;
    this.#send = createSender('douyin-trade', options);
    const endpoint = options.tokenEndpoint ?? 'stable_client_token';
    if (endpoint !== 'stable_client_token' && endpoint !== 'client_token') {
      throw invalid('tokenEndpoint must be "stable_client_token" or "client_token".');
    }
    this.#tokenPath = TOKEN_PATHS[endpoint];
    this.#token = new ClientTokenCache(() => this.#fetchClientToken(), {
      isRateLimited: isTokenRateLimited,
      refreshMarginSeconds: checkInteger(
        options.tokenRefreshMarginSeconds ?? 300,
        'tokenRefreshMarginSeconds',
        0,
        86_400,
      ),
      now: this.#now,
    });
  }

  /**
   * `{data, byteAuthorization}` for `tt.requestOrder`: `data` is the order serialised once, and the
   * signature covers `POST\n/requestOrder\n<ts>\n<nonce>\n<data>\n` (docs/PROTOCOLS.md §2). Pure: no request.
   */
  requestOrderData(order: TradeOrderData, options: TradeRequestOrderOptions = {}): RequestOrderParams {
    checkTradeOrderData(order);
    const timestamp = options.timestamp ?? Math.floor(this.#now() / 1000);
    checkInteger(timestamp, 'timestamp (seconds)', 1, Number.MAX_SAFE_INTEGER);
    const nonce = options.nonce ?? randomBytes(16).toString('hex');
    checkString(nonce, 'nonce', {
      maxLength: 64,
      pattern: /^[A-Za-z0-9_-]+$/,
      patternText: 'letters, digits, _ or -',
    });
    const data = JSON.stringify(order);
    const byteAuthorization = buildByteAuthorization(
      {
        method: 'POST',
        uri: '/requestOrder',
        timestamp,
        nonce,
        body: data,
        appId: this.#appId,
        keyVersion: this.#keyVersion,
      },
      this.#privateKey,
    );
    return { data, byteAuthorization };
  }

  /** The cached client token (`clt.…`), fetched when missing or about to expire; single-flight. */
  async clientToken(call?: CallOptions): Promise<string> {
    try {
      return await this.#token.get(call?.signal);
    } catch (error) {
      // The shared fetch goes on for the other callers; this caller stopped waiting.
      if (error instanceof TtpayClientError || !call?.signal?.aborted) throw error;
      const request = {
        platform: 'douyin-trade',
        method: 'POST',
        host: new URL(this.#origin).host,
        path: this.#tokenPath,
      } as const;
      throw new TtpayClientError(
        'ABORTED',
        'Waiting for the Douyin client token was aborted by the caller.',
        { request },
      );
    }
  }

  /** Forget the cached client token (e.g. after the platform said it is invalid). */
  clearClientToken(): void {
    this.#token.clear();
  }

  /** `order_query/` by `order_id` or `out_order_no`. Retried like every query. */
  async orderQuery(r: TradeOrderQueryRequest, call?: CallOptions): Promise<TradeOrderQueryResult> {
    const { data, res } = await this.#call('order_query', checkOrderQuery(r), call);
    const order = asObject(data);
    if (order === undefined || !Array.isArray(order.item_order_list)) {
      throw malformed(res, 'answered without data.item_order_list');
    }
    return order as TradeOrderQueryResult;
  }

  /**
   * `refund_create/` — `order_id` (the platform's), `out_refund_no`, `refund_total_amount`,
   * `refund_reason[]`, `order_entry_schema`, and `item_order_detail[]` or `refund_all`. Never retried:
   * after a lost answer, `refundQuery({ out_refund_no })` tells whether it exists.
   */
  async refundCreate(r: TradeRefundCreateRequest, call?: CallOptions): Promise<TradeRefundCreateResult> {
    const { data, res } = await this.#call('refund_create', checkRefundCreate(r), call);
    const created = asObject(data);
    if (typeof created?.refund_id !== 'string' || created.refund_id === '') {
      throw malformed(res, 'answered without data.refund_id');
    }
    return created as TradeRefundCreateResult;
  }

  /** `refund_query/`: answers `data.refund_list[]`, a list even for one refund. */
  async refundQuery(r: TradeRefundQueryRequest, call?: CallOptions): Promise<TradeRefundQueryResult> {
    const { data, res } = await this.#call('refund_query', checkRefundQuery(r), call);
    const result = asObject(data);
    if (result === undefined || !Array.isArray(result.refund_list)) {
      throw malformed(res, 'answered without data.refund_list');
    }
    return result as TradeRefundQueryResult;
  }

  /**
   * `refund_audit_callback/` (同步退款审核结果): approve (`refund_audit_status: 1`) or deny
   * (`refund_audit_status: 2` with `deny_message`, shown to the buyer) a refund the user started — by the
   * platform's `refund_id`, as the refund application or `refundQuery` gave it. Only refunds that need
   * it (`need_refund_audit`, `merchant_audit_detail`) are audited; one not audited within 72 hours is
   * approved. Never retried: after a lost answer, `refundQuery` shows `merchant_audit_detail.audit_status`
   * (err_no 22006 answers an audit of a refund audited already, docs/PROTOCOLS.md §2.6).
   */
  async refundAuditCallback(r: TradeRefundAuditRequest, call?: CallOptions): Promise<void> {
    await this.#call('refund_audit_callback', checkRefundAudit(r), call);
  }

  /**
   * `query_cps/`: the order's influencer commissions (达人分佣). `total_commission_amount` is deducted from
   * what the order can settle (`settleableAmount`). Retried like every query.
   */
  async queryCps(r: TradeQueryCpsRequest, call?: CallOptions): Promise<TradeQueryCpsResult> {
    const { data, res } = await this.#call('query_cps', checkOrderQuery(r), call);
    const cps = asObject(data);
    if (cps === undefined || typeof cps.total_commission_amount !== 'number') {
      throw malformed(res, 'answered without data.total_commission_amount');
    }
    return cps as TradeQueryCpsResult;
  }

  /**
   * `settle_create/` (pass-through field `ext`). Never retried. Pass `settleable` (`settleableAmount`:
   * paid − refunded − CPS commission) and a split of more than that is refused before anything is sent.
   */
  async settleCreate(
    r: TradeSettleCreateRequest,
    call?: SettleCallOptions,
  ): Promise<TradeSettleCreateResult> {
    const fields = checkSettleCreate(r);
    checkSplitWithin(fields.settle_params, call?.settleable);
    const { data, res } = await this.#call('settle_create', fields, call);
    const created = asObject(data);
    if (typeof created?.settle_id !== 'string' || created.settle_id === '') {
      throw malformed(res, 'answered without data.settle_id');
    }
    return created as TradeSettleCreateResult;
  }

  /**
   * `settle_query/`: the platform answers `data` as an ARRAY of settlements, empty when nothing matched —
   * so an empty result is `[]`, never an error and never `{}`.
   */
  async settleQuery(r: TradeSettleQueryRequest, call?: CallOptions): Promise<TradeSettleQueryResult> {
    const { data, res } = await this.#call('settle_query', checkSettleQuery(r), call);
    if (!Array.isArray(data)) throw malformed(res, 'answered with a data that is not a list');
    return data as TradeSettleQueryResult;
  }

  /**
   * Any developer server API with fields as given (checked to be JSON): `access-token` header, `err_no`
   * checked. Returns `data` exactly as decoded (an object, a list, or undefined).
   */
  async request(api: TradeApi, body: TradeFields, call?: CallOptions): Promise<unknown> {
    if (!APIS.has(api)) throw invalid(`Unknown trade API ${String(api)}.`);
    checkPlainObject(body, 'body');
    checkJsonValue(body, 'body');
    return (await this.#call(api, body, call)).data;
  }

  /**
   * One server API call with the cached client token. When the platform says the token is invalid or
   * expired — another instance's refresh cuts older tokens to 5 minutes and keeps only the newest two
   * (docs/PROTOCOLS.md §5.2) — the cached token is dropped (unless a newer one replaced it already), a new
   * one is fetched, and the call is sent once more. That is safe for creates too: a request refused for
   * its token was not processed.
   */
  async #call(
    api: TradeApi,
    body: Readonly<Record<string, unknown>>,
    call: CallOptions | undefined,
  ): Promise<{ data: unknown; res: PlatformResponse }> {
    const sent = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      const token = await this.clientToken(call);
      const res = await this.#send({
        method: 'POST',
        origin: this.#origin,
        path: `${API_PATH}${api}/`,
        headers: { 'content-type': 'application/json', 'access-token': token },
        body: sent,
        idempotent: QUERIES.has(api),
        retryableAnswer: RETRY_SAME_PARAMETERS,
        call,
      });
      try {
        // A business error may come with HTTP 400: decodeResultCode reads err_no before the status.
        const decoded = decodeResultCode(res, { code: 'err_no', message: 'err_msg', requestId: 'log_id' });
        return { data: decoded.data, res };
      } catch (error) {
        if (attempt === 1 && isTokenRejection(error)) {
          this.#token.invalidate(token);
          continue;
        }
        throw error;
      }
    }
  }

  async #fetchClientToken(): Promise<{ accessToken: string; expiresInSeconds: number }> {
    // Both token endpoints take the client-credential grant (client_key = the app id) and answer
    // {data: {access_token, expires_in, error_code, description}, message} (docs/PROTOCOLS.md §5.2).
    const res = await this.#send({
      method: 'POST',
      origin: this.#origin,
      path: this.#tokenPath,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_key: this.#appId,
        client_secret: this.#appSecret,
        grant_type: 'client_credential',
      }),
      idempotent: true, // a token grant changes nothing: safe to repeat
    });
    const body = decodeResultCode(res, { code: 'error_code', message: 'description' }, (b) => b.data);
    const data = asObject(body.data);
    const accessToken = data?.access_token;
    const expiresIn = data?.expires_in;
    if (typeof accessToken !== 'string' || accessToken === '')
      throw malformed(res, 'answered without access_token');
    if (typeof expiresIn !== 'number' || !(expiresIn > 0))
      throw malformed(res, 'answered without expires_in');
    return { accessToken, expiresInSeconds: expiresIn };
  }
}

/**
 * The types of `DouyinTradeClient`'s options, requests and answers, by what they are to this client:
 * `DouyinTradeClient.OrderQueryResult`, `DouyinTradeClient.Refund`, … (the field names are the platform's).
 */
export declare namespace DouyinTradeClient {
  export type Options = DouyinTradeClientOptions;
  export type CallOptions = Http.CallOptions;
  export type SettleCallOptions = Settle.SettleCallOptions;
  // requestOrderData: what tt.requestOrder takes.
  export type OrderData = Trade.TradeOrderData;
  export type Sku = Trade.TradeSku;
  export type RequestOrderOptions = TradeRequestOrderOptions;
  export type RequestOrderParams = Trade.RequestOrderParams;
  // orderQuery
  export type OrderQueryRequest = Trade.TradeOrderQueryRequest;
  export type OrderQueryResult = Trade.TradeOrderQueryResult;
  export type ItemOrder = Trade.TradeItemOrder;
  // refundCreate, refundQuery, refundAuditCallback
  export type RefundCreateRequest = Trade.TradeRefundCreateRequest;
  export type RefundReason = Trade.TradeRefundReason;
  export type EntrySchema = Trade.TradeEntrySchema;
  export type RefundCreateResult = Trade.TradeRefundCreateResult;
  export type RefundQueryRequest = Trade.TradeRefundQueryRequest;
  export type RefundQueryResult = Trade.TradeRefundQueryResult;
  export type Refund = Trade.TradeRefund;
  export type RefundAuditRequest = Trade.TradeRefundAuditRequest;
  // queryCps
  export type QueryCpsRequest = Trade.TradeQueryCpsRequest;
  export type QueryCpsResult = Trade.TradeQueryCpsResult;
  export type CpsItem = Trade.TradeCpsItem;
  // settleCreate, settleQuery
  export type SettleCreateRequest = Trade.TradeSettleCreateRequest;
  export type SettleParam = Trade.TradeSettleParam;
  export type SettleCreateResult = Trade.TradeSettleCreateResult;
  export type SettleQueryRequest = Trade.TradeSettleQueryRequest;
  export type SettleQueryResult = Trade.TradeSettleQueryResult;
  export type Settlement = Trade.TradeSettlement;
  // request: any other endpoint of the trade system.
  export type Api = Trade.TradeApi;
  export type Fields = Trade.TradeFields;
}
