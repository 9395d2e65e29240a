import { createHmac } from 'node:crypto';
import { TtpayError } from '../errors.js';
import { type RawBody, rawBodyToBuffer } from '../shared/raw-body.js';
import { requireSecret } from '../shared/secrets.js';
import { compareUtf8 } from '../shared/utf8-order.js';

export type TikTokQuery = Record<string, string | number | undefined>;

export interface TikTokRequestToSign {
  /** The request path, e.g. `/order/202309/orders`. */
  path: string;
  /** Every query parameter sent; `sign` and `access_token` are left out of the signature. */
  query: TikTokQuery;
  /** The exact body bytes sent; omit for GET and for multipart uploads (which are not signed). */
  body?: RawBody;
}

const UNSIGNED_QUERY_KEYS = new Set(['sign', 'access_token']);

/**
 * TikTok Shop Open API signature (versions 202309+, PROTOCOLS.md §3): query params minus `sign` and
 * `access_token`, sorted by key, concatenated as `key+value`, prefixed with the path, followed by the raw
 * body, wrapped in the app secret; HMAC-SHA256 with the app secret, lowercase hex.
 */
export function signTikTokRequest(r: TikTokRequestToSign, appSecret: string): string {
  const secret = requireSecret(appSecret, 'appSecret');
  if (typeof r?.path !== 'string' || !r.path.startsWith('/')) {
    throw new TtpayError('INVALID_ARGUMENT', 'path must start with "/" (no host, no query).');
  }
  const query = r.query ?? {};
  const keys = Object.keys(query)
    .filter((k) => !UNSIGNED_QUERY_KEYS.has(k) && query[k] !== undefined)
    .sort(compareUtf8);
  const hmac = createHmac('sha256', secret).update(secret).update(r.path);
  for (const key of keys) {
    const value: unknown = query[key];
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new TtpayError('INVALID_ARGUMENT', `query.${key} must be a string or a finite number.`);
    }
    hmac.update(key).update(String(value));
  }
  if (r.body !== undefined) hmac.update(rawBodyToBuffer(r.body, 'body'));
  return hmac.update(secret).digest('hex');
}
