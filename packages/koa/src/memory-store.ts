import { type ClaimResult, type IdempotencyStore, TtpayError } from '@ttpay/core';
import { DEFAULT_MAX_ENTRIES } from './defaults.js';

export interface MemoryStoreOptions {
  /** Most keys held; the least recently used goes first. Default 100 000. */
  maxEntries?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  state: 'in-flight' | 'done';
  expiresAt: number;
}

/**
 * The default idempotency store: in-process, bounded, LRU with a TTL per key. A `Map` keeps insertion
 * order, and a key is re-inserted when used, so its first entry is the least recently used one; no
 * timer per key; expired keys read as absent, and are dropped when met or when a full store evicts. It de-duplicates within
 * one process only: with several instances behind a load balancer use `@ttpay/store-redis`.
 */
export class MemoryStore implements IdempotencyStore {
  readonly maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  /**
   * Finding the first entry of a Map from scratch skips every deleted slot before it, which made
   * eviction linear in V8. A live iterator kept across calls skips each slot once. `#front` is the
   * entry it last yielded; every insert uses a new Entry object, so the front is still the oldest
   * entry exactly while the Map still maps its key to that same object.
   * The iterator exists only once the store is full: a parked iterator keeps every hash table the Map
   * outgrows alive (V8 chains them for it), which made memory peak while filling up (bench/PROFILE.md).
   */
  #cursor: MapIterator<[string, Entry]> | undefined;
  #front: [string, Entry] | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new TtpayError('INVALID_ARGUMENT', 'maxEntries must be a positive integer.');
    }
    this.maxEntries = maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** Keys held, expired ones not yet dropped included. */
  get size(): number {
    return this.#entries.size;
  }

  claim(key: string, ttlMs: number): ClaimResult {
    checkTtl(ttlMs);
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > now) {
      // A duplicate of a handled key keeps it fresh (LRU); an in-flight lease is left as it is.
      if (entry.state === 'done') this.#put(key, { ...entry }, now);
      return entry.state;
    }
    this.#put(key, { state: 'in-flight', expiresAt: now + ttlMs }, now);
    return 'claimed';
  }

  complete(key: string, ttlMs: number): void {
    checkTtl(ttlMs);
    const now = this.#now();
    this.#put(key, { state: 'done', expiresAt: now + ttlMs }, now);
  }

  release(key: string): void {
    // Only a claim is given up: a key already done stays done.
    if (this.#entries.get(key)?.state === 'in-flight') this.#entries.delete(key);
  }

  #put(key: string, entry: Entry, now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    // Under capacity nothing is dropped (expired keys read as absent and are bounded by the cap).
    // Over it, drop the oldest entry, then any expired ones behind it while we are at the front.
    if (this.#entries.size <= this.maxEntries) return;
    for (let oldest = this.#oldest(); oldest !== undefined; oldest = this.#oldest()) {
      if (this.#entries.size <= this.maxEntries && oldest[1].expiresAt > now) break;
      this.#entries.delete(oldest[0]);
    }
  }

  #oldest(): [string, Entry] | undefined {
    for (;;) {
      const front = this.#front;
      if (front !== undefined && this.#entries.get(front[0]) === front[1]) return front;
      this.#cursor ??= this.#entries.entries();
      const next = this.#cursor.next();
      if (next.done) {
        // An exhausted iterator stays exhausted: start again from the (now) first slot.
        this.#front = undefined;
        if (this.#entries.size === 0) return undefined;
        this.#cursor = this.#entries.entries();
        continue;
      }
      this.#front = next.value;
    }
  }
}

function checkTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new TtpayError('INVALID_ARGUMENT', 'ttlMs must be a positive number of milliseconds.');
  }
}
