import { TtpayError } from '../errors.js';

/** Request headers as Node gives them: `req.headersDistinct` (arrays) or `req.headers`. */
export type HeaderMap = Record<string, string | readonly string[] | undefined>;

/**
 * Reads one header case-insensitively; a repeated header is refused (which copy would we trust?).
 * Pass Node's `req.headersDistinct` (arrays for every header): `req.headers` joins or drops repeats
 * before they get here, which hides a duplicate.
 */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | readonly string[] | undefined = headers[lower] ?? headers[name];
  if (found === undefined) {
    for (const k of Object.keys(headers)) {
      if (k.toLowerCase() === lower) {
        found = headers[k];
        break;
      }
    }
  }
  if (found === undefined) return undefined;
  if (typeof found === 'string') return found;
  if (found.length === 1) return found[0];
  if (found.length === 0) return undefined;
  throw new TtpayError('MALFORMED_HEADER', `The ${name} header is repeated.`);
}
