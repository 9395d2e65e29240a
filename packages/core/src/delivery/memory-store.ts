import { type Claim, type IdempotencyStore, type Lease, newLeaseToken } from '../idempotency.js';
import { positiveIntegerOr, positiveMs } from '../shared/option-checks.js';
import { DEFAULT_MAX_ENTRIES } from './defaults.js';

export interface MemoryStoreOptions {
  /** Most keys held, claims and done keys together. Default 100 000. */
  maxEntries?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** A live claim: its fencing token and when its lease runs out. */
interface Held {
  readonly token: string;
  readonly expiresAt: number;
}

/** A handled key. A new object per insert: the eviction cursor recognises an entry by identity. */
interface Done {
  readonly expiresAt: number;
}

const IN_FLIGHT: Claim = Object.freeze({ status: 'in-flight' });
const DONE: Claim = Object.freeze({ status: 'done' });

/**
 * The default idempotency store: in-process, bounded, with a TTL per key and no timer per key. It
 * de-duplicates within one process only: with several instances use `@ttpay/store-redis` or
 * `@ttpay/store-postgres`.
 *
 * Claims and done keys live in two maps. A full store makes room by dropping expired claims and then
 * the least recently used done keys; it never forgets a live claim (a duplicate would then run the
 * handler a second time, concurrently). When every slot holds a live claim, `claim` answers `in-flight`
 * (back-pressure: the platform retries later) instead of forgetting one.
 */
export class MemoryStore implements IdempotencyStore {
  readonly maxEntries: number;
  readonly #held = new Map<string, Held>();
  /** Insertion order is recency: a duplicate that finds a done key re-inserts it. */
  readonly #done = new Map<string, Done>();
  readonly #now: () => number;
  /**
   * Finding the first entry of a Map from scratch skips every deleted slot before it, which made
   * eviction linear in V8. A live iterator kept across calls skips each slot once. `#front` is the
   * entry it last yielded: still the oldest exactly while the Map maps its key to that same object.
   * The iterator exists only once the store is full: a parked iterator keeps every hash table the Map
   * outgrows alive (V8 chains them for it), which made memory peak while filling up (bench/PROFILE.md).
   */
  #cursor: MapIterator<[string, Done]> | undefined;
  #front: [string, Done] | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = positiveIntegerOr(options.maxEntries, DEFAULT_MAX_ENTRIES, 'maxEntries');
    this.#now = options.now ?? Date.now;
  }

  /** Keys held, claims and done keys, expired ones not yet dropped included. */
  get size(): number {
    return this.#held.size + this.#done.size;
  }

  claim(key: string, leaseMs: number): Claim {
    positiveMs(leaseMs, 'leaseMs');
    const now = this.#now();
    const done = this.#done.get(key);
    if (done !== undefined) {
      if (done.expiresAt > now) {
        // A duplicate of a handled key keeps it fresh (LRU).
        this.#done.delete(key);
        this.#done.set(key, { expiresAt: done.expiresAt });
        return DONE;
      }
      this.#done.delete(key);
    }
    const held = this.#held.get(key);
    if (held !== undefined) {
      if (held.expiresAt > now) return IN_FLIGHT;
      this.#held.delete(key);
    }
    if (!this.#makeRoom(now)) return IN_FLIGHT;
    const token = newLeaseToken();
    this.#held.set(key, { token, expiresAt: now + leaseMs });
    return { status: 'claimed', lease: { key, token } };
  }

  complete(lease: Lease, ttlMs: number): void {
    positiveMs(ttlMs, 'ttlMs');
    const { key, token } = lease;
    const now = this.#now();
    if (this.#held.get(key)?.token === token) this.#held.delete(key);
    // Done even when this lease ran out and someone else holds the key now: the handler ran, so every
    // later delivery is acknowledged. A done-record already there is kept (made longer, never shorter).
    const existing = this.#done.get(key);
    const expiresAt = Math.max(now + ttlMs, existing !== undefined ? existing.expiresAt : 0);
    this.#done.delete(key);
    this.#done.set(key, { expiresAt });
    // Room for it at the expense of older done keys. If only live claims are left, it is kept anyway
    // (over capacity by at most the number of live claims): forgetting it could run a handler twice.
    if (this.size > this.maxEntries) this.#makeRoom(now, key);
  }

  release(lease: Lease): void {
    // Only the claim that still holds the key is given up: a stale lease, or a done key, stays as it is.
    if (this.#held.get(lease.key)?.token === lease.token) this.#held.delete(lease.key);
  }

  /** Frees slots until one is free: expired claims first, then the least recently used done keys. */
  #makeRoom(now: number, keep?: string): boolean {
    while (this.size >= this.maxEntries + (keep === undefined ? 0 : 1)) {
      if (this.#dropExpiredClaim(now)) continue;
      const oldest = this.#oldestDone();
      if (oldest === undefined || oldest[0] === keep) return false;
      this.#done.delete(oldest[0]);
    }
    return true;
  }

  /**
   * Drops the first claim if its lease ran out. Claims are inserted in order, and leases are usually
   * one length (claimTtlMs), so the first to run out is the first one; a longer lease in front only
   * delays the cleanup of the ones behind it (they still read as absent).
   */
  #dropExpiredClaim(now: number): boolean {
    for (const [key, held] of this.#held) {
      if (held.expiresAt > now) return false;
      this.#held.delete(key);
      return true;
    }
    return false;
  }

  #oldestDone(): [string, Done] | undefined {
    for (;;) {
      const front = this.#front;
      if (front !== undefined && this.#done.get(front[0]) === front[1]) return front;
      this.#cursor ??= this.#done.entries();
      const next = this.#cursor.next();
      if (next.done) {
        // An exhausted iterator stays exhausted: start again from the (now) first slot.
        this.#front = undefined;
        if (this.#done.size === 0) return undefined;
        this.#cursor = this.#done.entries();
        continue;
      }
      this.#front = next.value;
    }
  }
}
