import assert from 'node:assert/strict';
import type { Claim } from '@ttpay/core/store';
import type { ConformanceCase } from '../conformance-case.js';
import { expectNewToken } from '../expectations.js';
import { HOLD_MS } from '../options.js';
import { printableKey } from '../printable-key.js';

const ATOMIC =
  'claim must be atomic: of any number of concurrent claims on a free key exactly one wins (a read, an await, then a write lets several through; use one atomic operation: SET NX, INSERT … ON CONFLICT DO NOTHING, a compare-and-set)';

export const oneKeyManyClaims: ConformanceCase = {
  name: 'concurrent claims on one free key: exactly one is claimed, the others answer in-flight',
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const key = 'conformance:one-key-many-claims';
    const n = ctx.settings.concurrency;
    // Every claim is started before any is awaited: they race.
    const claims = await Promise.all(
      Array.from({ length: n }, (_, i) => (i % 2 === 0 ? store : peer).claim(key, HOLD_MS)),
    );
    const count = countStatuses(claims);
    if (count.claimed !== 1) {
      assert.fail(
        `${count.claimed} of ${n} concurrent claims on ${printableKey(key)} answered 'claimed': ${ATOMIC}.`,
      );
    }
    assert.equal(
      count['in-flight'],
      n - 1,
      `${count.done} of ${n} concurrent claims on a key nobody completed answered 'done': the others must answer 'in-flight' (done acknowledges an event that may never be processed).`,
    );
  },
};

export const manyKeysManyClaims: ConformanceCase = {
  name: 'concurrent claims on many keys: exactly one is claimed per key',
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const keyCount = 50;
    const perKey = Math.max(2, Math.ceil(ctx.settings.concurrency / 10));
    const keys = Array.from({ length: keyCount }, (_, i) => `conformance:many-keys:${i}`);
    // Round after round over every key, all started at once: claims on one key interleave with the others.
    const started: { key: string; claim: Promise<Claim> }[] = [];
    for (let round = 0; round < perKey; round++) {
      for (const [i, key] of keys.entries()) {
        started.push({ key, claim: ((round + i) % 2 === 0 ? store : peer).claim(key, HOLD_MS) });
      }
    }
    const answers = await Promise.all(started.map(async (s) => ({ key: s.key, claim: await s.claim })));
    for (const key of keys) {
      const claims = answers.filter((a) => a.key === key).map((a) => a.claim);
      const count = countStatuses(claims);
      if (count.claimed !== 1) {
        assert.fail(
          `${count.claimed} of ${perKey} concurrent claims on ${printableKey(key)} answered 'claimed', while ${keyCount} keys were claimed at once: ${ATOMIC}. A store that makes room by evicting keys still in flight fails here too: it must never forget a live claim (answer 'in-flight' when full).`,
        );
      }
      assert.equal(
        count.done,
        0,
        `a claim on ${printableKey(key)}, which nobody completed, answered 'done' while ${keyCount} keys were claimed at once: keys must not share records.`,
      );
    }
  },
};

export const leasesCarryKeyAndFreshToken: ConformanceCase = {
  name: 'leases carry the claimed key and a non-empty token that no other claim has',
  async run(ctx) {
    // Two separate stores (two app instances each with its own counter would repeat tokens).
    const keys = Array.from({ length: 100 }, (_, i) => `conformance:tokens:${i}`);
    const leases = [];
    for (const store of [await ctx.store(), await ctx.store()]) {
      const claims = await Promise.all(keys.map((key) => store.claim(key, HOLD_MS)));
      for (const [i, claim] of claims.entries()) {
        const key = keys[i] as string;
        if (claim.status !== 'claimed') {
          assert.fail(
            `claim(${printableKey(key)}) on a store from createStore() answered '${claim.status}', expected 'claimed': createStore() must return a store that holds no keys (a fresh instance, or a fresh prefix, table or schema).`,
          );
        }
        assert.equal(
          claim.lease.key,
          key,
          `claim(${printableKey(key)}) answered a lease for ${printableKey(claim.lease.key)}: lease.key must be the key exactly as claimed.`,
        );
        expectNewToken(claim.lease, leases, 'a claim of another key, or a claim on another store instance,');
        leases.push(claim.lease);
      }
    }
  },
};

function countStatuses(claims: readonly Claim[]): Record<Claim['status'], number> {
  const count = { claimed: 0, 'in-flight': 0, done: 0 };
  for (const claim of claims) count[claim.status]++;
  return count;
}
