import { TtpayError } from '../errors.js';

/** Parses JSON that must be an object; anything else is MALFORMED_BODY (a 400, never a 500). */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TtpayError('MALFORMED_BODY', `${what} is not valid JSON.`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TtpayError('MALFORMED_BODY', `${what} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

export function requireString(obj: Record<string, unknown>, field: string, what: string): string {
  const value = obj[field];
  if (typeof value === 'string' && value.length > 0) return value;
  if (value === undefined || value === null || value === '') {
    throw new TtpayError('MISSING_FIELD', `${what} has no "${field}".`);
  }
  throw new TtpayError('MALFORMED_BODY', `${what}."${field}" must be a string, got ${typeof value}.`);
}

/** Strings, or integers the platform may send unquoted; returned as the decimal text. */
export function requireStringish(obj: Record<string, unknown>, field: string, what: string): string {
  const value = obj[field];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return requireString(obj, field, what);
}

export function requireInteger(obj: Record<string, unknown>, field: string, what: string): number {
  const value = obj[field];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (value === undefined || value === null) {
    throw new TtpayError('MISSING_FIELD', `${what} has no "${field}".`);
  }
  throw new TtpayError('MALFORMED_BODY', `${what}."${field}" must be an integer.`);
}

/** The first of `fields` that holds a non-empty string. */
export function firstString(obj: Record<string, unknown>, ...fields: string[]): string | undefined {
  for (const field of fields) {
    const value = obj[field];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}
