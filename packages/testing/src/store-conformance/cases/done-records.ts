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

export const doneRecordNeverShortened: ConformanceCase = {
  name: 'a done-record is never shortened by a later complete with a shorter ttl',
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const { leaseMs, doneTtlMs, expiryGraceMs } = ctx.settings;

    // The same lease completed twice (a retried call), the second time with a short ttl.
    const retried = 'conformance:complete-retried';
    const lease = expectClaimed(await store.claim(retried, HOLD_MS), retried, FRESH_STORE);
    await store.complete(lease, HOLD_MS);
    await store.complete(lease, doneTtlMs);

    // A stale holder completes with a short ttl after the new holder completed with a long one.
    const raced = 'conformance:complete-raced';
    const expiring: Expiring = { what: 'the lease', since: Date.now(), ttlMs: leaseMs };
    const stale = expectClaimed(await store.claim(raced, leaseMs), raced, FRESH_STORE);
    const current =
      (await expectHeld(peer, raced, expiring, 'in-flight', HOLD_MS)) ??
      (await claimOnceExpired(peer, raced, expiring, expiryGraceMs, HOLD_MS));
    await peer.complete(current, HOLD_MS);
    await store.complete(stale, doneTtlMs);

    await sleep(doneTtlMs + expiryGraceMs);
    const why = (how: string) =>
      `it was completed with a ttl of a minute, then ${how} with a ttl of ${doneTtlMs} ms, which has run out: complete never shortens or replaces a done-record, or a platform retry inside the first ttl is processed again`;
    expectStatus(
      await store.claim(retried, HOLD_MS),
      'done',
      retried,
      why('completed again by the same lease'),
    );
    expectStatus(await store.claim(raced, HOLD_MS), 'done', raced, why("by a stale holder's lease"));
  },
};

export const releaseAfterCompleteKeepsDone: ConformanceCase = {
  name: 'release after complete leaves the key done',
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const key = 'conformance:release-after-complete';
    const lease = expectClaimed(await store.claim(key, HOLD_MS), key, FRESH_STORE);
    await store.complete(lease, HOLD_MS);
    await peer.release(lease);
    await store.release(lease);
    expectStatus(
      await peer.claim(key, HOLD_MS),
      'done',
      key,
      'the key was completed, then its lease released: release frees a claim only while it is in flight, never a done-record',
    );
  },
};

export const doneRecordExpires: ConformanceCase = {
  name: 'a done-record runs out after its ttl and the key can be claimed again, with a new token',
  async run(ctx) {
    const [store, peer] = await ctx.instances();
    const { doneTtlMs, expiryGraceMs } = ctx.settings;
    const key = 'conformance:done-expiry';
    const first = expectClaimed(await store.claim(key, HOLD_MS), key, FRESH_STORE);
    const done: Expiring = { what: 'the done-record', since: Date.now(), ttlMs: doneTtlMs };
    await store.complete(first, doneTtlMs);
    const second =
      (await expectHeld(peer, key, done, 'done', HOLD_MS)) ??
      (await claimOnceExpired(peer, key, done, expiryGraceMs, HOLD_MS));
    expectNewToken(second, [first], 'the claim completed before');
    expectStatus(await store.claim(key, HOLD_MS), 'in-flight', key, 'the new claim holds it (for a minute)');
  },
};
