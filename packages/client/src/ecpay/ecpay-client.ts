import { signEcpayRequest } from '@ttpay/core';
import { checkJsonValue, checkPlainObject, checkString, invalid } from '../argument-checks.js';
import { allowListedOrigin, ECPAY_ORIGINS } from '../http/allow-list.js';
import { asObject, decodeResultCode, type JsonObject, malformed } from '../http/decode.js';
import type * as Http from '../http/options.js';
import type { CallOptions, HttpOptions } from '../http/options.js';
import { retryOnResultCodes } from '../http/retry-policy.js';
import { createSender, type PlatformResponse, type Sender } from '../http/sender.js';
import type * as Settle from '../settle/settleable-amount.js';
import { checkSplitWithin, type SettleCallOptions } from '../settle/settleable-amount.js';
import { checkCreateOrder, checkCreateRefund, checkSettle } from './request-checks.js';
import type * as Ecpay from './types.js';
import type {
  EcpayCreateOrderRequest,
  EcpayCreateOrderResult,
  EcpayCreateRefundRequest,
  EcpayCreateRefundResult,
  EcpayEndpoint,
  EcpayFields,
  EcpayQueryOrderRequest,
  EcpayQueryOrderResult,
  EcpayQueryRefundRequest,
  EcpayQueryRefundResult,
  EcpayQuerySettleRequest,
  EcpayQuerySettleResult,
  EcpayResult,
  EcpaySettleRequest,
  EcpaySettleResult,
} from './types.js';

export interface DouyinEcpayClientOptions extends HttpOptions {
  /** The mini-program's app id (sent as `app_id`). */
  appId: string;
  /** The payment SALT from the console (signs every request; never sent). */
  salt: string;
  /** `https://developer.toutiao.com` (default) or the sandbox `https://open-sandbox.douyin.com`. */
  baseUrl?: string;
  /** Service providers only: sent as `thirdparty_id` (not signed). */
  thirdpartyId?: string;
}

const API_PATH = '/api/apps/ecpay/v1/';
const QUERIES: ReadonlySet<EcpayEndpoint> = new Set([
  'query_order',
  'query_refund',
  'query_settle',
  'unsettle_amount',
  'query_return',
  'query_platform_order',
]);
const ENDPOINTS: ReadonlySet<string> = new Set<EcpayEndpoint>([
  ...QUERIES,
  'create_order',
  'create_refund',
  'settle',
  'create_return',
]);
const ADDED_BY_CLIENT = new Set(['app_id', 'thirdparty_id', 'sign']);
/** `err_no` 1000/1001: "retry with the same parameters" — repeated on queries only (docs/PROTOCOLS.md §5.3). */
const RETRY_SAME_PARAMETERS = retryOnResultCodes('err_no', new Set([1000, 1001]));

/**
 * The Douyin guaranteed-payment ("ecpay") API (docs/PROTOCOLS.md §1). Adds `app_id` and `sign`, checks
 * fields before sending, and turns `err_no != 0` into `TtpayApiError`. Queries are retried on 5xx,
 * network errors and `err_no` 1000/1001; creates, refunds, settlements and returns never are.
 */
export class DouyinEcpayClient {
  readonly #appId: string;
  readonly #salt: string;
  readonly #thirdpartyId: string | undefined;
  readonly #origin: string;
  readonly #send: Sender;

  constructor(options: DouyinEcpayClientOptions) {
    checkPlainObject(options, 'options');
    this.#appId = checkString(options.appId, 'appId');
    this.#salt = checkString(options.salt, 'salt');
    this.#thirdpartyId =
      options.thirdpartyId === undefined ? undefined : checkString(options.thirdpartyId, 'thirdpartyId');
    this.#origin = allowListedOrigin(options.baseUrl, ECPAY_ORIGINS, 'baseUrl');
    this.#send = createSender('douyin-ecpay', options);
  }

