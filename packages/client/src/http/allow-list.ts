import { isIP } from 'node:net';
import { TtpayClientError } from '../client-error.js';

/** Hosts ttpay talks to, each over https on the default port (docs/PROTOCOLS.md §1.1, §2, §3). */
export const ECPAY_ORIGINS = ['https://developer.toutiao.com', 'https://open-sandbox.douyin.com'] as const;
export const TRADE_ORIGINS = ['https://open.douyin.com'] as const;
// Only the documented hosts: the seed adapter's `-sg`/`-eu` variants are not (docs/PROTOCOLS.md §4).
export const TIKTOK_API_ORIGINS = ['https://open-api.tiktokglobalshop.com'] as const;
export const TIKTOK_AUTH_ORIGINS = ['https://auth.tiktok-shops.com'] as const;

/**
 * Checks a configured base URL against a fixed allow-list and returns its origin. Refuses http, other
 * hosts, IP literals, userinfo (`https://developer.toutiao.com@evil.example`), ports, paths and queries.
 */
export function allowListedOrigin<const T extends string>(
  input: string | undefined,
  allowed: readonly T[],
  what: string,
): T {
  const fallback = allowed[0];
  if (input === undefined) {
    if (fallback === undefined) throw new TypeError('empty allow-list');
    return fallback;
  }
  const url = parseHttpsUrl(input, what);
  const origin = url.origin as T;
  if (!allowed.includes(origin) || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      `${what} must be one of ${allowed.join(', ')} (got a URL for host "${url.host}"); nothing was sent.`,
    );
  }
  return origin;
}

export interface UserBase {
  /** `https://host[:port]` */
  origin: string;
  /** Path prefix without a trailing slash (`''` when none). */
  pathPrefix: string;
}

/**
 * A base URL the user configures (the AlgoVoi gateway): https, a DNS name (no IP literal, no
 * `localhost`), no userinfo, no query. It becomes the only host the client will call.
 */
export function userConfiguredBase(input: string, what: string): UserBase {
  const url = parseHttpsUrl(input, what);
  const host = url.hostname;
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0 || host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      `${what} must name a public DNS host, not an IP literal or a local name (got "${url.host}"); nothing was sent.`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TtpayClientError('HOST_NOT_ALLOWED', `${what} must not carry a query or fragment.`);
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

function parseHttpsUrl(input: unknown, what: string): URL {
  let url: URL | undefined;
  if (typeof input === 'string') {
    try {
      url = new URL(input);
    } catch {
      // reported below, without echoing the input (it may carry credentials)
    }
  }
  if (url === undefined) {
    throw new TtpayClientError('HOST_NOT_ALLOWED', `${what} is not an absolute URL; nothing was sent.`);
  }
  if (url.protocol !== 'https:') {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      `${what} must use https (got ${url.protocol.slice(0, -1)}); nothing was sent.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      `${what} must not contain a user name or password; nothing was sent.`,
    );
  }
  return url;
}
