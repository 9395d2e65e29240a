import { TtpayError } from '../errors.js';

/**
 * Normalises a secret or a list of secrets (rotation: old and new both verify for a while).
 * Empty strings are dropped: an empty secret must never verify anything.
 */
export function secretList(secret: string | readonly string[] | undefined, what: string): string[] {
  const list = (Array.isArray(secret) ? secret : [secret]) as unknown[];
  const usable = list.filter((s): s is string => typeof s === 'string' && s.length > 0);
  if (usable.length === 0) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      `${what} is missing or empty: configure at least one non-empty ${what}.`,
    );
  }
  return usable;
}

export function requireSecret(secret: unknown, what: string): string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TtpayError('INVALID_ARGUMENT', `${what} is missing or empty.`);
  }
  return secret;
}
