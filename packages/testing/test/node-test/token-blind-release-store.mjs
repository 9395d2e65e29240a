// A broken store on node:test: its release frees whatever claim holds the key, whoever's lease it is.
import { describe, it } from 'node:test';
import { newLeaseToken } from '@ttpay/core';
import { defineStoreConformance } from '@ttpay/testing/store-conformance';

class TokenBlindReleaseStore {
  #entries = new Map();

  claim(key, leaseMs) {
    const now = Date.now();
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > now) return { status: entry.done ? 'done' : 'in-flight' };
    const token = newLeaseToken();
    this.#entries.set(key, { done: false, expiresAt: now + leaseMs });
    return { status: 'claimed', lease: { key, token } };
  }

  complete(lease, ttlMs) {
    const entry = this.#entries.get(lease.key);
    const expiresAt = Date.now() + ttlMs;
    if (entry?.done && entry.expiresAt > expiresAt) return;
    this.#entries.set(lease.key, { done: true, expiresAt });
  }

  release(lease) {
    // The bug: lease.token is never looked at.
    if (this.#entries.get(lease.key)?.done === false) this.#entries.delete(lease.key);
  }
}

defineStoreConformance(
  { describe, it },
  { name: 'TokenBlindReleaseStore', createStore: () => new TokenBlindReleaseStore(), leaseMs: 100 },
);
