import type { AtomicIdempotencyStore } from '@ttpay/core';

/** What became of a delivery on the atomic path: the one place that reads `processOnce`'s answers. */
export type AtomicSettlement =
  /** Claimed, handled, and committed with the key's done-record: acknowledge. */
  | { readonly kind: 'handled' }
  /** Not run: handled already (`done`: acknowledge) or held by a transaction right now (retry later). */
  | { readonly kind: 'duplicate'; readonly state: 'done' | 'in-flight' }
  /** The handler threw: rolled back, the key is free again. */
  | { readonly kind: 'handler-failed'; readonly cause: unknown }
  /** The store failed — before the claim (`claimed` false) or at the commit (its outcome unknown). */
  | { readonly kind: 'store-failed'; readonly cause: unknown; readonly claimed: boolean };

/**
 * Runs `handler` for `key` through `store.processOnce`: claim, handler and done-record in one transaction,
 * no lease (a crashed instance's claim dies with its connection), nothing to release. `progress.claimed`
 * turns true the moment the key is held, so a caller racing a deadline knows whether the handler may be
 * running. Never rejects.
 *
 * Kept apart from the lease path (`settleClaim` in @ttpay/core) so that the delivery engine replacing
 * `process-delivery.ts` can take it as it is.
 */
export async function processAtomically<Tx>(
  store: AtomicIdempotencyStore<Tx>,
  key: string,
  doneTtlMs: number,
  handler: (tx: Tx) => Promise<void>,
  progress: { claimed: boolean },
): Promise<AtomicSettlement> {
  let handlerError: { cause: unknown } | undefined;
  try {
    const run = await store.processOnce(
      key,
      doneTtlMs,
      async (tx) => {
        try {
          await handler(tx);
        } catch (cause) {
          handlerError = { cause };
          throw cause;
        }
      },
      () => {
        progress.claimed = true;
      },
    );
    return run.status === 'processed' ? { kind: 'handled' } : { kind: 'duplicate', state: run.status };
  } catch (thrown) {
    if (handlerError && thrown === handlerError.cause) return { kind: 'handler-failed', cause: thrown };
    return { kind: 'store-failed', cause: thrown, claimed: progress.claimed };
  }
}
