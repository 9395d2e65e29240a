import type { IdempotencyStore } from '@ttpay/core/store';
import { ALL_CASES } from './all-cases.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';
import { runCase, skipReason } from './run-case.js';

/** What `runStoreConformance` found, case by case (names as in `STORE_CONFORMANCE_CASES`). */
export interface ConformanceReport {
  passed: string[];
  failed: { name: string; error: Error }[];
  /** Cases the options give no means to run (the fail-closed ones without `createUnavailableStore`). */
  skipped: { name: string; reason: string }[];
}

/**
 * Runs every case against the store, one after another, with no test framework, and reports each
 * outcome; it rejects only for invalid options. For a store you expect to fail, or any runner.
 */
export async function runStoreConformance<S extends IdempotencyStore>(
  options: StoreConformanceOptions<S>,
): Promise<ConformanceReport> {
  const settings = resolveOptions(options);
  const report: ConformanceReport = { passed: [], failed: [], skipped: [] };
  for (const conformanceCase of ALL_CASES) {
    const reason = skipReason(conformanceCase, settings);
    if (reason !== undefined) {
      report.skipped.push({ name: conformanceCase.name, reason });
      continue;
    }
    try {
      await runCase(conformanceCase, settings);
      report.passed.push(conformanceCase.name);
    } catch (error) {
      report.failed.push({ name: conformanceCase.name, error: asError(error) });
    }
  }
  return report;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
