import {
  checkInteger,
  checkOneOf,
  checkOptionalHttpsUrl,
  checkPlainObject,
  checkString,
  invalid,
} from '../argument-checks.js';
import { userConfiguredBase } from '../http/allow-list.js';
import { decodeJsonObject, malformed } from '../http/decode.js';
import type * as Http from '../http/options.js';
import type { CallOptions, HttpOptions } from '../http/options.js';
import { createSender, type PlatformResponse, type Sender } from '../http/sender.js';
import { createOutcome } from './create-outcome.js';
import type * as AlgoVoi from './types.js';
import {
  ALGOVOI_NETWORKS,
  ALGOVOI_PAID_STATUSES,
  type CreatePaymentLinkRequest,
  type PaymentLink,
  type PaymentVerification,
} from './types.js';

export interface AlgoVoiClientOptions extends HttpOptions {
  /** The gateway's base URL: https and a DNS name; the only host this client will call. */
  apiBase: string;
  apiKey: string;
  tenantId: string;
  /** Currencies `createPaymentLink` accepts. Default `['USD', 'EUR', 'GBP']`. */
  currencies?: readonly string[];
}

export const DEFAULT_ALGOVOI_CURRENCIES: readonly string[] = ['USD', 'EUR', 'GBP'];

/** Two decimals at most, no sign, no exponent. */
const DECIMAL = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
const MAX_TOKEN_LENGTH = 512;

/**
 * The AlgoVoi payment-link gateway (docs/PROTOCOLS.md §4): creates payment links — for money settled
 * OUTSIDE a marketplace's own checkout (a B2B invoice, a supplier or fee settlement; never an order the
 * buyer already paid at TikTok's checkout, §3.8) — and confirms payment by reading the checkout's status,
 * the step to take before acting on the word of a webhook.
 */
export class AlgoVoiClient {
  readonly #origin: string;
  readonly #pathPrefix: string;
  readonly #apiKey: string;
  readonly #tenantId: string;
  readonly #currencies: readonly string[];
  readonly #send: Sender;

  constructor(options: AlgoVoiClientOptions) {
    checkPlainObject(options, 'options');
    const base = userConfiguredBase(options.apiBase, 'apiBase');
    this.#origin = base.origin;
    this.#pathPrefix = base.pathPrefix;
    this.#apiKey = checkString(options.apiKey, 'apiKey');
    this.#tenantId = checkString(options.tenantId, 'tenantId');
    const currencies = options.currencies ?? DEFAULT_ALGOVOI_CURRENCIES;
    if (!Array.isArray(currencies) || currencies.length === 0)
      throw invalid('currencies must list at least one code.');
    for (const c of currencies)
      checkString(c, 'each currency', { pattern: /^[A-Z]{3}$/, patternText: 'three capital letters' });
    this.#currencies = Object.freeze([...currencies]);
    this.#send = createSender('algovoi', options);
  }

  /**
   * `POST {apiBase}/v1/payment-links`. Never retried, and never to be retried blindly: when the answer is
   * lost after the request may have reached the gateway (timeout, reset, 5xx, a 2xx that is not the
   * documented JSON) this throws `TtpayClientError` `OUTCOME_UNKNOWN` — the link may exist. A definite
   * refusal (4xx, nothing sent) keeps its own code and may be retried.
   */
  async createPaymentLink(r: CreatePaymentLinkRequest, call?: CallOptions): Promise<PaymentLink> {
    checkPlainObject(r, 'request');
    const amount = amountWithTwoDecimals(r.amount);
    checkOneOf(r.currency, 'currency', this.#currencies);
    checkString(r.label, 'label');
    checkOneOf(r.preferred_network, 'preferred_network', ALGOVOI_NETWORKS);
    checkOptionalHttpsUrl(r.redirect_url, 'redirect_url');
    if (r.expires_in_seconds !== undefined) {
      checkInteger(r.expires_in_seconds, 'expires_in_seconds', 1, Number.MAX_SAFE_INTEGER);
    }
    const body = JSON.stringify({
      amount,
      currency: r.currency,
      label: r.label,
      preferred_network: r.preferred_network,
      ...(r.redirect_url === undefined ? {} : { redirect_url: r.redirect_url }),
      ...(r.expires_in_seconds === undefined ? {} : { expires_in_seconds: r.expires_in_seconds }),
    });
    try {
      const res = await this.#send({
        method: 'POST',
        origin: this.#origin,
        path: `${this.#pathPrefix}/v1/payment-links`,
        headers: { ...this.#headers(), 'content-type': 'application/json' },
        body,
        idempotent: false,
        call,
      });
      return paymentLink(res);
    } catch (error) {
      throw createOutcome(error);
    }
  }

