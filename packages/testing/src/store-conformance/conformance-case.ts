import type { CaseContext } from './case-context.js';

/** One named check of the contract. */
export interface ConformanceCase {
  /** The test's title: a sentence a store author can read in a report. */
  readonly name: string;
  /** Runs only when the options give `createUnavailableStore`. */
  readonly needsUnavailableStore?: boolean;
  /** Runs only when the options give `atomic` (a store with `processOnce`). */
  readonly needsAtomic?: boolean;
  /** Runs only when `atomic.dropConnection` is given. */
  readonly needsDropConnection?: boolean;
  run(ctx: CaseContext): Promise<void>;
}
