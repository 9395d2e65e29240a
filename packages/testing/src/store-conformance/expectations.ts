import assert from 'node:assert/strict';
import type { Claim, Lease } from '@ttpay/core/store';
import { printableKey } from './printable-key.js';
import { sleep } from './settle-within.js';
import type { StoreUnderTest } from './store-under-test.js';

/**
 * The lease of a claim that had to be granted. `why` says what the contract expects at this step
 * ("the key was released, so it is free"); the message adds what the store answered.
 */
export function expectClaimed(claim: Claim, key: string, why: string): Lease {
  if (claim.status !== 'claimed') {
    assert.fail(`claim(${printableKey(key)}) answered '${claim.status}', expected 'claimed': ${why}.`);
  }
  if (claim.lease.key !== key) {
    assert.fail(
      `claim(${printableKey(key)}) answered a lease for ${printableKey(claim.lease.key)}: lease.key must be the key exactly as claimed (complete and release are called with it; a store that normalises or digests keys does so inside, and hands back the caller's key).`,
    );
  }
  return claim.lease;
}

/** A claim that must not be granted: `in-flight` (someone holds the key) or `done` (it was handled). */
export function expectStatus(claim: Claim, status: 'in-flight' | 'done', key: string, why: string): void {
  if (claim.status === status) return;
  const danger =
    claim.status === 'claimed'
      ? ' A second claim means the handler runs again for the same event.'
      : status === 'done'
        ? ''
        : ' Answering done acknowledges an event nobody finished processing.';
  assert.fail(
    `claim(${printableKey(key)}) answered '${claim.status}', expected '${status}': ${why}.${danger}`,
  );
}

/** A fresh lease must carry a token no earlier lease had. `earlierWhat` names those leases. */
export function expectNewToken(lease: Lease, earlier: readonly Lease[], earlierWhat: string): void {
  if (earlier.some((e) => e.token === lease.token)) {
    assert.fail(
      `claim(${printableKey(lease.key)}) handed out a token that ${earlierWhat} already had: each claim needs a fresh, unguessable token (newLeaseToken() from @ttpay/core makes one), or an earlier holder's complete and release act on the new claim.`,
    );
  }
}

/** A lease or done-record with a short ttl: when it began (before the call) and how long it lasts. */
export interface Expiring {
  /** "the lease" or "the done-record". */
  readonly what: string;
  /** `Date.now()` just before the claim or complete call that began it. */
  readonly since: number;
  readonly ttlMs: number;
}

/**
 * Right after `expiring` began, the key must still answer `status`. Only a grant that came before the ttl
 * was up by this clock fails (the store's ttl began no earlier than `since`); a grant after a stall
 * proves nothing, and its lease is returned for the case to carry on with.
 */
export async function expectHeld(
  store: StoreUnderTest,
  key: string,
  expiring: Expiring,
  status: 'in-flight' | 'done',
  holdMs: number,
): Promise<Lease | undefined> {
  const claim = await store.claim(key, holdMs);
  const elapsed = Date.now() - expiring.since;
  if (claim.status === 'claimed' && elapsed >= expiring.ttlMs) return expectClaimed(claim, key, 'it ran out');
  expectStatus(
    claim,
    status,
    key,
    `${expiring.what} of ${expiring.ttlMs} ms began at most ${elapsed} ms before, so it still holds the key (does the store read the ttl as seconds, or not at all?)`,
  );
  return undefined;
}

/**
 * Claims `key` (with a long lease) until the store grants it: after `expiring` ran out and at most
 * `graceMs` later. Fails when the key is still held or done by then.
 */
export async function claimOnceExpired(
  store: StoreUnderTest,
  key: string,
  expiring: Expiring,
  graceMs: number,
  holdMs: number,
): Promise<Lease> {
  const { since, ttlMs, what } = expiring;
  const step = Math.max(5, Math.min(50, ttlMs / 4));
  await sleep(Math.max(0, since + ttlMs - Date.now()));
  for (;;) {
    const claim = await store.claim(key, holdMs);
    if (claim.status === 'claimed') return expectClaimed(claim, key, `${what} ran out`);
    const elapsed = Date.now() - since;
    if (elapsed > ttlMs + graceMs) {
      assert.fail(
        `claim(${printableKey(key)}) still answered '${claim.status}' ${elapsed} ms after ${what} of ${ttlMs} ms began: once it runs out the key must be free again (expiryGraceMs allows ${graceMs} ms of lateness; is the ttl read as seconds?).`,
      );
    }
    await sleep(step);
  }
}

/** What a case expects of `createStore()`, said when a first claim is not granted. */
export const FRESH_STORE =
  'a store from createStore() holds no keys (a fresh instance, or a fresh prefix, table or schema)';
