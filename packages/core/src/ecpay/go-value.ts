import { TtpayError } from '../errors.js';
import { compareUtf8 } from '../shared/utf8-order.js';

/**
 * Renders a value the way Go's `fmt.Sprintf("%v", v)` renders what `json.Unmarshal` produced, which is
 * what the platform's Go signing demo feeds into the signature (PROTOCOLS.md §1.2):
 * strings as they are, integers as decimal, booleans as `true`/`false`, objects as
 * `map[k1:v1 k2:v2]` with keys in byte order, arrays as `[a b c]`, nested `null` as `<nil>`.
 */
export function renderGoValue(value: unknown, path: string): string {
  return render(value, path, 0);
}

/** Deeper than any request body the platform documents; also ends a cyclic structure. */
const MAX_DEPTH = 32;

function render(value: unknown, path: string, depth: number): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return renderNumber(value, path);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return '<nil>';
      if (depth >= MAX_DEPTH) {
        throw new TtpayError(
          'INVALID_ARGUMENT',
          `${path.slice(0, 80)}… is nested more than ${MAX_DEPTH} levels deep (or is cyclic).`,
        );
      }
      if (Array.isArray(value)) return renderArray(value, path, depth + 1);
      if (isPlainObject(value)) return renderMap(value, path, depth + 1);
      break;
    case 'undefined':
      return '<nil>';
  }
  throw new TtpayError(
    'INVALID_ARGUMENT',
    `${path} is ${describe(value)}, which a JSON request body cannot carry: pass strings, numbers, booleans, plain objects or arrays.`,
  );
}

function renderArray(items: readonly unknown[], path: string, depth: number): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ' ';
    out += render(items[i], `${path}[${i}]`, depth);
  }
  return `${out}]`;
}

function renderMap(map: Record<string, unknown>, path: string, depth: number): string {
  // Go's fmt prints map keys sorted; keys are byte-compared, which for JS strings is code point order.
  const keys = Object.keys(map)
    .filter((k) => map[k] !== undefined) // JSON.stringify drops undefined properties: they never reach the wire
    .sort(compareUtf8);
  let out = 'map[';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) out += ' ';
    out += `${key}:${render(map[key], `${path}.${key}`, depth)}`;
  }
  return `${out}]`;
}

function renderNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      `${path} is ${value}: amounts and counts must be finite numbers.`,
    );
  }
  // Amounts are integer fen: render as the decimal the JSON body carries (not Go's float64 `1e+06`).
  if (Number.isInteger(value)) {
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  // Non-integers follow Go's %v for float64 (shortest %g, exponent form below 1e-4).
  const [mantissa, exp] = value.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4) {
    const sign = e < 0 ? '-' : '+';
    const digits = String(Math.abs(e)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

export function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null)
    return `a ${value.constructor?.name ?? 'non-plain'} object`;
  return `a ${typeof value}`;
}