  /**
   * `GET {apiBase}/checkout/{token}/status` (token percent-encoded) — the endpoint AlgoVoi's own SDKs and
   * connectors read (`GET /checkout/{token}` is the buyer's hosted page); paid when `status` is
   * paid | completed | confirmed (docs/PROTOCOLS.md §4.4). A read: retried on 5xx and network errors.
   */
  async verifyPayment(token: string, call?: CallOptions): Promise<PaymentVerification> {
    checkString(token, 'token', { maxLength: MAX_TOKEN_LENGTH });
    // encodeURIComponent leaves "." alone: "/checkout/.." would climb out of /checkout.
    if (token === '.' || token === '..') throw invalid('token must not be a dot segment.');
    const res = await this.#send({
      method: 'GET',
      origin: this.#origin,
      path: `${this.#pathPrefix}/checkout/${encodeURIComponent(token)}/status`,
      headers: this.#headers(),
      idempotent: true,
      call,
    });
    const checkout = decodeJsonObject(res);
    const { status, tx_id } = checkout;
    if (typeof status !== 'string') throw malformed(res, 'answered without status');
    return {
      token,
      paid: (ALGOVOI_PAID_STATUSES as readonly string[]).includes(status),
      status,
      ...(typeof tx_id === 'string' && tx_id !== '' ? { tx_id } : {}),
      checkout,
    };
  }

  #headers(): Record<string, string> {
    return { authorization: `Bearer ${this.#apiKey}`, 'x-tenant-id': this.#tenantId };
  }
}

/** The created link from a 2xx answer; anything else throws (and is reworded by `createOutcome`). */
function paymentLink(res: PlatformResponse): PaymentLink {
  const link = decodeJsonObject(res);
  const { checkout_url, chain, amount_microunits } = link;
  if (typeof checkout_url !== 'string') throw malformed(res, 'answered without checkout_url');
  const token = lastPathSegment(checkout_url);
  if (token === undefined) throw malformed(res, 'answered with a checkout_url that ends in no token');
  if (typeof chain !== 'string') throw malformed(res, 'answered without chain');
  if (typeof amount_microunits !== 'number' && typeof amount_microunits !== 'string') {
    throw malformed(res, 'answered without amount_microunits');
  }
  return { checkout_url, chain, amount_microunits, token };
}

/**
 * The amount as the JSON number with at most 2 decimals the gateway takes. A number is rounded to
 * cents only when it is within floating-point noise of a cent value (`0.1 + 0.2`); 12.345 is refused
 * rather than silently rounded — money is never rounded behind the caller's back.
 */
function amountWithTwoDecimals(amount: unknown): number {
  let cents: number;
  if (typeof amount === 'string') {
    if (!DECIMAL.test(amount)) {
      throw invalid('amount must be a decimal string with at most 2 decimals, e.g. "12.34".');
    }
    const [whole, fraction = ''] = amount.split('.') as [string, string?];
    cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  } else if (typeof amount === 'number' && Number.isFinite(amount)) {
    cents = Math.round(amount * 100);
    if (Math.abs(amount * 100 - cents) > 1e-3) {
      throw invalid(`amount must have at most 2 decimals (got ${amount}).`);
    }
  } else {
    throw invalid('amount must be a finite number or a decimal string.');
  }
  if (!(cents > 0) || !Number.isSafeInteger(cents)) throw invalid('amount must be greater than 0.');
  return cents / 100;
}

function lastPathSegment(checkoutUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(checkoutUrl);
  } catch {
    return undefined;
  }
  const segment = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .at(-1);
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The types of `AlgoVoiClient`'s options, requests and answers: `AlgoVoiClient.PaymentLink`, … (the field
 * names are the gateway's).
 */
export declare namespace AlgoVoiClient {
  export type Options = AlgoVoiClientOptions;
  export type CallOptions = Http.CallOptions;
  export type CreatePaymentLinkRequest = AlgoVoi.CreatePaymentLinkRequest;
  export type Network = AlgoVoi.AlgoVoiNetwork;
  export type PaymentLink = AlgoVoi.PaymentLink;
  export type PaymentVerification = AlgoVoi.PaymentVerification;
}
