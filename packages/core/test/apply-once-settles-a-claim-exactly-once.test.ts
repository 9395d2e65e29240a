import { describe, expect, it } from 'vitest';
import { applyOnce, TtpayError } from '../src/index.js';
import {
  type AtomicIdempotencyStore,
  type AtomicRun,
  type Claim,
  type IdempotencyStore,
  type Lease,
  newLeaseToken,
  type TransactionalIdempotencyStore,
} from '../src/store.js';

/** A small contract-keeping store: enough to watch applyOnce claim, complete and release. */
class TinyStore implements IdempotencyStore {
  readonly held = new Map<string, string>();
  readonly done = new Set<string>();
  readonly calls: string[] = [];
  claim(key: string): Claim {
    this.calls.push(`claim ${key}`);
    if (this.done.has(key)) return { status: 'done' };
    if (this.held.has(key)) return { status: 'in-flight' };
    const token = newLeaseToken();
    this.held.set(key, token);
    return { status: 'claimed', lease: { key, token } };
  }
  complete(lease: Lease): void {
    this.calls.push(`complete ${lease.key}`);
    this.held.delete(lease.key);
    this.done.add(lease.key);
  }
  release(lease: Lease): void {
    this.calls.push(`release ${lease.key}`);
    if (this.held.get(lease.key) === lease.token) this.held.delete(lease.key);
  }
}

/** Transactional: staged rows commit with the done-record. */
class TinyTxStore extends TinyStore implements TransactionalIdempotencyStore<string[]> {
  readonly rows: string[] = [];
  loseLease = false;
  async completeWithin<R>(lease: Lease, _ttl: number, work: (tx: string[]) => Promise<R>): Promise<R> {
    const staged: string[] = [];
    const result = await work(staged);
    if (this.loseLease) throw new TtpayError('LEASE_LOST', 'taken over');
    this.rows.push(...staged);
    this.complete(lease);
    return result;
  }
}

/** Atomic: processOnce claims, runs and records in one go; the lease path must stay unused. */
class TinyAtomicStore extends TinyStore implements AtomicIdempotencyStore<string[]> {
  readonly rows: string[] = [];
  readonly running = new Set<string>();
  readonly ttls: number[] = [];
  async processOnce<R>(
    key: string,
    ttlMs: number,
    work: (tx: string[]) => Promise<R>,
  ): Promise<AtomicRun<R>> {
    this.calls.push(`processOnce ${key}`);
    this.ttls.push(ttlMs);
    if (this.done.has(key)) return { status: 'done' };
    if (this.running.has(key)) return { status: 'in-flight' };
    this.running.add(key);
    const staged: string[] = [];
    try {
      const result = await work(staged);
      this.rows.push(...staged);
      this.done.add(key);
      return { status: 'processed', result };
    } finally {
      this.running.delete(key);
    }
  }
}

const OPTIONS = { leaseMs: 60_000, doneTtlMs: 60_000 };

describe('applyOnce', () => {
  it('applies, then reports done; a second caller meanwhile is told in-flight', async () => {
    const store = new TinyStore();
    let applied = 0;
    let inner: string | undefined;
    const first = await applyOnce(
      store,
      'k',
      async () => {
        applied++;
        inner = await applyOnce(store, 'k', () => applied++, OPTIONS); // a concurrent duplicate
      },
      OPTIONS,
    );
    expect(first).toBe('applied');
    expect(inner).toBe('in-flight');
    expect(await applyOnce(store, 'k', () => applied++, OPTIONS)).toBe('done');
    expect(applied).toBe(1);
  });

  it('a failing work gives the claim back and rethrows, so a retry applies it', async () => {
    const store = new TinyStore();
    await expect(
      applyOnce(
        store,
        'k',
        () => {
          throw new Error('platform down');
        },
        OPTIONS,
      ),
    ).rejects.toThrow('platform down');
    expect(store.calls).toEqual(['claim k', 'release k']);
    expect(await applyOnce(store, 'k', () => {}, OPTIONS)).toBe('applied');
  });

  it('with a transactional store the work writes through its transaction, committed with the done-record', async () => {
    const store = new TinyTxStore();
    expect(await applyOnce(store, 'k', (tx) => tx?.push('paid k'), OPTIONS)).toBe('applied');
    expect(store.rows).toEqual(['paid k']);
    expect(await applyOnce(store, 'k', (tx) => tx?.push('paid again'), OPTIONS)).toBe('done');
    expect(store.rows).toEqual(['paid k']);
  });

  it('with an atomic store it goes through processOnce (done ttl = doneTtlMs), never the lease path', async () => {
    const store = new TinyAtomicStore();
    let inner: string | undefined;
    const first = await applyOnce(
      store,
      'k',
      async (tx) => {
        tx?.push('paid k');
        inner = await applyOnce(store, 'k', (tx2) => tx2?.push('paid twice'), OPTIONS); // a concurrent duplicate
      },
      { leaseMs: 1_000, doneTtlMs: 86_400_000 },
    );
    expect(first).toBe('applied');
    expect(inner).toBe('in-flight');
    expect(await applyOnce(store, 'k', (tx) => tx?.push('paid again'), OPTIONS)).toBe('done');
    expect(store.rows).toEqual(['paid k']);
    expect(store.ttls[0]).toBe(86_400_000);
    expect(store.calls).toEqual(['processOnce k', 'processOnce k', 'processOnce k']);
    await expect(
      applyOnce(
        store,
        'k2',
        () => {
          throw new Error('platform down');
        },
        OPTIONS,
      ),
    ).rejects.toThrow('platform down');
    expect(store.rows).toEqual(['paid k']);
    expect(await applyOnce(store, 'k2', (tx) => tx?.push('paid k2'), OPTIONS)).toBe('applied');
  });

  it('a lease taken over commits nothing and reports in-flight (the other holder applies it)', async () => {
    const store = new TinyTxStore();
    store.loseLease = true;
    expect(await applyOnce(store, 'k', (tx) => tx?.push('paid k'), OPTIONS)).toBe('in-flight');
    expect(store.rows).toEqual([]);
    expect(store.calls).not.toContain('release k'); // not ours to give back
  });
});
