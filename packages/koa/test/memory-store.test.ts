import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/index.js';

describe('MemoryStore', () => {
  it('claims once: claimed, then in-flight; done after complete; claimable again after release', () => {
    const store = new MemoryStore();
    expect(store.claim('k', 1000)).toBe('claimed');
    expect(store.claim('k', 1000)).toBe('in-flight');
    store.release('k');
    expect(store.claim('k', 1000)).toBe('claimed');
    store.complete('k', 1000);
    expect(store.claim('k', 1000)).toBe('done');
    store.release('k'); // a done key is not given up by release
    expect(store.claim('k', 1000)).toBe('done');
  });

  it('stays bounded: 200 000 distinct keys with maxEntries 10 000 hold 10 000', () => {
    const store = new MemoryStore({ maxEntries: 10_000 });
    let largest = 0;
    for (let i = 0; i < 200_000; i++) {
      store.claim(`key-${i}`, 60_000);
      if (i % 2 === 0) store.complete(`key-${i}`, 60_000);
      largest = Math.max(largest, store.size);
    }
    expect(store.size).toBe(10_000);
    expect(largest).toBe(10_000);
    // The most recent keys are the ones kept.
    expect(store.claim('key-199998', 60_000)).toBe('done');
    expect(store.claim('key-0', 60_000)).toBe('claimed');
  });

  it('evicts the least recently used key, a done key being used when a duplicate finds it', () => {
    const store = new MemoryStore({ maxEntries: 2 });
    store.complete('a', 60_000);
    store.complete('b', 60_000);
    expect(store.claim('a', 60_000)).toBe('done'); // a is now the most recently used
    store.complete('c', 60_000); // evicts b
    expect(store.claim('a', 60_000)).toBe('done');
    expect(store.claim('b', 60_000)).toBe('claimed');
  });

  it('expires claims and done keys by their TTL (injectable clock)', () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    expect(store.claim('lease', 5_000)).toBe('claimed');
    now += 4_999;
    expect(store.claim('lease', 5_000)).toBe('in-flight');
    now += 1;
    expect(store.claim('lease', 5_000)).toBe('claimed'); // the lease ran out: a redelivery may run it

    store.complete('handled', 10_000);
    now += 9_999;
    expect(store.claim('handled', 5_000)).toBe('done');
    now += 1;
    expect(store.claim('handled', 5_000)).toBe('claimed');
  });

  it('reads expired entries as absent, and a full store drops them with the oldest, without a timer per key', () => {
    let now = 0;
    const store = new MemoryStore({ maxEntries: 1000, now: () => now });
    for (let i = 0; i < 1000; i++) store.complete(`old-${i}`, 1_000);
    expect(store.claim('old-5', 1_000)).toBe('done');
    now = 2_000;
    expect(store.claim('old-6', 1_000)).toBe('claimed'); // expired: as if never seen
    store.complete('fresh', 1_000); // over capacity: evicts the oldest and every expired key behind it
    expect(store.size).toBe(2);
    expect(store.claim('fresh', 1_000)).toBe('done');
    expect(store.claim('old-6', 1_000)).toBe('in-flight');
  });

  it('refuses nonsense', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new MemoryStore().claim('k', 0)).toThrow(/ttlMs/);
    expect(() => new MemoryStore().complete('k', Number.NaN)).toThrow(/ttlMs/);
  });
});
