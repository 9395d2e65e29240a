import { TtpayError } from '@ttpay/core';

/**
 * Stable codes for what can go wrong between ttpay and a platform. Callers switch on `code`, never on
 * `message`. Bad input is reported before any request as @ttpay/core's `TtpayError` (`INVALID_ARGUMENT`,
 * `INVALID_KEY`), the same error the signers throw.
 */
export type TtpayClientErrorCode =
  /** A base URL, transport or redirect target outside the allow-list; nothing was sent. */
  | 'HOST_NOT_ALLOWED'
  /** The platform answered 3xx; redirects are never followed (the target could be any host). */
  | 'REDIRECT_REFUSED'
  /** No answer within the timeout (per attempt). */
  | 'TIMEOUT'
  /** The caller's `AbortSignal` fired. */
  | 'ABORTED'
  /** Connection refused/reset, DNS failure, TLS failure… */
  | 'NETWORK'
  /** A non-2xx answer that carries no platform result code. */
  | 'HTTP_STATUS'
  /** The answer is not the JSON the platform documents. */
  | 'MALFORMED_RESPONSE'
  /** The platform answered with a failure code (`TtpayApiError`). */
  | 'PLATFORM_ERROR'
  /**
   * A create that is never retried got no clear answer (timeout, reset after sending, 5xx, garbled 2xx):
   * the platform may or may not have acted. Do not repeat the call blindly; reconcile first
   * (docs/PROTOCOLS.md §4.2).
   */
  | 'OUTCOME_UNKNOWN';

export type ClientPlatform = 'douyin-ecpay' | 'douyin-trade' | 'tiktok' | 'algovoi';

/** What an error may say about the request: never headers, bodies, or secret query values. */
export interface RequestSummary {
  platform: ClientPlatform;
  method: string;
  /** The real platform host (e.g. `developer.toutiao.com`), also when a test transport redirected it. */
  host: string;
  /** Path and query with every query value that is not known to be harmless replaced by `[redacted]`. */
  path: string;
}

export interface TtpayClientErrorDetails {
  request?: RequestSummary;
  status?: number;
  attempts?: number;
  /** `ECONNRESET`, `ENOTFOUND`, … for `NETWORK` errors. */
  networkCode?: string;
}

/**
 * The one error class of @ttpay/client (a `TtpayError`, the root of every ttpay error). It deliberately carries no
 * `cause`: got's errors hold the request options, headers included (access tokens, API keys), and would
 * leak them into logs.
 */
export class TtpayClientError extends TtpayError<TtpayClientErrorCode> {
  override readonly name: string = 'TtpayClientError';
  readonly platform: ClientPlatform | undefined;
  readonly method: string | undefined;
  readonly host: string | undefined;
  readonly path: string | undefined;
  readonly status: number | undefined;
  readonly attempts: number | undefined;
  readonly networkCode: string | undefined;

  constructor(code: TtpayClientErrorCode, message: string, details: TtpayClientErrorDetails = {}) {
    super(code, message);
    this.platform = details.request?.platform;
    this.method = details.request?.method;
    this.host = details.request?.host;
    this.path = details.request?.path;
    this.status = details.status;
    this.attempts = details.attempts;
    this.networkCode = details.networkCode;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      platform: this.platform,
      method: this.method,
      host: this.host,
      path: this.path,
      status: this.status,
      attempts: this.attempts,
      networkCode: this.networkCode,
    };
  }
}

export const isTtpayClientError = (value: unknown): value is TtpayClientError =>
  value instanceof TtpayClientError;

/** `POST developer.toutiao.com/api/apps/ecpay/v1/create_order` — for messages. */
export function describeRequest(r: RequestSummary): string {
  return `${r.method} ${r.host}${r.path}`;
}
