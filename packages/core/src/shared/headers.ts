import { TtpayError } from '../errors.js';

/**
 * Request headers as a server has them: Node's `req.headersDistinct` (an array per header), `req.headers`,
 * or `Object.fromEntries(request.headers)` of a Web `Request`. Names are matched case-insensitively.
 */
export type HeaderMap = Record<string, string | readonly string[] | undefined>;

/**
 * Reads one header case-insensitively; a repeated header is refused (which copy would we trust?).
 * Pass Node's `req.headersDistinct` (arrays for every header): `req.headers` joins or drops repeats
 * before they get here, which hides a duplicate.
 */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const found = rawHeader(headers, name);
  if (found === undefined) return undefined;
  if (typeof found === 'string') return found;
  if (found.length === 1) return found[0];
  if (found.length === 0) return undefined;
  throw new TtpayError('MALFORMED_HEADER', `The ${name} header is repeated.`);
}

/** The first value of a header (as Node keeps only the first Content-Type), for headers ttpay only reads. */
export function firstHeaderValue(headers: HeaderMap, name: string): string | undefined {
  const found = rawHeader(headers, name);
  return typeof found === 'string' ? found : found?.[0];
}

function rawHeader(headers: HeaderMap, name: string): string | readonly string[] | undefined {
  const lower = name.toLowerCase();
  const found = headers[lower] ?? headers[name];
  if (found !== undefined) return found;
  for (const k of Object.keys(headers)) {
    if (k.toLowerCase() === lower) return headers[k];
  }
  return undefined;
}
