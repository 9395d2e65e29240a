import { TtpayError } from '../../src/index.js';

/**
 * The stable code `fn` threw, `'NO_ERROR'` when it returned, or `not a TtpayError: <name>` when it
 * threw anything else (so a stray TypeError fails an expectation instead of reading as undefined).
 */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TtpayError) return e.code;
    return `not a TtpayError: ${(e as Error)?.name}`;
  }
  return 'NO_ERROR';
}
