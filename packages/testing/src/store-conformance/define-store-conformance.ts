import type { IdempotencyStore } from '@ttpay/core/store';
import { ALL_CASES } from './all-cases.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';
import { runCase, skipReason } from './run-case.js';

type CaseFunction = () => Promise<void>;

/**
 * The part of a test framework the kit uses: vitest's, jest's and `node:test`'s `describe` and `it` all
 * fit. `it(name, fn, timeoutMs)`: vitest and jest take the third argument as the test's timeout,
 * `node:test` ignores it (it has no default timeout) — the kit bounds every case itself anyway.
 */
export interface TestFramework {
  describe(name: string, body: () => void): unknown;
  it: ((name: string, fn: CaseFunction, timeoutMs?: number) => unknown) & {
    /** Used, when there, to show the cases the options cannot run as skipped. */
    skip?: (name: string, fn: CaseFunction) => unknown;
  };
}

/** Room the framework's own timeout leaves the kit, so the kit's message is the one reported. */
const FRAMEWORK_MARGIN_MS = 5_000;

/**
 * Registers one test per case of the store contract with your framework, in a `describe` block:
 *
 *     defineStoreConformance({ describe, it }, { createStore: () => new MyStore(...) });
 *
 * Options are checked here, at once. Cases run one after another on fresh stores.
 */
export function defineStoreConformance<S extends IdempotencyStore>(
  framework: TestFramework,
  options: StoreConformanceOptions<S>,
): void {
  const settings = resolveOptions(options);
  const { describe, it } = framework;
  describe(`${settings.name} conforms to the IdempotencyStore contract`, () => {
    for (const conformanceCase of ALL_CASES) {
      if (skipReason(conformanceCase, settings) !== undefined) {
        it.skip?.(conformanceCase.name, async () => {});
        continue;
      }
      it(
        conformanceCase.name,
        () => runCase(conformanceCase, settings),
        settings.caseTimeoutMs + FRAMEWORK_MARGIN_MS,
      );
    }
  });
}
