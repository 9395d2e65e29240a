import { nonNegativeInteger, positiveInteger, silentLogger } from '@ttpay/core/internal';
import got, { RequestError } from 'got';
import {
  type ClientPlatform,
  describeRequest,
  type RequestSummary,
  TtpayClientError,
} from '../client-error.js';
import { sleep } from './abort.js';
import { addressCheckingLookup, refuseNonPublicIpLiteral } from './connect-time-address-check.js';
import type { CallOptions, HttpOptions } from './options.js';
import { redactPath } from './redact.js';
import { isRetryableStatus, type RetryableAnswer } from './retry-policy.js';
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
// got's defaults: failures where the request most likely never reached the platform, or may be repeated.
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'EADDRINUSE',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

interface RetryPolicy {
  limit: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** `retryable`: a 5xx or 429 answer, a retryable platform code, a timeout or a transient network failure (idempotent calls only). */
type Attempt =
  | { response: PlatformResponse; retryable: boolean }
  | { error: TtpayClientError; retryable: boolean };

/**
 * One got instance per client: no redirects (a 3xx becomes `REDIRECT_REFUSED`: the target could be any
 * host), no got retries (ttpay retries idempotent calls itself — ecpay queries are POSTs, so got's
 * per-method rule cannot tell a query from a create), statuses handled here, not thrown.
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
    retry: { limit: 0 },
    responseType: 'text',
    http2: false,
    headers: { 'user-agent': USER_AGENT, accept: 'application/json' },
    // The real platforms: every address connected to must be public (connect-time-address-check.ts).
    // The loopback test transport goes to 127.0.0.1 by design, and refuses to work in production.
    ...(transport.kind === 'platform'
      ? { dnsLookup: addressCheckingLookup, hooks: { beforeRequest: [refuseNonPublicIpLiteral] } }
      : {}),
  });

  async function attemptOnce(
    r: OutgoingRequest,
    url: string,
    timeoutMs: number,
    request: RequestSummary,
    attempt: number,
  ): Promise<Attempt> {
    const signal = r.call?.signal;
    const started = performance.now();
    try {
      const res = await http(url, {
        method: r.method,
        ...(r.headers === undefined ? {} : { headers: r.headers }),
        ...(r.body === undefined ? {} : { body: r.body }),
        ...(signal === undefined ? {} : { signal }),
        timeout: { request: timeoutMs },
      });
      const status = res.statusCode;
      logger.debug(
        { ...request, status, attempt, durationMs: Math.round(performance.now() - started) },
        'ttpay: platform answered',
      );
      if (status >= 300 && status < 400) {
        const error = new TtpayClientError(
          'REDIRECT_REFUSED',
          `${describeRequest(request)} answered with a redirect (HTTP ${status}); ttpay does not follow redirects.`,
          { request, status, attempts: attempt },
        );
        return { error, retryable: false };
      }
      // A last 5xx goes to the caller's decoder like any answer: its body may carry a platform code.
      const retryable = isRetryableStatus(status) || r.retryableAnswer?.(status, res.body) === true;
      return { response: { status, body: res.body, request, attempts: attempt }, retryable };
    } catch (cause) {
      return fromGotError(cause, request, attempt, signal);
    }
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
    const limit = r.idempotent ? retry.limit : 0;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw aborted(request, attempt - 1);
      const outcome = await attemptOnce(r, url, attemptTimeoutMs, request, attempt);
      if (!outcome.retryable || attempt > limit) {
        if ('response' in outcome) return outcome.response;
        throw outcome.error;
      }
      const delayMs = backoff(retry, attempt);
      const reason =
        'response' in outcome ? { status: outcome.response.status } : { code: outcome.error.code };
      logger.warn({ ...request, attempt, ...reason, delayMs }, 'ttpay: retrying an idempotent call');
      try {
        await sleep(delayMs, signal);
      } catch {
        throw aborted(request, attempt);
      }
    }
  };
}

function fromGotError(
  cause: unknown,
  request: RequestSummary,
  attempts: number,
  signal: AbortSignal | undefined,
): Attempt {
  if (signal?.aborted) return { error: aborted(request, attempts), retryable: false };
  const what = describeRequest(request);
  if (cause instanceof RequestError) {
    if (cause.name === 'TimeoutError' || cause.code === 'ETIMEDOUT') {
      const error = new TtpayClientError('TIMEOUT', `${what} got no answer in time.`, { request, attempts });
      return { error, retryable: true };
    }
    if (cause.name === 'AbortError') return { error: aborted(request, attempts), retryable: false };
    // Only the code: got's messages and properties can carry the URL and headers.
    const networkCode = /^[A-Z][A-Z0-9_]*$/.test(cause.code) ? cause.code : undefined;
    const error = new TtpayClientError('NETWORK', `${what} failed: ${networkCode ?? cause.name}.`, {
      request,
      attempts,
      ...(networkCode === undefined ? {} : { networkCode }),
    });
    return { error, retryable: networkCode !== undefined && RETRYABLE_NETWORK_CODES.has(networkCode) };
  }
  const name = cause instanceof Error ? cause.name : typeof cause;
  return {
    error: new TtpayClientError('NETWORK', `${what} failed before an answer (${name}).`, {
      request,
      attempts,
    }),
    retryable: false,
  };
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
