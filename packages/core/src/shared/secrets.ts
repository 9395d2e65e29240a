import { nonEmptyString } from './option-checks.js';

// The signers and verifiers take their secrets through here; the checks themselves live in option-checks.ts.
export { secretList } from './option-checks.js';

export function requireSecret(secret: unknown, what: string): string {
  return nonEmptyString(secret, what);
}
