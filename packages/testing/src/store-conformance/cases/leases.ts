import type { ConformanceCase } from '../conformance-case.js';
import {
  claimOnceExpired,
  type Expiring,
  expectClaimed,
  expectHeld,
  expectNewToken,
  expectStatus,
  FRESH_STORE,
} from '../expectations.js';
import { HOLD_MS } from '../options.js';
import { sleep } from '../settle-within.js';

export const completedKeyIsDone: ConformanceCase = {
  name: 'a completed key answers done to every later claim',
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const key = 'conformance:completed';
    const lease = expectClaimed(await store.claim(key, HOLD_MS), key, FRESH_STORE);
    await store.complete(lease, HOLD_MS);
    const later = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : peer).claim(key, HOLD_MS)),
    );
    for (const claim of later) {
      expectStatus(
        claim,
        'done',
        key,
        'it was completed with a ttl of a minute, so every duplicate is acknowledged',
      );
    }
  },
};

export const releasedKeyIsClaimable: ConformanceCase = {
  name: 'a released key can be claimed again, with a new token',
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const key = 'conformance:released';
    const first = expectClaimed(await store.claim(key, HOLD_MS), key, FRESH_STORE);
    expectStatus(await peer.claim(key, HOLD_MS), 'in-flight', key, 'a claim holds it (for a minute)');
    await store.release(first);
    const second = expectClaimed(
      await peer.claim(key, HOLD_MS),
      key,
      'its holder released it, so a redelivery may process the event',
    );
    expectNewToken(second, [first], 'the released claim');
    expectStatus(await store.claim(key, HOLD_MS), 'in-flight', key, 'the new claim holds it');
  },
};

export const expiredLeaseIsClaimable: ConformanceCase = {
  name: 'a lease that runs out lets the key be claimed again, with a new token',
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const { leaseMs, expiryGraceMs } = ctx.settings;
    const key = 'conformance:lease-expiry';
    const lease: Expiring = { what: 'the lease', since: Date.now(), ttlMs: leaseMs };
    const first = expectClaimed(await store.claim(key, leaseMs), key, FRESH_STORE);
    const second =
      (await expectHeld(peer, key, lease, 'in-flight', HOLD_MS)) ??
      (await claimOnceExpired(peer, key, lease, expiryGraceMs, HOLD_MS));
    expectNewToken(second, [first], 'the expired claim');
    expectStatus(await store.claim(key, HOLD_MS), 'in-flight', key, 'the new claim holds it (for a minute)');
  },
};

export const staleReleaseKeepsNewClaim: ConformanceCase = {
  name: "a stale holder's release does not free the new holder's claim",
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const { leaseMs, expiryGraceMs } = ctx.settings;
    const key = 'conformance:stale-release';
    const lease: Expiring = { what: 'the lease', since: Date.now(), ttlMs: leaseMs };
    const stale = expectClaimed(await store.claim(key, leaseMs), key, FRESH_STORE);
    const current =
      (await expectHeld(peer, key, lease, 'in-flight', HOLD_MS)) ??
      (await claimOnceExpired(peer, key, lease, expiryGraceMs, HOLD_MS));
    // The first holder's handler fails after its lease ran out, and it hands "its" claim back.
    await store.release(stale);
    expectStatus(
      await store.claim(key, HOLD_MS),
      'in-flight',
      key,
      "the stale holder's release must be a no-op: release frees the key only while that very lease (its token) still holds it, and the new holder's lease does",
    );
    await peer.release(current);
    expectClaimed(await store.claim(key, HOLD_MS), key, 'the current holder released it');
  },
};

export const staleCompleteRecordsDone: ConformanceCase = {
  name: "a stale holder's complete records done, and the new holder's release cannot reopen it",
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const { leaseMs, expiryGraceMs } = ctx.settings;
    const key = 'conformance:stale-complete';
    const lease: Expiring = { what: 'the lease', since: Date.now(), ttlMs: leaseMs };
    const stale = expectClaimed(await store.claim(key, leaseMs), key, FRESH_STORE);
    const current =
      (await expectHeld(peer, key, lease, 'in-flight', HOLD_MS)) ??
      (await claimOnceExpired(peer, key, lease, expiryGraceMs, HOLD_MS));
    // The first holder's handler finishes after its lease ran out: it DID run.
    await store.complete(stale, HOLD_MS);
    expectStatus(
      await store.claim(key, HOLD_MS),
      'done',
      key,
      "a handler completed it (the stale holder's): complete records done even when its lease was lost, so no third delivery runs the handler",
    );
    // The second holder's handler fails and gives its claim back.
    await peer.release(current);
    expectStatus(
      await store.claim(key, HOLD_MS),
      'done',
      key,
      "the new holder's release came after the key was completed: release is a no-op unless its lease still holds the key, and it must never undo a done-record (a third run would follow)",
    );
    await peer.complete(current, HOLD_MS);
    expectStatus(await store.claim(key, HOLD_MS), 'done', key, 'both holders completed it');
  },
};

export const completeAfterExpiryRecordsDone: ConformanceCase = {
  name: 'complete after the lease ran out (and nobody claimed the key since) still records done',
  async run(ctx) {
    const store = await ctx.store();
    const { leaseMs, expiryGraceMs } = ctx.settings;
    const key = 'conformance:complete-after-expiry';
    const lease = expectClaimed(await store.claim(key, leaseMs), key, FRESH_STORE);
    await sleep(leaseMs + expiryGraceMs);
    await store.complete(lease, HOLD_MS);
    expectStatus(
      await store.claim(key, HOLD_MS),
      'done',
      key,
      'a handler completed it after its lease ran out: it DID run, so complete records done even for a lost lease',
    );
  },
};
