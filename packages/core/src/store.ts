/**
 * `@ttpay/core/store`: the idempotency-store contract — the persistence hook behind de-duplication — and
 * what a store's author needs to implement it: the types (`IdempotencyStore`, and the transactional and
 * atomic variants), the codes a store's errors carry, `newLeaseToken()` for each claim and `storableKey()`
 * for a backend that keeps keys as text. Check a store with `@ttpay/testing/store-conformance`. Covered by
 * semver like `@ttpay/core`.
 */
export type {
  AtomicIdempotencyStore,
  AtomicRun,
  Claim,
  IdempotencyStore,
  Lease,
  StoreErrorCode,
  TransactionalIdempotencyStore,
} from './idempotency.js';
export { newLeaseToken, storableKey } from './idempotency.js';
