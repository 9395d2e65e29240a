import { firstHeaderValue, type HeaderMap } from '../shared/headers.js';
import { DeliveryError } from './delivery-error.js';
import type { Delivery } from './types.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What the platforms send, lower-cased: accepted as is, without parsing the header. */
const PLAIN_JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);

/** The body, read once: its exact bytes and the JSON object parsed from them. */
export interface JsonBody {
  readonly raw: Buffer;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/**
 * Platforms post UTF-8 JSON. Anything else is 415 before a byte is read: another charset would make
 * the text a parser keeps differ from the bytes that were signed.
 */
export function assertJsonRequest(headers: HeaderMap): void {
  const header = firstHeaderValue(headers, 'content-type') ?? '';
  if (PLAIN_JSON_TYPES.has(header.toLowerCase())) return;
  const [type = '', ...params] = header.split(';');
  const mime = type.trim().toLowerCase();
  if (mime !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(mime)) {
    throw new DeliveryError(
      'UNSUPPORTED_MEDIA_TYPE',
      header
        ? `Content-Type "${mime}" is not JSON.`
        : 'The request has no Content-Type; expected application/json.',
    );
  }
  const charset = charsetOf(params);
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DeliveryError(
      'UNSUPPORTED_MEDIA_TYPE',
      `charset "${charset}" is not accepted; expected utf-8.`,
    );
  }
}

/** The `charset` parameter, lower-cased (RFC 9110 §8.3.1: case-insensitive, optionally quoted); '' if none. */
function charsetOf(params: readonly string[]): string {
  for (const param of params) {
    const at = param.indexOf('=');
    if (at < 0 || param.slice(0, at).trim().toLowerCase() !== 'charset') continue;
    return param
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return '';
}

/**
 * Reads the body (checking `Content-Encoding` and a declared `Content-Length` first when it comes from
 * the wire), decodes it as strict UTF-8 and parses it: empty, not UTF-8, not JSON or not a JSON object
 * is MALFORMED_BODY (400); over `limit` is BODY_TOO_LARGE (413).
 */
export async function readJsonBody(
  delivery: Delivery<unknown>,
  limit: number,
  onRead: (raw: Buffer) => void,
): Promise<JsonBody> {
  const raw = toBuffer(await readBytes(delivery, limit));
  if (raw.length > limit) throw tooLarge(limit);
  onRead(raw);
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch (cause) {
    throw new DeliveryError('MALFORMED_BODY', 'The body is not valid UTF-8.', { cause });
  }
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
  return { raw, text, json: value as Record<string, unknown> };
}

async function readBytes(delivery: Delivery<unknown>, limit: number): Promise<Uint8Array> {
  const { body, headers } = delivery;
  if (typeof body !== 'function') return body;
  const encoding = (firstHeaderValue(headers, 'content-encoding') || 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    throw new DeliveryError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding "${encoding}" is not accepted: platforms send webhooks uncompressed.`,
    );
  }
  const declared = Number(firstHeaderValue(headers, 'content-length'));
  if (Number.isSafeInteger(declared) && declared > limit) throw tooLarge(limit);
  return body(limit);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function tooLarge(limit: number): DeliveryError {
  return new DeliveryError('BODY_TOO_LARGE', `The body is larger than the ${limit}-byte limit.`);
}
