import { notifyUrlProblem } from './notify-url.js';

/** Returns why `value` breaks the rule, or undefined when it is fine. */
export type FieldRule = (value: unknown, field: string) => string | undefined;

/** Absent (`undefined`, `null` or `""`) is an error; anything else must pass `rule`. */
export function required(rule: FieldRule): FieldRule {
  return (value, field) =>
    value === undefined || value === null || value === '' ? `${field} is required` : rule(value, field);
}

/** Absent (`undefined` or `null`) is fine; anything else must pass `rule`. */
export function optional(rule: FieldRule): FieldRule {
  return (value, field) => (value === undefined || value === null ? undefined : rule(value, field));
}

/** The first problem of `params` against `rules`, in the rules' order. */
export function firstProblem(
  params: Record<string, unknown>,
  rules: Record<string, FieldRule>,
): string | undefined {
  for (const [field, rule] of Object.entries(rules)) {
    const problem = rule(params[field], field);
    if (problem) return problem;
  }
  return undefined;
}

/** Developer-side numbers (`out_order_no`, `out_refund_no`, …): ≤64, `[A-Za-z0-9_*-]` (docs/PROTOCOLS.md §1.1). */
export const outNo: FieldRule = (value, field) => {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.length > 64) return `${field} must be at most 64 characters`;
  if (!/^[A-Za-z0-9_*-]+$/.test(value)) return `${field} may contain only letters, digits, "_", "-" and "*"`;
  return undefined;
};

/** An integer amount in fen (never a string, never a float: the platform unmarshals into int64). */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): FieldRule {
  return (value, field) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${field} must be an integer`;
    if (value < min || value > max) return `${field} must be between ${min} and ${max}`;
    return undefined;
  };
}

/** A string of at most `maxBytes` UTF-8 bytes and, when given, `maxChars` characters. */
export function text(maxBytes = Number.POSITIVE_INFINITY, maxChars = Number.POSITIVE_INFINITY): FieldRule {
  return (value, field) => {
    if (typeof value !== 'string') return `${field} must be a string`;
    if (Buffer.byteLength(value) > maxBytes) return `${field} must be at most ${maxBytes} bytes (UTF-8)`;
    if ([...value].length > maxChars) return `${field} must be at most ${maxChars} characters`;
    return undefined;
  };
}

export function oneOf(allowed: readonly unknown[]): FieldRule {
  return (value, field) =>
    allowed.includes(value)
      ? undefined
      : `${field} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
}

/** A callback URL: https, or http to a loopback host (see notify-url.ts). */
export function callbackUrl(maxBytes: number): FieldRule {
  return (value, field) => notifyUrlProblem(value, field, maxBytes);
}

export const stringList: FieldRule = (value, field) =>
  Array.isArray(value) && value.every((v) => typeof v === 'string')
    ? undefined
    : `${field} must be a list of strings`;

/** A non-empty list of objects, each checked against `rules`. */
export function listOf(rules: Record<string, FieldRule>): FieldRule {
  return (value, field) => {
    if (!Array.isArray(value) || value.length === 0) return `${field} must be a non-empty list`;
    for (const [i, item] of value.entries()) {
      if (typeof item !== 'object' || item === null) return `${field}[${i}] must be an object`;
      const problem = firstProblem(item as Record<string, unknown>, rules);
      if (problem) return `${field}[${i}].${problem}`;
    }
    return undefined;
  };
}

export const plainObject: FieldRule = (value, field) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? undefined
    : `${field} must be an object`;

/** An object whose fields are checked against `rules`. */
export function objectOf(rules: Record<string, FieldRule>): FieldRule {
  return (value, field) => {
    const notObject = plainObject(value, field);
    if (notObject) return notObject;
    const problem = firstProblem(value as Record<string, unknown>, rules);
    return problem && `${field}.${problem}`;
  };
}

/**
 * ecpay/trade `settle_params`: a JSON *string* of `[{merchant_uid, amount}]` (docs/PROTOCOLS.md §1.1). A client
 * that sends the array itself (not its JSON text) gets an error here, as from the platform.
 */
export const settleParams: FieldRule = (value, field) => {
  if (typeof value !== 'string')
    return `${field} must be a JSON string (of [{merchant_uid, amount}]), not ${typeof value}`;
  const parsed = parseSettleParams(value);
  return parsed ? undefined : `${field} must be the JSON text of a non-empty [{merchant_uid, amount}] list`;
};

/** What `settle_params` pays to other merchants in total; 0 when absent or invalid. */
export function settleParamsTotal(value: unknown): number {
  const split = typeof value === 'string' ? parseSettleParams(value) : undefined;
  return split?.reduce((sum, s) => sum + s.amount, 0) ?? 0;
}

export function parseSettleParams(value: string): { merchant_uid: string; amount: number }[] | undefined {
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: { merchant_uid: string; amount: number }[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { merchant_uid, amount } = item as Record<string, unknown>;
    if (typeof merchant_uid !== 'string' || merchant_uid === '') return undefined;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1) return undefined;
    out.push({ merchant_uid, amount });
  }
  return out;
}

/** An optional string field as stored: the string, or "" when absent. */
export const stringOrEmpty = (v: unknown): string => (typeof v === 'string' ? v : '');
/** An optional string field as passed on: the string, or undefined when absent. */
export const stringOrUndefined = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
