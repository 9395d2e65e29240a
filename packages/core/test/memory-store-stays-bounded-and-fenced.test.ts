import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/delivery/index.js';
import type { Claim, Lease } from '../src/store.js';

/** The lease of a claim that must have been granted. */
function leaseOf(claim: Claim): Lease {
  if (claim.status !== 'claimed') throw new Error(`expected a claim, got ${claim.status}`);
  return claim.lease;
}

describe('MemoryStore', () => {
  it('claims once: claimed, then in-flight; done after complete; claimable again after release', () => {
    const store = new MemoryStore();
    const first = leaseOf(store.claim('k', 1000));
    expect(first.key).toBe('k');
    expect(store.claim('k', 1000)).toEqual({ status: 'in-flight' });
    store.release(first);
    const second = leaseOf(store.claim('k', 1000));
    expect(second.token).not.toBe(first.token);
    store.complete(second, 1000);
    expect(store.claim('k', 1000)).toEqual({ status: 'done' });
    store.release(second); // a done key is not given up by release
    expect(store.claim('k', 1000)).toEqual({ status: 'done' });
  });

  it('a stale lease releases nothing: the claim made after its lease ran out keeps the key', () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    const stale = leaseOf(store.claim('k', 100));
    now = 100; // A's lease ran out; B claims
    const current = leaseOf(store.claim('k', 100));
    store.release(stale); // A's handler threw: its release must not free B's claim
    expect(store.claim('k', 100)).toEqual({ status: 'in-flight' });
    store.release(current);
    expect(store.claim('k', 100).status).toBe('claimed');
  });

  it('a stale lease still completes: the handler ran, so the key is done and B cannot free it', () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    const stale = leaseOf(store.claim('k', 100));
    now = 150;
    const current = leaseOf(store.claim('k', 100));
    store.complete(stale, 10_000); // A finished late
    store.release(current); // B's handler threw afterwards
    expect(store.claim('k', 100)).toEqual({ status: 'done' }); // no third run
  });

  it('never shortens a done record', () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    const a = leaseOf(store.claim('k', 100));
    store.complete(a, 10_000);
    store.complete(a, 10); // a repeated complete with a short ttl
    now = 5_000;
    expect(store.claim('k', 100)).toEqual({ status: 'done' });
  });

  it('stays bounded: 200 000 distinct keys with maxEntries 10 000 hold 10 000', () => {
    const store = new MemoryStore({ maxEntries: 10_000 });
    let largest = 0;
    for (let i = 0; i < 200_000; i++) {
      const lease = leaseOf(store.claim(`key-${i}`, 60_000));
      store.complete(lease, 60_000);
      largest = Math.max(largest, store.size);
    }
    expect(store.size).toBe(10_000);
    expect(largest).toBe(10_000);
    // The most recent keys are the ones kept.
    expect(store.claim('key-199998', 60_000).status).toBe('done');
    expect(store.claim('key-0', 60_000).status).toBe('claimed');
  });

  it('evicts the least recently used done key, a done key being used when a duplicate finds it', () => {
    const store = new MemoryStore({ maxEntries: 2 });
    store.complete(leaseOf(store.claim('a', 60_000)), 60_000);
    store.complete(leaseOf(store.claim('b', 60_000)), 60_000);
    expect(store.claim('a', 60_000).status).toBe('done'); // a is now the most recently used
    store.complete(leaseOf(store.claim('c', 60_000)), 60_000); // evicts b
    expect(store.claim('a', 60_000).status).toBe('done');
    expect(store.claim('b', 60_000).status).toBe('claimed');
  });

  it('never evicts a live claim: full of claims, it answers in-flight (back-pressure) instead of forgetting', () => {
    const store = new MemoryStore({ maxEntries: 3 });
    const held = ['a', 'b', 'c'].map((key) => leaseOf(store.claim(key, 60_000)));
    // A fourth key cannot be claimed without forgetting one that is being handled.
    expect(store.claim('d', 60_000)).toEqual({ status: 'in-flight' });
    // The concurrent duplicate of a held key is still told in-flight: its claim was not evicted.
    for (const key of ['a', 'b', 'c']) expect(store.claim(key, 60_000)).toEqual({ status: 'in-flight' });
    // One finishes: its done key is the one a new claim may push out.
    store.complete(held[0] as Lease, 60_000);
    expect(store.claim('d', 60_000).status).toBe('claimed');
    expect(store.claim('b', 60_000)).toEqual({ status: 'in-flight' });
    expect(store.claim('c', 60_000)).toEqual({ status: 'in-flight' });
  });

  it('a full store evicts done keys, oldest first, before ever touching a claim', () => {
    const store = new MemoryStore({ maxEntries: 4 });
    store.complete(leaseOf(store.claim('done-1', 60_000)), 60_000);
    const inFlight = leaseOf(store.claim('held', 60_000));
    store.complete(leaseOf(store.claim('done-2', 60_000)), 60_000);
    store.complete(leaseOf(store.claim('done-3', 60_000)), 60_000);
    leaseOf(store.claim('new-1', 60_000)); // evicts done-1, the oldest
    leaseOf(store.claim('new-2', 60_000)); // evicts done-2, not the older claim on 'held'
    expect(store.claim('held', 60_000)).toEqual({ status: 'in-flight' });
    expect(store.claim('done-3', 60_000)).toEqual({ status: 'done' });
    expect(store.claim('done-1', 60_000).status).toBe('claimed'); // forgotten, as LRU allows: evicts done-3
    expect(store.claim('new-3', 60_000)).toEqual({ status: 'in-flight' }); // full of claims: back-pressure
    store.release(inFlight);
    expect(store.claim('new-3', 60_000).status).toBe('claimed');
  });

  it('records a completion even when only live claims are left (over capacity rather than forgetting)', () => {
    let now = 0;
    const store = new MemoryStore({ maxEntries: 2, now: () => now });
    const stale = leaseOf(store.claim('a', 100));
    now = 200; // a's lease ran out: its slot is free for new claims
    leaseOf(store.claim('b', 60_000));
    leaseOf(store.claim('c', 60_000));
    store.complete(stale, 60_000); // a's handler did run: it must be remembered
    expect(store.claim('a', 60_000)).toEqual({ status: 'done' });
    expect(store.claim('b', 60_000)).toEqual({ status: 'in-flight' });
    expect(store.claim('c', 60_000)).toEqual({ status: 'in-flight' });
  });

  it('expires claims and done keys by their TTL (injectable clock)', () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    expect(store.claim('lease', 5_000).status).toBe('claimed');
    now += 4_999;
    expect(store.claim('lease', 5_000).status).toBe('in-flight');
    now += 1;
    expect(store.claim('lease', 5_000).status).toBe('claimed'); // the lease ran out: a redelivery may run it

    store.complete(leaseOf(store.claim('handled', 5_000)), 10_000);
    now += 9_999;
    expect(store.claim('handled', 5_000).status).toBe('done');
    now += 1;
    expect(store.claim('handled', 5_000).status).toBe('claimed');
  });

  it('reads expired entries as absent, and a full store drops them first, without a timer per key', () => {
    let now = 0;
    const store = new MemoryStore({ maxEntries: 1000, now: () => now });
    for (let i = 0; i < 1000; i++) store.complete(leaseOf(store.claim(`old-${i}`, 1_000)), 1_000);
    expect(store.claim('old-5', 1_000).status).toBe('done');
    now = 2_000;
    expect(store.claim('old-6', 1_000).status).toBe('claimed'); // expired: as if never seen
    expect(store.size).toBe(1000);
    store.complete(leaseOf(store.claim('fresh', 1_000)), 1_000); // full: drops expired keys to make room
    expect(store.size).toBeLessThanOrEqual(1000);
    expect(store.claim('fresh', 1_000).status).toBe('done');
    expect(store.claim('old-6', 1_000).status).toBe('in-flight');
  });

  it('refuses nonsense', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new MemoryStore().claim('k', 0)).toThrow(/leaseMs/);
    expect(() => new MemoryStore().complete({ key: 'k', token: 't' }, Number.NaN)).toThrow(/ttlMs/);
  });
});
