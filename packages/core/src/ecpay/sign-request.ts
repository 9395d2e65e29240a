import { hash } from 'node:crypto';
import { TtpayError } from '../errors.js';
import { requireSecret } from '../shared/secrets.js';
import { compareUtf8 } from '../shared/utf8-order.js';
import { isPlainObject, renderGoValue } from './go-value.js';

/** Identity fields that take no part in the ecpay request signature (PROTOCOLS.md §1.2 step 1). */
export const ECPAY_UNSIGNED_KEYS: ReadonlySet<string> = new Set([
  'app_id',
  'thirdparty_id',
  'sign',
  'other_settle_params',
]);

/**
 * The ecpay (guaranteed payment) request signature: MD5 over the `&`-joined, byte-sorted VALUES plus the
 * SALT, byte-for-byte as the platform's Go demo computes it (PROTOCOLS.md §1.2). `0` is signed as `"0"`;
 * `""`, `"null"`, `null` and `undefined` are skipped.
 */
export function signEcpayRequest(params: Record<string, unknown>, salt: string): string {
  return hash('md5', ecpayRequestSigningString(params, salt), 'hex');
}

/** The exact string that {@link signEcpayRequest} hashes; exported for debugging a signature mismatch. */
export function ecpayRequestSigningString(params: Record<string, unknown>, salt: string): string {
  requireSecret(salt, 'salt');
  if (typeof params !== 'object' || params === null || !isPlainObject(params)) {
    // A Map, Date or class instance has no enumerable fields to sign: it would sign the salt alone.
    throw new TtpayError('INVALID_ARGUMENT', 'params must be a plain object of request fields.');
  }
  // Kept sorted (UTF-16 order) as values arrive: inserting into ~10 items beats collecting, then sorting
  // (about 7 % of the signature, measured against push + sort).
  const values = [salt];
  for (const key in params) {
    if (ECPAY_UNSIGNED_KEYS.has(key) || !Object.hasOwn(params, key)) continue;
    const value = signedValue(params[key], key);
    if (value === undefined) continue;
    let j = values.length - 1;
    while (j >= 0 && (values[j] as string) > value) {
      values[j + 1] = values[j] as string;
      j--;
    }
    values[j + 1] = value;
  }
  const joined = values.join('&');
  // UTF-16 order is byte order unless a surrogate is present, and a lone surrogate is U+FFFD in Go's
  // UTF-8: one scan covers both (PROTOCOLS.md §1.2 step 4); then redo it the slow, exact way.
  return SURROGATE.test(joined)
    ? values
        .map((v) => v.toWellFormed())
        .sort(compareUtf8)
        .join('&')
    : joined;
}

const SURROGATE = /[\ud800-\udfff]/;

/** One field's contribution to the signature, or undefined when the field is skipped. */
function signedValue(raw: unknown, key: string): string | undefined {
  // A top-level null/undefined is an absent optional field (JSON.stringify drops undefined; the
  // PHP demo renders null as ""), never Go's `<nil>`.
  if (raw === undefined || raw === null) return undefined;
  // An integer is its decimal digits: nothing to trim, unquote or skip.
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return String(raw);
  let value = goTrimSpace(typeof raw === 'string' ? raw : renderGoValue(raw, key));
  const n = value.length;
  if (n > 1 && value.charCodeAt(0) === 0x22 && value.charCodeAt(n - 1) === 0x22) {
    value = goTrimSpace(value.slice(1, -1));
  }
  return value === '' || value === 'null' ? undefined : value;
}

// Go's strings.TrimSpace: unicode.IsSpace — unlike String.prototype.trim it keeps U+FEFF and trims U+0085.
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

function isGoSpace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

export function goTrimSpace(value: string): string {
  const n = value.length;
  // Fast path: almost every value has no surrounding space.
  if (n === 0 || (!isGoSpace(value.charCodeAt(0)) && !isGoSpace(value.charCodeAt(n - 1)))) return value;
  return value.replace(GO_TRIM, '');
}