  /** Creates an order; hand `order_id`/`order_token` to `tt.pay`. Never retried. */
  async createOrder(r: EcpayCreateOrderRequest, call?: CallOptions): Promise<EcpayCreateOrderResult> {
    const result = await this.#call('create_order', checkCreateOrder(r), call);
    return requireStrings(result.body, result.res, ['order_id', 'order_token']) as EcpayCreateOrderResult;
  }

  async queryOrder(r: EcpayQueryOrderRequest, call?: CallOptions): Promise<EcpayQueryOrderResult> {
    checkPlainObject(r, 'queryOrder request');
    checkString(r.out_order_no, 'out_order_no');
    const result = await this.#call('query_order', { ...r }, call);
    return requireObject(result.body, result.res, 'payment_info') as EcpayQueryOrderResult;
  }

  /** Never retried: a lost answer is resolved with `queryRefund`, not a second create. */
  async createRefund(r: EcpayCreateRefundRequest, call?: CallOptions): Promise<EcpayCreateRefundResult> {
    const result = await this.#call('create_refund', checkCreateRefund(r), call);
    return requireStrings(result.body, result.res, ['refund_no']) as EcpayCreateRefundResult;
  }

  async queryRefund(r: EcpayQueryRefundRequest, call?: CallOptions): Promise<EcpayQueryRefundResult> {
    checkPlainObject(r, 'queryRefund request');
    checkString(r.out_refund_no, 'out_refund_no');
    const result = await this.#call('query_refund', { ...r }, call);
    return requireObject(result.body, result.res, 'refundInfo') as EcpayQueryRefundResult;
  }

  /**
   * Never retried. Pass `settleable` ({@link settleableAmount}: paid − refunded − CPS commission) and a
   * split of more than that is refused before anything is sent (docs/PROTOCOLS.md §1.4).
   */
  async settle(r: EcpaySettleRequest, call?: SettleCallOptions): Promise<EcpaySettleResult> {
    const fields = checkSettle(r);
    checkSplitWithin(fields.settle_params, call?.settleable);
    return (await this.#call('settle', fields, call)).body;
  }

  /** The settlement under `settle_info` (docs/PROTOCOLS.md §1.1). */
  async querySettle(r: EcpayQuerySettleRequest, call?: CallOptions): Promise<EcpayQuerySettleResult> {
    checkPlainObject(r, 'querySettle request');
    checkString(r.out_settle_no, 'out_settle_no');
    const result = await this.#call('query_settle', { ...r }, call);
    return requireObject(result.body, result.res, 'settle_info') as EcpayQuerySettleResult;
  }

  // docs/PROTOCOLS.md lists the next four endpoints without their fields: the fields are passed through as
  // given (checked to be JSON, signed like every other request).

  /** `unsettle_amount` (a query). */
  async unsettleAmount(fields: EcpayFields, call?: CallOptions): Promise<EcpayResult> {
    return this.request('unsettle_amount', fields, call);
  }

  /** `create_return` (never retried). */
  async createReturn(fields: EcpayFields, call?: CallOptions): Promise<EcpayResult> {
    return this.request('create_return', fields, call);
  }

  /** `query_return` (a query). */
  async queryReturn(fields: EcpayFields, call?: CallOptions): Promise<EcpayResult> {
    return this.request('query_return', fields, call);
  }

  /** `query_platform_order` (a query). */
  async queryPlatformOrder(fields: EcpayFields, call?: CallOptions): Promise<EcpayResult> {
    return this.request('query_platform_order', fields, call);
  }

  /** Any ecpay endpoint with fields as given: signed, sent, `err_no` checked. */
  async request(endpoint: EcpayEndpoint, fields: EcpayFields, call?: CallOptions): Promise<EcpayResult> {
    if (!ENDPOINTS.has(endpoint)) throw invalid(`Unknown ecpay endpoint ${String(endpoint)}.`);
    checkPlainObject(fields, 'fields');
    return (await this.#call(endpoint, fields, call)).body;
  }

  async #call(
    endpoint: EcpayEndpoint,
    fields: Readonly<Record<string, unknown>>,
    call: CallOptions | undefined,
  ): Promise<{ body: EcpayResult; res: PlatformResponse }> {
    const payload: Record<string, unknown> = { app_id: this.#appId };
    if (this.#thirdpartyId !== undefined) payload.thirdparty_id = this.#thirdpartyId;
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      if (ADDED_BY_CLIENT.has(key))
        throw invalid(`${key} is added by the client: leave it out of the fields.`);
      checkJsonValue(value, key);
      payload[key] = value;
    }
    // Sign exactly what is sent: the fields as JSON will carry them, signed, then serialised once.
    const sent = JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
    sent.sign = signEcpayRequest(sent, this.#salt);
    const res = await this.#send({
      method: 'POST',
      origin: this.#origin,
      path: API_PATH + endpoint,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sent),
      idempotent: QUERIES.has(endpoint),
      retryableAnswer: RETRY_SAME_PARAMETERS,
      call,
    });
    return { body: ecpayResult(decodeResultCode(res, { code: 'err_no', message: 'err_tips' })), res };
  }
}

