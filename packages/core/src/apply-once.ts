import { TtpayError } from './errors.js';
import {
  type AtomicIdempotencyStore,
  type IdempotencyStore,
  isAtomicStore,
  isTransactionalStore,
  type Lease,
  type TransactionalIdempotencyStore,
} from './idempotency.js';

/** What became of a claimed key once its work ran: the one place that knows how to settle a claim. */
export type SettledClaim<R = unknown> =
  /**
   * The work finished (`result` is what it returned) and, with a transactional store, committed with the
   * done-record. `unrecorded`: a non-transactional store failed to record it done (the work is done all
   * the same).
   */
  | { readonly kind: 'handled'; readonly result: R; readonly unrecorded?: { readonly cause: unknown } }
  /** The work threw: rolled back (transactional), the claim given back. */
  | { readonly kind: 'handler-failed'; readonly cause: unknown; readonly releaseError?: unknown }
  /** Transactional: another claim holds the key now and applies the event; nothing was committed. */
  | { readonly kind: 'lease-lost'; readonly cause: unknown }
  /** Transactional: the commit failed or its outcome is unknown; the claim given back (a no-op if done). */
  | { readonly kind: 'store-failed'; readonly cause: unknown; readonly releaseError?: unknown };

/**
 * Runs `work` for a claim this caller holds, then settles the claim. With a `TransactionalIdempotencyStore`
 * the work runs inside the store's transaction (`tx`) and the done-record commits with it; with any other
 * store the work runs (`tx` undefined), then `complete`. A failed work — or a commit whose outcome is
 * unknown — gives the claim back, so the event can be delivered again. Never rejects.
 * `onWorkDone` is told the moment the work itself finished (before any commit or complete).
 */
export async function settleClaim<Tx, R>(
  store: IdempotencyStore | TransactionalIdempotencyStore<Tx>,
  lease: Lease,
  doneTtlMs: number,
  work: (tx: Tx | undefined) => R | PromiseLike<R>,
  onWorkDone?: (result: R) => void,
): Promise<SettledClaim<R>> {
  let workError: { cause: unknown } | undefined;
  const run = async (tx: Tx | undefined): Promise<R> => {
    let result: R;
    try {
      result = await work(tx);
    } catch (cause) {
      workError = { cause };
      throw cause;
    }
    onWorkDone?.(result);
    return result;
  };
  const giveBack = async (): Promise<{ releaseError?: unknown }> => {
    try {
      await store.release(lease);
      return {};
    } catch (releaseError) {
      return { releaseError };
    }
  };
  let result: R;
  try {
    if (isTransactionalStore(store)) {
      result = await (store as TransactionalIdempotencyStore<Tx>).completeWithin(lease, doneTtlMs, run);
      return { kind: 'handled', result };
    }
    result = await run(undefined);
  } catch (thrown) {
    if (workError) return { kind: 'handler-failed', cause: workError.cause, ...(await giveBack()) };
    if (thrown instanceof TtpayError && thrown.code === 'LEASE_LOST')
      return { kind: 'lease-lost', cause: thrown };
    return { kind: 'store-failed', cause: thrown, ...(await giveBack()) };
  }
  try {
    await store.complete(lease, doneTtlMs);
  } catch (cause) {
    return { kind: 'handled', result, unrecorded: { cause } };
  }
  return { kind: 'handled', result };
}

export interface ApplyOnceOptions {
  /** The lease: longer than the work can take. */
  leaseMs: number;
  /** How long the key is remembered as done. */
  doneTtlMs: number;
}

/**
 * Applies one event exactly once outside an HTTP delivery — a reconciliation job that learned of a
 * payment by asking the platform, say — through the same store and the same key as its callback would:
 * `'applied'` (the work ran now), `'done'` (already applied, by a callback or an earlier run) or
 * `'in-flight'` (someone is applying it right now). Throws when the work or the store failed (the claim
 * is given back first), so a job retries. With an `AtomicIdempotencyStore` it goes through `processOnce`:
 * claim, work and done-record in one transaction, no lease (`leaseMs` unused), nothing to give back.
 */
export async function applyOnce<Tx>(
  store: IdempotencyStore | TransactionalIdempotencyStore<Tx> | AtomicIdempotencyStore<Tx>,
  key: string,
  work: (tx: Tx | undefined) => unknown,
  options: ApplyOnceOptions,
): Promise<'applied' | 'done' | 'in-flight'> {
  if (isAtomicStore(store)) {
    const run = await (store as AtomicIdempotencyStore<Tx>).processOnce(
      key,
      options.doneTtlMs,
      async (tx) => {
        await work(tx);
      },
    );
    return run.status === 'processed' ? 'applied' : run.status;
  }
  const claim = await store.claim(key, options.leaseMs);
  if (claim.status !== 'claimed') return claim.status;
  const settled = await settleClaim(store, claim.lease, options.doneTtlMs, work);
  switch (settled.kind) {
    case 'handled':
      return 'applied';
    case 'lease-lost':
      return 'in-flight';
    case 'handler-failed':
    case 'store-failed':
      throw settled.cause;
  }
}
