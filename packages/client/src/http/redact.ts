/** Query parameters whose values are harmless in errors and logs; every other value is redacted. */
const VISIBLE_QUERY_KEYS = new Set(['ids', 'app_key', 'timestamp', 'shop_cipher', 'grant_type']);

/**
 * `path?query` with secret-bearing values (`sign`, `access_token`, `app_secret`, `auth_code`,
 * `refresh_token`, anything unknown) replaced by `[redacted]`.
 */
export function redactPath(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return pathAndQuery;
  const params = new URLSearchParams(pathAndQuery.slice(q + 1));
  const parts: string[] = [];
  for (const [key, value] of params) {
    parts.push(`${key}=${VISIBLE_QUERY_KEYS.has(key) ? value : '[redacted]'}`);
  }
  return `${pathAndQuery.slice(0, q)}?${parts.join('&')}`;
}
