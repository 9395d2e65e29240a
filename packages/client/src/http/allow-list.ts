import { isIP } from 'node:net';
import { TtpayClientError } from '../client-error.js';

/** Hosts ttpay talks to, each over https on the default port (docs/PROTOCOLS.md §1.1, §2, §3). */
export const ECPAY_ORIGINS = ['https://developer.toutiao.com', 'https://open-sandbox.douyin.com'] as const;
export const TRADE_ORIGINS = ['https://open.douyin.com'] as const;
// Only the documented hosts: the seed adapter's `-sg`/`-eu` variants are not (docs/PROTOCOLS.md §4).
export const TIKTOK_API_ORIGINS = ['https://open-api.tiktokglobalshop.com'] as const;
export const TIKTOK_AUTH_ORIGINS = ['https://auth.tiktok-shops.com'] as const;

/**
 * Checks a configured base URL against a fixed allow-list and returns the allow-listed origin. The host
 * is compared normalised (lower case, without the trailing dot of a fully qualified name). Refuses http,
 * other hosts, IP literals, userinfo (`https://developer.toutiao.com@evil.example`), ports, paths and
 * queries.
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
  const host = normaliseHost(url.hostname);
  const origin = allowed.find((o) => o === `https://${host}`);
  if (
    origin === undefined ||
    url.port !== '' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
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
 * Names that never belong to a public gateway: special-use and private-use names (RFC 6761 `localhost`,
 * RFC 6762 `local`, ICANN's `internal` — `metadata.google.internal` —, `arpa` incl. RFC 8375
 * `home.arpa`, and the `localdomain`, `lan`, `intranet`, `corp`, `home` of many private networks).
 * Any other name that resolves to such an address is refused when connecting (connect-time-address-check.ts).
 */
const LOCAL_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'arpa',
  'localdomain',
  'lan',
  'intranet',
  'corp',
  'home',
];

/**
 * A base URL the user configures (the AlgoVoi gateway): https on port 443, a public DNS name (no IP
 * literal, no `localhost` or other local name, compared in lower case and without a trailing dot), no
 * userinfo, no query. It becomes the only host the client will call; the address it resolves to is
 * checked again on every connection.
 */
export function userConfiguredBase(input: string, what: string): UserBase {
  const url = parseHttpsUrl(input, what);
  const host = normaliseHost(url.hostname);
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const labels = host.split('.');
  const suffix = labels.at(-1) ?? '';
  if (
    isIP(bare) !== 0 ||
    labels.length < 2 ||
    labels.some((label) => label === '') ||
    LOCAL_SUFFIXES.includes(suffix)
  ) {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      `${what} must name a public DNS host, not an IP literal or a local name (got "${url.host}"); nothing was sent.`,
    );
  }
  if (url.port !== '') {
    throw new TtpayClientError(
      'HOST_NOT_ALLOWED',
      `${what} must use the https port 443 (got port ${url.port}); nothing was sent.`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TtpayClientError('HOST_NOT_ALLOWED', `${what} must not carry a query or fragment.`);
  }
  return { origin: `https://${host}`, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

/**
 * A host name as compared: lower case (the URL parser already lowers ASCII and punycodes the rest) and
 * without the one trailing dot of a fully qualified name — `localhost.` is `localhost`, and
 * `developer.toutiao.com.` is `developer.toutiao.com`.
 */
export function normaliseHost(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
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
