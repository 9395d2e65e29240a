import { signTradeCallback, type TtpayLogger } from '@ttpay/core';
import { demoCredentials, type SignedDelivery } from '@ttpay/testing';
import type Koa from 'koa';
import request from 'supertest';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string;
}

/** A logger that keeps every record, for assertions (and keeps test output quiet). */
export function captureLogger(): TtpayLogger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (obj: Record<string, unknown>, msg: string): void => {
      records.push({ level, obj, msg });
    };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
export const douyinFailure = (status: number, code: string): string =>
  JSON.stringify({ err_no: status, err_tips: code });
/** A TikTok/AlgoVoi refusal's body: empty for a 401 (TikTok's configuration guide), `{"error": code}` otherwise. */
export const webhookFailure = (code: string): string =>
  ['MISSING_SIGNATURE', 'SIGNATURE_MISMATCH', 'TIMESTAMP_OUT_OF_RANGE'].includes(code)
    ? ''
    : JSON.stringify({ error: code });

/**
 * Posts a delivery's exact bytes and headers. The identity serializer matters: given a Buffer and a JSON
 * content type, superagent would otherwise send `JSON.stringify(buffer)`.
 */
export function post(app: Pick<Koa, 'callback'>, path: string, d: RawRequest): request.Test {
  return request(app.callback())
    .post(path)
    .set(d.headers)
    .serialize((body) => body)
    .send(d.body);
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A request to send: exact body bytes and headers (a repeated header is an array). */
export interface RawRequest {
  body: Buffer;
  headers: Record<string, string | string[]>;
}

/** Flips the low bit of the digit right after `marker`: the JSON stays valid, the signed bytes do not. */
export function tamperDigit<T extends Pick<SignedDelivery, 'body' | 'rawBody'>>(d: T, marker: string): T {
  const at = d.rawBody.indexOf(marker) + marker.length;
  const byte = d.body[at];
  if (d.rawBody.indexOf(marker) < 0 || byte === undefined || byte < 0x30 || byte > 0x39) {
    throw new Error(`tamperDigit: no digit after ${marker}`);
  }
  const body = Buffer.from(d.body);
  body[at] = byte ^ 0x01;
  return { ...d, body, rawBody: body.toString('utf8') };
}

/** A JSON request with the given bytes and extra headers. */
export function jsonRequest(
  body: string | Buffer,
  headers: Record<string, string | string[]> = {},
): RawRequest {
  return {
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    headers: { 'content-type': 'application/json', ...headers },
  };
}

/** A trade-system callback signed over exactly `body` (for bodies the fixtures do not build). */
export function signedTradeBody(body: string, timestamp = Math.floor(Date.now() / 1000)): RawRequest {
  const nonce = 'n0nce';
  const signature = signTradeCallback(
    { timestamp: String(timestamp), nonce, rawBody: body },
    demoCredentials.douyin.platformPrivateKey,
  );
  return jsonRequest(body, {
    'byte-timestamp': String(timestamp),
    'byte-nonce-str': nonce,
    'byte-signature': signature,
  });
}
