import { TtpayError } from '@ttpay/core';
import { numberInRange } from '@ttpay/core/internal';

/** Input checks that run before anything is signed or sent; each throws `TtpayError` `INVALID_ARGUMENT`. */

export function invalid(message: string): TtpayError {
  return new TtpayError('INVALID_ARGUMENT', message);
}

export interface StringRule {
  /** Default 1. */
  minLength?: number;
  /** In UTF-16 code units (what `.length` says). */
  maxLength?: number;
  /** In Unicode characters (code points). */
  maxChars?: number;
  /** In UTF-8 bytes. */
  maxBytes?: number;
  pattern?: RegExp;
  /** Describes `pattern` in the message. */
  patternText?: string;
}

export function checkString(value: unknown, name: string, rule: StringRule = {}): string {
  if (typeof value !== 'string') throw invalid(`${name} must be a string.`);
  const min = rule.minLength ?? 1;
  if (value.length < min) throw invalid(min === 1 ? `${name} must not be empty.` : `${name} is too short.`);
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    throw invalid(`${name} must be at most ${rule.maxLength} characters (got ${value.length}).`);
  }
  if (rule.maxChars !== undefined) {
    const chars = [...value].length;
    if (chars > rule.maxChars)
      throw invalid(`${name} must be at most ${rule.maxChars} characters (got ${chars}).`);
  }
  if (rule.maxBytes !== undefined) {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > rule.maxBytes)
      throw invalid(`${name} must be at most ${rule.maxBytes} UTF-8 bytes (got ${bytes}).`);
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    throw invalid(`${name} must be ${rule.patternText ?? `match ${rule.pattern}`}.`);
  }
  return value;
}

export function checkOptionalString(value: unknown, name: string, rule: StringRule = {}): void {
  if (value !== undefined) checkString(value, name, rule);
}

export function checkInteger(value: unknown, name: string, min: number, max: number): number {
  return numberInRange(value, name, { min, max, whole: true });
}

export function checkOptionalInteger(value: unknown, name: string, min: number, max: number): void {
  if (value !== undefined) checkInteger(value, name, min, max);
}

export function checkOneOf<T extends string | number>(
  value: unknown,
  name: string,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) throw invalid(`${name} must be one of ${allowed.join(', ')}.`);
  return value as T;
}

/** An absolute https URL without user name or password. */
export function checkHttpsUrl(value: unknown, name: string, maxLength?: number): string {
  const text = checkString(value, name, maxLength === undefined ? {} : { maxLength });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`${name} must be an absolute https URL.`);
  }
  if (url.protocol !== 'https:') throw invalid(`${name} must use https.`);
  if (url.username !== '' || url.password !== '') throw invalid(`${name} must not contain credentials.`);
  return text;
}

export function checkOptionalHttpsUrl(value: unknown, name: string, maxLength?: number): void {
  if (value !== undefined) checkHttpsUrl(value, name, maxLength);
}

export function checkPlainObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${name} must be an object.`);
  }
  return value as Record<string, unknown>;
}

/**
 * A value JSON carries losslessly: strings, finite numbers, booleans, null, arrays and plain objects.
 * (`JSON.stringify` would turn `NaN` into `null` and a `Date` into a string, and the signature would
 * then cover something the caller never wrote.)
 */
export function checkJsonValue(value: unknown, name: string): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw invalid(`${name} must be a finite number.`);
      return;
    case 'object': {
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          checkJsonValue(item, `${name}[${i}]`);
        });
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw invalid(`${name} must be a plain object.`);
      for (const [key, item] of Object.entries(value)) checkJsonValue(item, `${name}.${key}`);
      return;
    }
  }
  throw invalid(`${name} is a ${typeof value}, which JSON cannot carry.`);
}
