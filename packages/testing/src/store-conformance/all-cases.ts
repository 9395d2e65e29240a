import {
  atomicDroppedConnection,
  atomicInFlightThenDone,
  atomicOnceAmongConcurrent,
  atomicWorkErrorRollsBack,
} from './cases/atomic.js';
import { leasesCarryKeyAndFreshToken, manyKeysManyClaims, oneKeyManyClaims } from './cases/concurrency.js';
import {
  doneRecordExpires,
  doneRecordNeverShortened,
  releaseAfterCompleteKeepsDone,
} from './cases/done-records.js';
import { claimFailsClosed, completeAndReleaseFailClosed } from './cases/fail-closed.js';
import {
  allKeyShapesIndependent,
  caseAndNormalisationIndependent,
  eventKeysIndependent,
  longKeysIndependent,
  nulAndSurrogatesIndependent,
  symbolKeysIndependent,
} from './cases/key-shapes.js';
import {
  completeAfterExpiryRecordsDone,
  completedKeyIsDone,
  expiredLeaseIsClaimable,
  releasedKeyIsClaimable,
  staleCompleteRecordsDone,
  staleReleaseKeepsNewClaim,
} from './cases/leases.js';
import type { ConformanceCase } from './conformance-case.js';

/** Every case, in the order they run. */
export const ALL_CASES: readonly ConformanceCase[] = [
  oneKeyManyClaims,
  manyKeysManyClaims,
  leasesCarryKeyAndFreshToken,
  completedKeyIsDone,
  releasedKeyIsClaimable,
  expiredLeaseIsClaimable,
  staleReleaseKeepsNewClaim,
  staleCompleteRecordsDone,
  completeAfterExpiryRecordsDone,
  doneRecordNeverShortened,
  releaseAfterCompleteKeepsDone,
  doneRecordExpires,
  claimFailsClosed,
  completeAndReleaseFailClosed,
  eventKeysIndependent,
  caseAndNormalisationIndependent,
  nulAndSurrogatesIndependent,
  longKeysIndependent,
  symbolKeysIndependent,
  allKeyShapesIndependent,
  atomicInFlightThenDone,
  atomicOnceAmongConcurrent,
  atomicWorkErrorRollsBack,
  atomicDroppedConnection,
];

/** The name of every case, in order: what a report's `passed`, `failed` and `skipped` list. */
export const STORE_CONFORMANCE_CASES: readonly string[] = Object.freeze(ALL_CASES.map((c) => c.name));
