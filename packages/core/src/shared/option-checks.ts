import { TtpayError } from '../errors.js';
import type { Lease } from '../idempotency.js';

/**
 * The option and argument checks every ttpay package runs once, at construction (and on each store
 * call's own arguments). Each throws `INVALID_ARGUMENT` as a `TtpayError`, or as the coded error class
 * the caller names (`RedisStoreError`, `PostgresStoreError`, …), so a store keeps its own error family.
 */
export type InvalidArgumentError = new (code: 'INVALID_ARGUMENT', message: string) => Error;

/** A check of a number option: the value when it passes, else `INVALID_ARGUMENT` naming what was expected. */
export type NumberCheck = (value: unknown, name: string, Invalid?: InvalidArgumentError) => number;

function numberCheck(passes: (n: number) => boolean, expected: string): NumberCheck {
  return (value, name, Invalid = TtpayError) => {
    if (typeof value !== 'number' || !passes(value)) {
      throw new Invalid('INVALID_ARGUMENT', `${name} must be ${expected} (got ${describe(value)}).`);
    }
    return value;
  };
}

/** A whole number from 1 (a byte limit, a capacity, a timeout in ms). */
export const positiveInteger = numberCheck((n) => Number.isSafeInteger(n) && n > 0, 'a positive integer');

/** A whole number from 0 (a retry count, a delay in ms). */
export const nonNegativeInteger = numberCheck(
  (n) => Number.isSafeInteger(n) && n >= 0,
  'a whole number, 0 or more',
);

/** A finite number of milliseconds above 0 (a lease, a ttl, a timeout). */
export const positiveMs = numberCheck(
  (n) => Number.isFinite(n) && n > 0,
  'a positive, finite number of milliseconds',
);

/** A finite number, 0 or more (a time scale, a delay). */
export const nonNegativeNumber = numberCheck(
  (n) => Number.isFinite(n) && n >= 0,
  'a finite number, 0 or more',
);

/** A finite number of seconds, 0 or more (a clock tolerance, a maximum age). */
export const nonNegativeSeconds = numberCheck(
  (n) => Number.isFinite(n) && n >= 0,
  'a number of seconds, 0 or more',
);

/** A number from `min` to `max` (a whole one with `whole`), e.g. "a number of milliseconds from 1 to 6000". */
export function numberInRange(
  value: unknown,
  name: string,
  range: { min: number; max: number; whole?: boolean; unit?: string },
  Invalid: InvalidArgumentError = TtpayError,
): number {
  const { min, max, whole = false, unit } = range;
  const kind = whole ? 'a whole number' : `a number${unit ? ` of ${unit}` : ''}`;
  const passes = (n: number) =>
    (whole ? Number.isSafeInteger(n) : Number.isFinite(n)) && n >= min && n <= max;
  return numberCheck(passes, `${kind} from ${min} to ${max}`)(value, name, Invalid);
}

/** `fallback` when the option is not set, else a positive integer. */
export function positiveIntegerOr(
  value: unknown,
  fallback: number,
  name: string,
  Invalid: InvalidArgumentError = TtpayError,
): number {
  return value === undefined ? fallback : positiveInteger(value, name, Invalid);
}

/** A string with at least one character (a URL, an app key, a store key). */
export function nonEmptyString(
  value: unknown,
  name: string,
  Invalid: InvalidArgumentError = TtpayError,
): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Invalid('INVALID_ARGUMENT', `${name} is missing or empty: it must be a non-empty string.`);
  }
  return value;
}

/**
 * A secret or a list of secrets (rotation: old and new both verify for a while), as a list. Empty
 * strings are dropped — an empty secret must never verify anything — and at least one must remain.
 */
export function secretList(
  value: unknown,
  name: string,
  Invalid: InvalidArgumentError = TtpayError,
): string[] {
  const list = (Array.isArray(value) ? value : [value]) as unknown[];
  const usable = list.filter((s): s is string => typeof s === 'string' && s.length > 0);
  if (usable.length === 0) {
    throw new Invalid(
      'INVALID_ARGUMENT',
      `${name} is missing or empty: configure at least one non-empty ${name}.`,
    );
  }
  return usable;
}

/** The token of the lease `claim()` returned, for a store's `complete`/`release` (`what`: "RedisStore: release"). */
export function leaseToken(
  lease: Lease | undefined,
  what: string,
  Invalid: InvalidArgumentError = TtpayError,
): string {
  const token = lease?.token;
  if (typeof token !== 'string' || token === '')
    throw new Invalid('INVALID_ARGUMENT', `${what} needs the lease claim() returned.`);
  return token;
}

function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? JSON.stringify(value) : `a ${typeof value}`;
}
