import { nonNegativeInteger, positiveInteger, silentLogger } from '@ttpay/core/internal';
import got, { RequestError, type Response, type RetryOptions } from 'got';
import {
  type ClientPlatform,
  describeRequest,
  type RequestSummary,
  TtpayClientError,
} from '../client-error.js';
import { addressCheckingLookup, refuseNonPublicIpLiteral } from './connect-time-address-check.js';
import type { CallOptions, HttpOptions } from './options.js';
import { redactPath } from './redact.js';
import { RETRYABLE_STATUS_CODES, type RetryableAnswer } from './retry-policy.js';
import { checkTransport, physicalOrigin, platformTransport } from './transport.js';

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  /** The real, allow-listed origin, e.g. `https://developer.toutiao.com`. */
  origin: string;
  /** Path (and query) starting with `/`. */
  path: string;
  headers?: Record<string, string>;
  /** The exact bytes to send (already signed where the platform signs bodies). */
  body?: string;
  /** Only idempotent calls are retried. */
  idempotent: boolean;
  /**
   * For idempotent calls: does this answer (besides 5xx and 429, which always are) say "try again with
   * the same parameters"? E.g. ecpay `err_no` 1000/1001, trade 13000/23000 (docs/PROTOCOLS.md §5).
   */
  retryableAnswer?: RetryableAnswer | undefined;
  call?: CallOptions | undefined;
}

/** Any HTTP answer that is not a redirect; the caller decodes it. */
export interface PlatformResponse {
  status: number;
  body: string;
  request: RequestSummary;
  attempts: number;
}

export type Sender = (r: OutgoingRequest) => Promise<PlatformResponse>;

const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = 'ttpay-client/0.1 (+https://github.com/ttpay)';
/** got's own list: failures where the request most likely never reached the platform, or may be repeated. */
const RETRYABLE_ERROR_CODES = [
  'ETIMEDOUT',
  'ECONNRESET',
  'EADDRINUSE',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
];
/** The code of the error the afterResponse hook throws for an answer that says "try again" (ecpay err_no 1000…). */
const RETRYABLE_ANSWER = 'ERR_TTPAY_RETRYABLE_ANSWER';

