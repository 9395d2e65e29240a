import type { CaseContext } from './case-context.js';

/** One named check of the contract. */
export interface ConformanceCase {
  /** The test's title: a sentence a store author can read in a report. */
  readonly name: string;
  /** Runs only when the options give `createUnavailableStore`. */
  readonly needsUnavailableStore?: boolean;
  run(ctx: CaseContext): Promise<void>;
}