function ecpayResult(body: JsonObject): EcpayResult {
  const { err_no: _code, err_tips: _tips, data, ...rest } = body;
  const lifted = asObject(data);
  return lifted === undefined ? { ...rest, ...(data === undefined ? {} : { data }) } : { ...lifted, ...rest };
}

function requireStrings(body: EcpayResult, res: PlatformResponse, keys: readonly string[]): EcpayResult {
  for (const key of keys) {
    if (typeof body[key] !== 'string' || body[key] === '') throw malformed(res, `answered without ${key}`);
  }
  return body;
}

function requireObject(body: EcpayResult, res: PlatformResponse, key: string): EcpayResult {
  if (asObject(body[key]) === undefined) throw malformed(res, `answered without ${key}`);
  return body;
}

/**
 * The types of `DouyinEcpayClient`'s options, requests and answers, by what they are to this client:
 * `DouyinEcpayClient.QueryOrderResult`, `DouyinEcpayClient.PaymentInfo`, … (the field names are the platform's).
 */
export declare namespace DouyinEcpayClient {
  export type Options = DouyinEcpayClientOptions;
  export type CallOptions = Http.CallOptions;
  export type SettleCallOptions = Settle.SettleCallOptions;
  // createOrder, queryOrder
  export type CreateOrderRequest = Ecpay.EcpayCreateOrderRequest;
  export type LimitPayWay = Ecpay.EcpayLimitPayWay;
  export type CreateOrderResult = Ecpay.EcpayCreateOrderResult;
  export type QueryOrderRequest = Ecpay.EcpayQueryOrderRequest;
  export type QueryOrderResult = Ecpay.EcpayQueryOrderResult;
  export type PaymentInfo = Ecpay.EcpayPaymentInfo;
  export type CpsInfo = Ecpay.EcpayCpsInfo;
  // createRefund, queryRefund
  export type CreateRefundRequest = Ecpay.EcpayCreateRefundRequest;
  export type CreateRefundResult = Ecpay.EcpayCreateRefundResult;
  export type QueryRefundRequest = Ecpay.EcpayQueryRefundRequest;
  export type QueryRefundResult = Ecpay.EcpayQueryRefundResult;
  export type RefundInfo = Ecpay.EcpayRefundInfo;
  // settle, querySettle
  export type SettleRequest = Ecpay.EcpaySettleRequest;
  export type SettleParam = Ecpay.EcpaySettleParam;
  export type SettleResult = Ecpay.EcpaySettleResult;
  export type QuerySettleRequest = Ecpay.EcpayQuerySettleRequest;
  export type QuerySettleResult = Ecpay.EcpayQuerySettleResult;
  export type SettleInfo = Ecpay.EcpaySettleInfo;
  // request, and the endpoints without a typed method.
  export type Endpoint = Ecpay.EcpayEndpoint;
  export type Fields = Ecpay.EcpayFields;
  export type Result = Ecpay.EcpayResult;
}