interface RetryPolicy {
  limit: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * One got instance per client: no redirects (a 3xx becomes `REDIRECT_REFUSED`: the target could be any
 * host), statuses handled here, not thrown. Retries are got's own, set per request (`retryOptions`):
 * got's per-method rule cannot tell an ecpay query from a create (both are POSTs), so each call says
 * whether it may be repeated; and an answer whose result code says "try again" (a 200 among them) becomes
 * a retryable failure in an afterResponse hook.
 */
export function createSender(platform: ClientPlatform, options: HttpOptions = {}): Sender {
  const transport = options.transport ?? platformTransport;
  checkTransport(transport);
  const timeoutMs = positiveInteger(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const retry: RetryPolicy = {
    limit: nonNegativeInteger(options.retry?.limit ?? 2, 'retry.limit'),
    baseDelayMs: nonNegativeInteger(options.retry?.baseDelayMs ?? 200, 'retry.baseDelayMs'),
    maxDelayMs: nonNegativeInteger(options.retry?.maxDelayMs ?? 2000, 'retry.maxDelayMs'),
  };
  const logger = options.logger ?? silentLogger;
  const http = got.extend({
    followRedirect: false,
    throwHttpErrors: false,
    responseType: 'text',
    http2: false,
    headers: { 'user-agent': USER_AGENT, accept: 'application/json' },
    // The real platforms: every address connected to must be public (connect-time-address-check.ts).
    // The loopback test transport goes to 127.0.0.1 by design, and refuses to work in production.
    ...(transport.kind === 'platform'
      ? { dnsLookup: addressCheckingLookup, hooks: { beforeRequest: [refuseNonPublicIpLiteral] } }
      : {}),
  });

  /** got's retry rules for one call: only an idempotent one is repeated, on ttpay's schedule. */
  function retryOptions(r: OutgoingRequest, request: RequestSummary): Partial<RetryOptions> {
    const signal = r.call?.signal;
    return {
      limit: r.idempotent ? retry.limit : 0,
      methods: [r.method],
      statusCodes: [...RETRYABLE_STATUS_CODES],
      errorCodes: [...RETRYABLE_ERROR_CODES, RETRYABLE_ANSWER],
      // got checks limit, methods, codes, statuses; then asks for the delay. A Retry-After header does not
      // stop a retry (got's default when it exceeds the timeout): the schedule is ttpay's, as documented.
      enforceRetryRules: true,
      maxRetryAfter: Number.POSITIVE_INFINITY,
      calculateDelay: ({ attemptCount, error }) => {
        // got turns an AbortSignal.timeout() into its own TimeoutError: the caller's abort is final.
        if (signal?.aborted) return 0;
        const delayMs = backoff(retry, attemptCount);
        const reason = error.response
          ? { status: error.response.statusCode }
          : { code: fromGotError(error, request, attemptCount, signal).code };
        logger.warn(
          { ...request, attempt: attemptCount, ...reason, delayMs },
          'ttpay: retrying an idempotent call',
        );
        return delayMs;
      },
    };
  }

  return async function send(r) {
    const request: RequestSummary = {
      platform,
      method: r.method,
      host: new URL(r.origin).host,
      path: redactPath(r.path),
    };
    const url = physicalOrigin(transport, r.origin) + r.path;
    const attemptTimeoutMs = positiveInteger(r.call?.timeoutMs ?? timeoutMs, 'timeoutMs');
    const signal = r.call?.signal;
    if (signal?.aborted) throw aborted(request, 0);
    const answered = (res: Response<string>): PlatformResponse => ({
      status: res.statusCode,
      body: res.body,
      request,
      attempts: res.retryCount + 1,
    });
    let res: Response<string>;
    try {
      res = await http(url, {
        method: r.method,
        ...(r.headers === undefined ? {} : { headers: r.headers }),
        ...(r.body === undefined ? {} : { body: r.body }),
        ...(signal === undefined ? {} : { signal }),
        timeout: { request: attemptTimeoutMs },
        retry: retryOptions(r, request),
        hooks: {
          afterResponse: [
            (response) => {
              const status = response.statusCode;
              const attempt = response.retryCount + 1;
              const durationMs = Math.round(response.timings.phases.total ?? 0);
              logger.debug({ ...request, status, attempt, durationMs }, 'ttpay: platform answered');
              // Any answer but a redirect may say "try again" in its body (ecpay err_no 1000 in a 200); got
              // retries a failure, so it becomes one here. (5xx and 429 are got's HTTP errors anyway.)
              const redirect = status >= 300 && status < 400;
              if (!redirect && r.retryableAnswer?.(status, String(response.body)) === true) {
                throw Object.assign(new Error('retryable platform answer'), { code: RETRYABLE_ANSWER });
              }
              return response;
            },
          ],
        },
      });
    } catch (cause) {
      // A retryable answer still so after the last attempt goes to the caller's decoder like any answer.
      if (cause instanceof RequestError && cause.code === RETRYABLE_ANSWER && cause.response) {
        return answered(cause.response as Response<string>);
      }
      const attempts = cause instanceof RequestError ? (cause.request?.retryCount ?? 0) + 1 : 1;
      throw fromGotError(cause, request, attempts, signal);
    }
    const status = res.statusCode;
    if (status >= 300 && status < 400) {
      throw new TtpayClientError(
        'REDIRECT_REFUSED',
        `${describeRequest(request)} answered with a redirect (HTTP ${status}); ttpay does not follow redirects.`,
        { request, status, attempts: res.retryCount + 1 },
      );
    }
    // A last 5xx goes to the caller's decoder like any answer: its body may carry a platform code.
    return answered(res);
  };
}

function fromGotError(
  cause: unknown,
  request: RequestSummary,
  attempts: number,
  signal: AbortSignal | undefined,
): TtpayClientError {
  if (signal?.aborted) return aborted(request, attempts);
  const what = describeRequest(request);
  if (cause instanceof RequestError) {
    if (cause.name === 'TimeoutError' || cause.code === 'ETIMEDOUT') {
      return new TtpayClientError('TIMEOUT', `${what} got no answer in time.`, { request, attempts });
    }
    if (cause.name === 'AbortError') return aborted(request, attempts);
    // Only the code: got's messages and properties can carry the URL and headers.
    const networkCode = /^[A-Z][A-Z0-9_]*$/.test(cause.code) ? cause.code : undefined;
    return new TtpayClientError('NETWORK', `${what} failed: ${networkCode ?? cause.name}.`, {
      request,
      attempts,
      ...(networkCode === undefined ? {} : { networkCode }),
    });
  }
  const name = cause instanceof Error ? cause.name : typeof cause;
  return new TtpayClientError('NETWORK', `${what} failed before an answer (${name}).`, {
    request,
    attempts,
  });
}

function aborted(request: RequestSummary, attempts: number): TtpayClientError {
  return new TtpayClientError('ABORTED', `${describeRequest(request)} was aborted by the caller.`, {
    request,
    attempts,
  });
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}
