import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { buildByteAuthorization, type KeyLike, toPrivateKey } from '@ttpay/core';
import { checkInteger, checkJsonValue, checkPlainObject, checkString, invalid } from '../argument-checks.js';
import { TtpayClientError } from '../client-error.js';
import { allowListedOrigin, TRADE_ORIGINS } from '../http/allow-list.js';
import { asObject, decodeResultCode, malformed } from '../http/decode.js';
import type { CallOptions, HttpOptions } from '../http/options.js';
import { createSender, type Sender } from '../http/sender.js';
import { ClientTokenCache } from './client-token-cache.js';
import { checkTradeOrderData } from './request-order-checks.js';
import type {
  RequestOrderParams,
  TradeApi,
  TradeFields,
  TradeOrderData,
  TradeOrderQueryRequest,
  TradeRefundCreateRequest,
  TradeRefundQueryRequest,
  TradeResult,
  TradeSettleCreateRequest,
  TradeSettleQueryRequest,
} from './types.js';

export interface DouyinTradeClientOptions extends HttpOptions {
  appId: string;
  /** The app secret, for `/oauth/client_token/` (the server APIs' `access-token`). */
  appSecret: string;
  /** The developer's RSA-2048 private key whose public half was uploaded. */
  privateKey: KeyLike;
  /** The `key_version` the console gave the uploaded public key. */
  keyVersion: string | number;
  /** Only `https://open.douyin.com` (the default). */
  baseUrl?: string;
  /** Refresh the client token this long before it expires. Default 300 s. */
  tokenRefreshMarginSeconds?: number;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

export interface RequestOrderOptions {
  /** Seconds; default now. */
  timestamp?: number;
  /** Default 32 random hex characters. */
  nonce?: string;
}

const API_PATH = '/api/trade_basic/v1/developer/';
const CLIENT_TOKEN_PATH = '/oauth/client_token/';
const QUERIES: ReadonlySet<TradeApi> = new Set(['order_query', 'refund_query', 'settle_query']);
const APIS: ReadonlySet<string> = new Set<TradeApi>([...QUERIES, 'refund_create', 'settle_create']);

/**
 * The Douyin trade system (PROTOCOLS.md §2): signs `tt.requestOrder` data, and calls the developer
 * server APIs with a cached client token.
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

  constructor(options: DouyinTradeClientOptions) {
    checkPlainObject(options, 'options');
    this.#appId = checkString(options.appId, 'appId');
    this.#appSecret = checkString(options.appSecret, 'appSecret');
    this.#privateKey = toPrivateKey(options.privateKey); // parse once; throws INVALID_KEY early
    this.#keyVersion = checkString(String(options.keyVersion ?? ''), 'keyVersion');
    this.#origin = allowListedOrigin(options.baseUrl, TRADE_ORIGINS, 'baseUrl');
    this.#now = options.now ?? Date.now;
    this.#send = createSender('douyin-trade', options);
    this.#token = new ClientTokenCache(() => this.#fetchClientToken(), {
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
   * signature covers `POST\n/requestOrder\n<ts>\n<nonce>\n<data>\n` (PROTOCOLS.md §2). Pure: no request.
   */
  requestOrderData(order: TradeOrderData, options: RequestOrderOptions = {}): RequestOrderParams {
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
        path: CLIENT_TOKEN_PATH,
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

  orderQuery(body: TradeOrderQueryRequest, call?: CallOptions): Promise<TradeResult> {
    return this.request('order_query', body, call);
  }
  /** Never retried. */
  refundCreate(body: TradeRefundCreateRequest, call?: CallOptions): Promise<TradeResult> {
    return this.request('refund_create', body, call);
  }
  refundQuery(body: TradeRefundQueryRequest, call?: CallOptions): Promise<TradeResult> {
    return this.request('refund_query', body, call);
  }
  /** Never retried. */
  settleCreate(body: TradeSettleCreateRequest, call?: CallOptions): Promise<TradeResult> {
    return this.request('settle_create', body, call);
  }
  settleQuery(body: TradeSettleQueryRequest, call?: CallOptions): Promise<TradeResult> {
    return this.request('settle_query', body, call);
  }

  /** A developer server API: JSON body, `access-token` header, `err_no` checked; returns `data`. */
  async request(api: TradeApi, body: TradeFields, call?: CallOptions): Promise<TradeResult> {
    if (!APIS.has(api)) throw invalid(`Unknown trade API ${String(api)}.`);
    checkPlainObject(body, 'body');
    checkJsonValue(body, 'body');
    const token = await this.clientToken(call);
    const res = await this.#send({
      method: 'POST',
      origin: this.#origin,
      path: `${API_PATH}${api}/`,
      headers: { 'content-type': 'application/json', 'access-token': token },
      body: JSON.stringify(body),
      idempotent: QUERIES.has(api),
      call,
    });
    const decoded = decodeResultCode(res, { code: 'err_no', message: 'err_msg', requestId: 'log_id' });
    return asObject(decoded.data) ?? {};
  }

  async #fetchClientToken(): Promise<{ accessToken: string; expiresInSeconds: number }> {
    // PROTOCOLS.md names only the path; the body is the platform's client-credential grant as documented
    // by Douyin Open Platform (client_key = the app id): an assumption, checked against the simulator.
    const res = await this.#send({
      method: 'POST',
      origin: this.#origin,
      path: CLIENT_TOKEN_PATH,
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
