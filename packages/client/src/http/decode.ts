import { TtpayApiError } from '../api-error.js';
import { describeRequest, TtpayClientError } from '../client-error.js';
import type { PlatformResponse } from './sender.js';

export type JsonObject = Record<string, unknown>;

/** Where a platform puts its result code, message and request id in the JSON body. */
export interface ResultCodeFields {
  code: string;
  message: string;
  requestId?: string;
}

const MAX_PLATFORM_MESSAGE = 300;

/**
 * The body as a JSON object, or a `PLATFORM_ERROR` / `HTTP_STATUS` / `MALFORMED_RESPONSE` error.
 * Success is the result code `0` in a 2xx answer — an HTTP 200 alone proves nothing (docs/PROTOCOLS.md §1.1, §3).
 * `locate` picks the object holding the result fields (the client-token answer nests them in `data`).
 */
export function decodeResultCode(
  res: PlatformResponse,
  fields: ResultCodeFields,
  locate: (body: JsonObject) => unknown = (body) => body,
): JsonObject {
  const body = parseJsonObject(res.body);
  const holder = body === undefined ? undefined : asObject(locate(body));
  const code = holder?.[fields.code];
  if (holder !== undefined && typeof code === 'number' && code !== 0) {
    const message = holder[fields.message];
    const requestId =
      fields.requestId === undefined ? undefined : (body?.[fields.requestId] ?? holder[fields.requestId]);
    throw new TtpayApiError({
      request: res.request,
      status: res.status,
      attempts: res.attempts,
      platformCode: code,
      platformMessage: typeof message === 'string' ? message.slice(0, MAX_PLATFORM_MESSAGE) : '',
      ...(typeof requestId === 'string' && requestId !== '' ? { requestId } : {}),
    });
  }
  expectSuccessStatus(res);
  if (body === undefined || code !== 0)
    throw malformed(res, `answered without a numeric ${fields.code} of 0`);
  return body;
}

/** The body of a 2xx JSON answer from an API without result codes (the AlgoVoi gateway). */
export function decodeJsonObject(res: PlatformResponse): JsonObject {
  expectSuccessStatus(res);
  const body = parseJsonObject(res.body);
  if (body === undefined) throw malformed(res, 'answered with something other than a JSON object');
  return body;
}

export function malformed(res: PlatformResponse, what: string): TtpayClientError {
  return new TtpayClientError('MALFORMED_RESPONSE', `${describeRequest(res.request)} ${what}.`, {
    request: res.request,
    status: res.status,
    attempts: res.attempts,
  });
}

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function expectSuccessStatus(res: PlatformResponse): void {
  if (res.status < 200 || res.status >= 300) {
    throw new TtpayClientError(
      'HTTP_STATUS',
      `${describeRequest(res.request)} answered HTTP ${res.status}.`,
      {
        request: res.request,
        status: res.status,
        attempts: res.attempts,
      },
    );
  }
}

function parseJsonObject(text: string): JsonObject | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}
