import assert from 'node:assert/strict';
import { CaseContext } from './case-context.js';
import type { ConformanceCase } from './conformance-case.js';
import type { ConformanceSettings } from './options.js';
import { settleWithin } from './settle-within.js';

/** Why a case does not run with these settings, or undefined when it does. */
export function skipReason(
  conformanceCase: ConformanceCase,
  settings: ConformanceSettings,
): string | undefined {
  if (conformanceCase.needsUnavailableStore && !settings.createUnavailableStore) {
    return 'no createUnavailableStore given (the fail-closed cases need a store whose backend does not answer)';
  }
  return undefined;
}

/**
 * Runs one case on its own stores within `caseTimeoutMs`, then closes them. Rejects with the case's
 * failure, or with the close failure when the case itself passed.
 */
export async function runCase(
  conformanceCase: ConformanceCase,
  settings: ConformanceSettings,
): Promise<void> {
  const ctx = new CaseContext(settings);
  let closeFailure: Error | undefined;
  try {
    const outcome = await settleWithin(() => conformanceCase.run(ctx), settings.caseTimeoutMs);
    if (outcome.kind === 'rejected') throw outcome.error;
    if (outcome.kind === 'pending') {
      assert.fail(`the case did not finish within ${settings.caseTimeoutMs} ms (caseTimeoutMs).`);
    }
  } finally {
    closeFailure = await ctx.close();
  }
  if (closeFailure) throw closeFailure;
}
