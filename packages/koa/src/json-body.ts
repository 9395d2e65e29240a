import type { Context } from 'koa';
import { DeliveryError } from './errors.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What the platforms send, lower-cased: accepted as is, without parsing the header. */
const PLAIN_JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);

/**
 * Platforms post UTF-8 JSON. Anything else is 415 before a byte is read: another charset would make
 * the text a parser keeps differ from the bytes that were signed.
 */
export function assertJsonRequest(ctx: Context): void {
  const header = ctx.req.headers['content-type'] ?? '';
  if (PLAIN_JSON_TYPES.has(header.toLowerCase())) return;
  const mime = (header.split(';')[0] ?? '').trim().toLowerCase();
  if (mime !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mime)) {
    throw new DeliveryError(
      'UNSUPPORTED_MEDIA_TYPE',
      header
        ? `Content-Type "${mime}" is not JSON.`
        : 'The request has no Content-Type; expected application/json.',
    );
  }
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DeliveryError(
      'UNSUPPORTED_MEDIA_TYPE',
      `charset "${charset}" is not accepted; expected utf-8.`,
    );
  }
}

/** The body as text: invalid UTF-8 is MALFORMED_BODY (400). */
export function decodeUtf8Body(raw: Buffer): string {
  try {
    return UTF8.decode(raw);
  } catch (cause) {
    throw new DeliveryError('MALFORMED_BODY', 'The body is not valid UTF-8.', { cause });
  }
}

/** The body text as a JSON object: empty, invalid JSON or a non-object is MALFORMED_BODY (400). */
export function parseJsonObjectBody(text: string): Record<string, unknown> {
  if (text.length === 0) throw new DeliveryError('MALFORMED_BODY', 'The body is empty.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new DeliveryError('MALFORMED_BODY', 'The body is not valid JSON.', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeliveryError('MALFORMED_BODY', 'The body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
