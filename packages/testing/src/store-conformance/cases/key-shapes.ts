import assert from 'node:assert/strict';
import type { Lease } from '@ttpay/core/store';
import type { CaseContext } from '../case-context.js';
import type { ConformanceCase } from '../conformance-case.js';
import { eventKeys, type LabelledKey } from '../event-keys.js';
import { expectClaimed, expectStatus } from '../expectations.js';
import { caseAndNormalisationKeys, longKeys, nulAndSurrogateKeys, symbolKeys } from '../hostile-keys.js';
import { HOLD_MS } from '../options.js';
import { printableKey } from '../printable-key.js';
import type { StoreUnderTest } from '../store-under-test.js';

const SHARED =
  'two different keys share one record. Keys must be compared exactly, as JavaScript strings: no case folding or Unicode normalisation (a collation, lower()), no truncation, no lossy encoding (UTF-8 turns lone surrogates into U+FFFD; PostgreSQL text cannot hold NUL). Store odd keys by digest: storableKey() from @ttpay/core';

const independent = (name: string, keys: () => LabelledKey[]): ConformanceCase => ({
  name,
  run: (ctx) => expectIndependent(ctx, keys()),
});

export const eventKeysIndependent = independent(
  'keys of every event type core produces are independent of each other',
  eventKeys,
);
export const caseAndNormalisationIndependent = independent(
  'keys that differ only in case or Unicode normalisation are independent',
  caseAndNormalisationKeys,
);
export const nulAndSurrogatesIndependent = independent(
  'keys with NUL, lone surrogates or U+FFFD are independent',
  nulAndSurrogateKeys,
);
export const longKeysIndependent = independent(
  'very long keys (10 000 characters) that differ only in one character are independent',
  longKeys,
);
export const symbolKeysIndependent = independent(
  'keys with emoji, fullwidth punctuation, whitespace or pattern characters are independent',
  symbolKeys,
);
export const allKeyShapesIndependent = independent(
  'every key shape at once: no two keys share a record',
  () => [
    ...eventKeys(),
    ...caseAndNormalisationKeys(),
    ...nulAndSurrogateKeys(),
    ...longKeys(),
    ...symbolKeys(),
  ],
);

/**
 * Each key must be a record of its own: claiming one never makes another in-flight or done. Every key is
 * claimed while all the keys before it are held; then every other key is completed and the rest released;
 * then the completed keys must answer done and the released ones be claimable.
 */
async function expectIndependent(ctx: CaseContext, keys: readonly LabelledKey[]): Promise<void> {
  const distinct = new Map(keys.map((k) => [k.key, k.label]));
  if (distinct.size !== keys.length) throw new Error('store conformance kit: a case lists one key twice.');
  const store = await ctx.store();
  const held: Lease[] = [];
  for (const [i, { key, label }] of keys.entries()) {
    const claim = await store.claim(key, HOLD_MS);
    if (claim.status !== 'claimed') {
      const other = await collidingKey(ctx, keys, i);
      assert.fail(
        `claim(${printableKey(key)}) (${label}) answered '${claim.status}' although only other keys were claimed before it${other}: ${SHARED}.`,
      );
    }
    held.push(expectClaimed(claim, key, 'no other claim holds this key'));
  }
  for (const [i, lease] of held.entries()) {
    if (i % 2 === 0) await store.complete(lease, HOLD_MS);
    else await store.release(lease);
  }
  for (const [i, { key, label }] of keys.entries()) {
    const claim = await store.claim(key, HOLD_MS);
    if (i % 2 === 0) {
      expectStatus(
        claim,
        'done',
        key,
        `it (${label}) was completed, among ${keys.length} keys; either the store forgot it (a store must have room for a few hundred keys) or ${SHARED}`,
      );
    } else {
      expectClaimed(
        claim,
        key,
        `it (${label}) was released, and only other keys were completed; if it answers done, ${SHARED}`,
      );
    }
  }
}

/** On a fresh store, which key before `index` blocks it: " (it shares a record with …)", or "". */
async function collidingKey(ctx: CaseContext, keys: readonly LabelledKey[], index: number): Promise<string> {
  try {
    const store: StoreUnderTest = await ctx.store();
    const target = keys[index] as LabelledKey;
    for (const other of keys.slice(0, index)) {
      if ((await store.claim(other.key, HOLD_MS)).status !== 'claimed') return '';
      const claim = await store.claim(target.key, HOLD_MS);
      if (claim.status !== 'claimed') {
        return ` (it shares a record with ${printableKey(other.key)}, ${other.label})`;
      }
      await store.release(claim.lease);
    }
  } catch {
    // Only a better message was at stake.
  }
  return '';
}
