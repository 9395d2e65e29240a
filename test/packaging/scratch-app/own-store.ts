// A store of the app's own, as a third-party store author writes one: the contract and its helpers from
// `@ttpay/core/store` (the documented entry point for store authors), nothing from `@ttpay/core/internal`.
import { type Claim, type IdempotencyStore, type Lease, newLeaseToken, storableKey } from '@ttpay/core/store';

export class MapStore implements IdempotencyStore {
  readonly #entries = new Map<string, { token: string; until: number; done: boolean }>();

  claim(key: string, leaseMs: number): Claim {
    const stored = storableKey(key);
    const entry = this.#entries.get(stored);
    if (entry && entry.until > Date.now()) return entry.done ? { status: 'done' } : { status: 'in-flight' };
    const token = newLeaseToken();
    this.#entries.set(stored, { token, until: Date.now() + leaseMs, done: false });
    return { status: 'claimed', lease: { key, token } };
  }

  complete(lease: Lease, ttlMs: number): void {
    const stored = storableKey(lease.key);
    const entry = this.#entries.get(stored);
    if (entry?.done && entry.until >= Date.now() + ttlMs) return;
    this.#entries.set(stored, { token: lease.token, until: Date.now() + ttlMs, done: true });
  }

  release(lease: Lease): void {
    const stored = storableKey(lease.key);
    const entry = this.#entries.get(stored);
    if (entry && !entry.done && entry.token === lease.token) this.#entries.delete(stored);
  }
}
