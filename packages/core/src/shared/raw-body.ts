import { TtpayError } from '../errors.js';

export type RawBody = string | Uint8Array;

/**
 * Signatures cover the exact bytes the platform sent. A parsed object (or anything that is not the
 * raw bytes) would have to be re-serialised, which is precisely the bug ttpay exists to avoid.
 */
export function rawBodyToBuffer(rawBody: unknown, what = 'rawBody'): Buffer {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  if (rawBody instanceof Uint8Array) {
    return Buffer.isBuffer(rawBody)
      ? rawBody
      : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  }
  throw new TtpayError(
    'INVALID_ARGUMENT',
    `${what} must be the raw request body (string, Buffer or Uint8Array), got ${describe(rawBody)}: ` +
      'the payload was parsed before verification — pass the exact bytes received ' +
      '(e.g. capture them before any body parser runs).',
  );
}

export function rawBodyToString(rawBody: unknown, what = 'rawBody'): string {
  if (typeof rawBody === 'string') return rawBody;
  return utf8Text(rawBodyToBuffer(rawBody, what), what);
}

/**
 * Decodes UTF-8 strictly: `Buffer#toString` would silently turn invalid bytes into U+FFFD, so two
 * different byte strings could parse to the same JSON. The platforms send UTF-8 JSON only.
 */
export function utf8Text(bytes: Buffer, what: string): string {
  try {
    // One pass that validates and decodes (cheaper than isUtf8, then toString).
    return STRICT_UTF8.decode(bytes);
  } catch (cause) {
    throw new TtpayError('MALFORMED_BODY', `${what} is not valid UTF-8.`, { cause });
  }
}

// ignoreBOM: a leading U+FEFF is part of the text, as with Buffer#toString (and then not JSON).
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
