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
  if (conformanceCase.needsAtomic && !settings.atomic) {
    return 'no atomic probe given (the processOnce cases need `atomic`: how to write and count rows through its transaction)';
  }
  if (conformanceCase.needsDropConnection && !settings.atomic?.dropConnection) {
    return 'no atomic.dropConnection given (the crash case needs a way to end the connection a transaction runs on)';
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
