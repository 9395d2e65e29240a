import { sign, verify } from 'node:crypto';
import { TtpayError } from '../errors.js';
import { decodeCanonicalBase64 } from '../shared/base64.js';
import { type KeyLike, toPrivateKey, toPublicKey } from '../shared/key-like.js';
import { type RawBody, rawBodyToBuffer } from '../shared/raw-body.js';

export interface TradeRequest {
  method: string;
  /** Path and query, without host, starting with `/` (e.g. `/requestOrder`). */
  uri: string;
  /** Seconds since the epoch. */
  timestamp: string | number;
  nonce: string;
  /** The exact body bytes sent; empty for GET. */
  body?: string | Uint8Array;
}

export interface ByteAuthorizationParams extends TradeRequest {
  appId: string;
  keyVersion: string | number;
}

export interface ParsedByteAuthorization {
  scheme: string;
  appId: string;
  nonce: string;
  timestamp: string;
  keyVersion: string;
  signature: string;
}

export const BYTE_AUTHORIZATION_SCHEME = 'SHA256-RSA2048';

/** `METHOD\nURI\ntimestamp\nnonce\nbody\n` (PROTOCOLS.md §2). */
export function tradeRequestSigningBytes(r: TradeRequest): Buffer {
  const method = requireLine(r?.method, 'method').toUpperCase();
  const uri = requireLine(r.uri, 'uri');
  if (!uri.startsWith('/')) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      'uri must be the path (and query) without host, starting with "/".',
    );
  }
  const timestamp = requireLine(
    typeof r.timestamp === 'number' ? String(r.timestamp) : r.timestamp,
    'timestamp',
  );
  if (!/^\d+$/.test(timestamp)) throw new TtpayError('INVALID_ARGUMENT', 'timestamp must be whole seconds.');
  const nonce = requireLine(r.nonce, 'nonce');
  const body = r.body === undefined ? Buffer.alloc(0) : rawBodyToBuffer(r.body, 'body');
  return Buffer.concat([Buffer.from(`${method}\n${uri}\n${timestamp}\n${nonce}\n`), body, Buffer.from('\n')]);
}

/** Base64 RSASSA-PKCS1-v1_5 SHA-256 signature with the developer's (app) private key. */
export function signTradeRequest(r: TradeRequest, privateKey: KeyLike): string {
  return sign('sha256', tradeRequestSigningBytes(r), toPrivateKey(privateKey)).toString('base64');
}

/** The `Byte-Authorization` header value (also `byteAuthorization` for `tt.requestOrder`). */
export function buildByteAuthorization(r: ByteAuthorizationParams, privateKey: KeyLike): string {
  const appId = requireField(r?.appId, 'appId');
  const keyVersion = requireField(
    typeof r.keyVersion === 'number' && Number.isSafeInteger(r.keyVersion)
      ? String(r.keyVersion)
      : r.keyVersion,
    'keyVersion',
  );
  const signature = signTradeRequest(r, privateKey);
  return `${BYTE_AUTHORIZATION_SCHEME} appid=${appId},nonce_str=${r.nonce},timestamp=${r.timestamp},key_version=${keyVersion},signature=${signature}`;
}

/** Parses a `Byte-Authorization` value; values may be bare or quoted (some legacy APIs quote them). */
export function parseByteAuthorization(header: string): ParsedByteAuthorization {
  if (typeof header !== 'string' || header.trim() === '') {
    throw new TtpayError('MISSING_SIGNATURE', 'The Byte-Authorization header is missing.');
  }
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  if (space < 0) throw new TtpayError('MALFORMED_HEADER', 'Byte-Authorization must be "<scheme> k=v,k=v,…".');
  const scheme = trimmed.slice(0, space);
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    fields.set(part.slice(0, eq).trim(), value);
  }
  const get = (name: string): string => {
    const v = fields.get(name);
    if (!v) throw new TtpayError('MALFORMED_HEADER', `Byte-Authorization has no ${name}.`);
    return v;
  };
  return {
    scheme,
    appId: get('appid'),
    nonce: get('nonce_str'),
    timestamp: get('timestamp'),
    keyVersion: get('key_version'),
    signature: get('signature'),
  };
}

/**
 * Checks a `Byte-Authorization` header against the request it came with, with the developer's public
 * key(s) — what the platform does (the local simulator uses it). Returns the parsed header.
 */
export function verifyByteAuthorization(
  r: { method: string; uri: string; body?: RawBody; header: string | undefined },
  publicKey: KeyLike | readonly KeyLike[],
): ParsedByteAuthorization {
  const parsed = parseByteAuthorization(r.header ?? '');
  if (parsed.scheme !== BYTE_AUTHORIZATION_SCHEME) {
    throw new TtpayError(
      'MALFORMED_HEADER',
      `Byte-Authorization scheme must be ${BYTE_AUTHORIZATION_SCHEME}.`,
    );
  }
  const data = tradeRequestSigningBytes({
    method: r.method,
    uri: r.uri,
    timestamp: parsed.timestamp,
    nonce: parsed.nonce,
    ...(r.body === undefined ? {} : { body: r.body }),
  });
  const signature = decodeCanonicalBase64(parsed.signature);
  const keys = (Array.isArray(publicKey) ? publicKey : [publicKey]) as KeyLike[];
  if (!signature || !keys.some((k) => verify('sha256', data, toPublicKey(k), signature))) {
    throw new TtpayError('SIGNATURE_MISMATCH', 'The Byte-Authorization signature does not match.');
  }
  return parsed;
}

function requireLine(value: unknown, name: string): string {
  const v = requireField(value, name);
  if (v.includes('\n')) throw new TtpayError('INVALID_ARGUMENT', `${name} must not contain a newline.`);
  return v;
}

function requireField(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new TtpayError('INVALID_ARGUMENT', `${name} must be a non-empty string.`);
  }
  return value;
}
