interface Lease {
  readonly token: string;
  readonly expiresAt: number;
}

/** Kept a little past the local expiry estimate: Redis started the lease's clock a little later. */
const EXPIRY_GRACE_MS = 1_000;
const FIRST_SWEEP_AT = 1_024;

/**
 * The claims this store instance holds: key → the tokens of its live claims, oldest first. The
 * IdempotencyStore interface passes only the key to complete/release, so the token lives here.
 *
 * Bounded: entries leave on complete/release; entries whose lease expired are swept (amortised, when the
 * table has doubled since the last sweep); past `maxLeases` the oldest keys are dropped. A dropped or
 * swept token only turns a later release into a no-op, which is safe: the lease then simply expires.
 */
export class LeaseTable {
  readonly #leases = new Map<string, Lease[]>();
  readonly #maxLeases: number;
  readonly #now: () => number;
  #size = 0;
  #sweepAt = FIRST_SWEEP_AT;

  constructor(maxLeases = 100_000, now: () => number = Date.now) {
    this.#maxLeases = maxLeases;
    this.#now = now;
  }

  /** How many leases are held, over all keys. */
  get size(): number {
    return this.#size;
  }

  add(key: string, token: string, ttlMs: number): void {
    const lease = { token, expiresAt: this.#now() + ttlMs };
    const list = this.#leases.get(key);
    if (list) list.push(lease);
    else this.#leases.set(key, [lease]);
    this.#size += 1;
    if (this.#size >= this.#sweepAt) this.#sweep();
    for (const oldest of this.#leases.keys()) {
      if (this.#size <= this.#maxLeases) break;
      this.#drop(oldest);
    }
  }

  /**
   * The oldest token held on `key`. When one instance holds two claims on a key (its first lease expired
   * and a redelivery reached it again), release cannot tell which caller is giving up: using the oldest
   * is safe — a stale token releases nothing, and the newer claim then just runs out its lease.
   */
  oldest(key: string): string | undefined {
    return this.#leases.get(key)?.[0]?.token;
  }

  remove(key: string, token: string): void {
    const list = this.#leases.get(key);
    if (!list) return;
    const index = list.findIndex((lease) => lease.token === token);
    if (index === -1) return;
    list.splice(index, 1);
    this.#size -= 1;
    if (list.length === 0) this.#leases.delete(key);
  }

  /** Forgets every claim on `key` (it is done: no token of it can be released any more). */
  removeAll(key: string): void {
    this.#drop(key);
  }

  #drop(key: string): void {
    const list = this.#leases.get(key);
    if (!list) return;
    this.#size -= list.length;
    this.#leases.delete(key);
  }

  #sweep(): void {
    const cutoff = this.#now() - EXPIRY_GRACE_MS;
    for (const [key, list] of this.#leases) {
      const live = list.filter((lease) => lease.expiresAt > cutoff);
      this.#size -= list.length - live.length;
      if (live.length === 0) this.#leases.delete(key);
      else if (live.length !== list.length) this.#leases.set(key, live);
    }
    this.#sweepAt = Math.max(FIRST_SWEEP_AT, this.#size * 2);
  }
}
