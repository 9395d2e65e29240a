import assert from 'node:assert/strict';
import type { AtomicIdempotencyStore, AtomicRun, Claim, IdempotencyStore, Lease } from '@ttpay/core/store';
import { printableKey } from './printable-key.js';
import { settleWithin } from './settle-within.js';

/**
 * The store as the cases call it: every call is awaited (sync or async stores alike), bounded by
 * `operationTimeoutMs`, its answer checked against the `Claim` shape, and any failure names the call.
 */
export interface StoreUnderTest {
  /** "store" or "peer": which instance a message is about. */
  readonly label: string;
  readonly store: IdempotencyStore;
  claim(key: string, leaseMs: number): Promise<Claim>;
  complete(lease: Lease, ttlMs: number): Promise<void>;
  release(lease: Lease): Promise<void>;
}

export function underTest(store: IdempotencyStore, label: string, timeoutMs: number): StoreUnderTest {
  const call = async <T>(what: string, run: () => T | Promise<T>): Promise<T> => {
    const outcome = await settleWithin(run, timeoutMs);
    if (outcome.kind === 'resolved') return outcome.value;
    if (outcome.kind === 'pending') {
      assert.fail(
        `${label}.${what} did not settle within ${timeoutMs} ms (operationTimeoutMs): a store call must answer or reject, or every delivery waits on it.`,
      );
    }
    const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    throw new assert.AssertionError({ message: `${label}.${what} rejected: ${reason}` });
  };
  return {
    label,
    store,
    async claim(key, leaseMs) {
      const what = `claim(${printableKey(key)}, ${leaseMs})`;
      return checkClaim(await call(what, () => store.claim(key, leaseMs)), `${label}.${what}`);
    },
    async complete(lease, ttlMs) {
      await call(`complete({key: ${printableKey(lease.key)}, token}, ${ttlMs})`, () =>
        store.complete(lease, ttlMs),
      );
    },
    async release(lease) {
      await call(`release({key: ${printableKey(lease.key)}, token})`, () => store.release(lease));
    },
  };
}

/** A claim must be one of the three shapes of `Claim`; a lease needs a non-empty string token. */
function checkClaim(claim: unknown, what: string): Claim {
  const shape =
    "a Claim is {status: 'claimed', lease: {key, token}}, {status: 'in-flight'} or {status: 'done'}";
  const status = (claim as { status?: unknown } | null)?.status;
  if (status === 'in-flight' || status === 'done') return claim as Claim;
  if (status !== 'claimed') assert.fail(`${what} answered ${render(claim)}: ${shape}.`);
  const lease = (claim as { lease?: unknown }).lease as { key?: unknown; token?: unknown } | undefined;
  if (typeof lease !== 'object' || lease === null || typeof lease.key !== 'string') {
    assert.fail(`${what} answered 'claimed' without a lease {key, token}: ${shape}.`);
  }
  if (typeof lease.token !== 'string' || lease.token === '') {
    assert.fail(
      `${what} answered 'claimed' with token ${render(lease.token)}: a lease token must be a non-empty string, fresh for each claim (newLeaseToken() from @ttpay/core makes one).`,
    );
  }
  return claim as Claim;
}

/** A store with `processOnce`, as the atomic cases call it. */
export interface AtomicUnderTest extends StoreUnderTest {
  /**
   * Calls `processOnce` and checks the answer's shape. Not bounded in time: a work can be held open on
   * purpose; the cases bound their own waits. A rejection is passed on as it is.
   */
  processOnce<R>(key: string, ttlMs: number, work: (tx: unknown) => Promise<R>): Promise<AtomicRun<R>>;
}

export function atomicUnderTest(base: StoreUnderTest): AtomicUnderTest {
  const store = base.store as AtomicIdempotencyStore<unknown>;
  return {
    ...base,
    async processOnce(key, ttlMs, work) {
      const what = `${base.label}.processOnce(${printableKey(key)}, ${ttlMs}, work)`;
      const run: unknown = await store.processOnce(key, ttlMs, work);
      const status = (run as { status?: unknown } | null)?.status;
      if (status === 'done' || status === 'in-flight') return run as AtomicRun<never>;
      if (status === 'processed' && 'result' in (run as object)) return run as AtomicRun<never>;
      assert.fail(
        `${what} answered ${render(run)}: processOnce answers {status: 'processed', result}, {status: 'in-flight'} or {status: 'done'}.`,
      );
    },
  };
}

function render(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
