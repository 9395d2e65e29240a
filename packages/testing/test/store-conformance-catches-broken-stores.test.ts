import {
  type ConformanceReport,
  runStoreConformance,
  STORE_CONFORMANCE_CASES,
} from '@ttpay/testing/store-conformance';
import { describe, expect, it } from 'vitest';
import {
  CaseFoldingStore,
  CheckThenSetStore,
  CounterTokenStore,
  DoneBeforeWorkStore,
  DoneOutsideTransactionStore,
  EverlastingLeaseStore,
  EvictingStore,
  FailOpenStore,
  HangingStore,
  LeasedAtomicStore,
  LossyKeyStore,
  ShorteningStore,
  StaleCompleteDroppingStore,
  TokenBlindReleaseStore,
  ToyAtomicStore,
  ToyRows,
  ToyStore,
  type ToyStoreOptions,
  toyProbe,
} from './toy-stores.js';

const CASE = {
  oneKey: 'concurrent claims on one free key: exactly one is claimed, the others answer in-flight',
  manyKeys: 'concurrent claims on many keys: exactly one is claimed per key',
  tokens: 'leases carry the claimed key and a non-empty token that no other claim has',
  leaseExpiry: 'a lease that runs out lets the key be claimed again, with a new token',
  staleRelease: "a stale holder's release does not free the new holder's claim",
  staleComplete: "a stale holder's complete records done, and the new holder's release cannot reopen it",
  completeAfterExpiry:
    'complete after the lease ran out (and nobody claimed the key since) still records done',
  neverShortened: 'a done-record is never shortened by a later complete with a shorter ttl',
  claimFailsClosed: 'fail closed: claim rejects when the backend does not answer',
  completeReleaseFailClosed: 'fail closed: complete and release reject when the backend does not answer',
  eventKeys: 'keys of every event type core produces are independent of each other',
  caseOrNormalisation: 'keys that differ only in case or Unicode normalisation are independent',
  nulAndSurrogates: 'keys with NUL, lone surrogates or U+FFFD are independent',
  longKeys: 'very long keys (10 000 characters) that differ only in one character are independent',
  symbols: 'keys with emoji, fullwidth punctuation, whitespace or pattern characters are independent',
  allKeys: 'every key shape at once: no two keys share a record',
  atomicInFlight:
    'processOnce: while the work runs a duplicate answers in-flight without running and sees none of its writes; once committed, every call answers done, claim too',
  atomicConcurrent: 'processOnce: of concurrent calls on one key exactly one runs its work',
  atomicWorkFails:
    'processOnce: work that throws rejects with that error, its writes roll back, and the key is free at once',
  atomicDropped:
    'processOnce: a connection dropped mid-work or after its last write commits neither the writes nor the done-record, and frees the key at once',
} as const;

const ATOMIC_CASES = [CASE.atomicInFlight, CASE.atomicConcurrent, CASE.atomicWorkFails, CASE.atomicDropped];

/** Short ttls: these stores answer in microseconds. */
async function check(Store: new (options?: ToyStoreOptions) => ToyStore): Promise<ConformanceReport> {
  return runStoreConformance({
    createStore: () => new Store(),
    createUnavailableStore: () => new Store({ backendDown: true }),
    leaseMs: 60,
    doneTtlMs: 80,
    expiryGraceMs: 200,
    failClosedWithinMs: 300,
  });
}

/** The same, with the atomic probe over rows of the check's own. */
async function checkAtomic(
  Store: new (options?: ToyStoreOptions & { rows?: ToyRows }) => ToyAtomicStore,
): Promise<ConformanceReport> {
  const rows = new ToyRows();
  return runStoreConformance({
    createStore: () => new Store({ rows }),
    createUnavailableStore: () => new Store({ backendDown: true, rows }),
    leaseMs: 60,
    doneTtlMs: 80,
    expiryGraceMs: 200,
    failClosedWithinMs: 300,
    atomic: toyProbe(rows),
  });
}

const failedNames = (report: ConformanceReport): string[] => report.failed.map((f) => f.name);
const messageOf = (report: ConformanceReport, name: string): string =>
  report.failed.find((f) => f.name === name)?.error.message ?? '';

it('the case names used here are the kit’s', () => {
  for (const name of Object.values(CASE)) expect(STORE_CONFORMANCE_CASES).toContain(name);
});

it('a store that keeps the contract passes every case; the processOnce cases wait for `atomic`', async () => {
  const report = await check(ToyStore);
  expect(report.failed.map((f) => `${f.name}: ${f.error.message}`)).toEqual([]);
  expect(report.passed).toEqual(STORE_CONFORMANCE_CASES.filter((n) => !ATOMIC_CASES.includes(n as never)));
  expect(report.skipped.map((s) => s.name)).toEqual(ATOMIC_CASES);
});

it('an atomic store that keeps the contract passes every case, the processOnce ones included', async () => {
  const report = await checkAtomic(ToyAtomicStore);
  expect(report.failed.map((f) => `${f.name}: ${f.error.message}`)).toEqual([]);
  expect(report.passed).toEqual(STORE_CONFORMANCE_CASES);
  expect(report.skipped).toEqual([]);
});

it('`atomic` given for a store without processOnce fails the processOnce cases, saying so', async () => {
  const rows = new ToyRows();
  const report = await runStoreConformance({
    createStore: () => new ToyStore() as unknown as ToyAtomicStore,
    leaseMs: 60,
    doneTtlMs: 80,
    expiryGraceMs: 200,
    atomic: toyProbe(rows),
  });
  expect(failedNames(report)).toEqual(ATOMIC_CASES);
  expect(messageOf(report, CASE.atomicInFlight)).toMatch(/has no processOnce method/);
});

describe('the kit catches each bug of an atomic store, in the cases about it and no others', () => {
  it.each([
    [
      'the done-record is written outside the work’s transaction (after the work, before its commit)',
      DoneOutsideTransactionStore,
      [CASE.atomicDropped],
      /the done-record must be written in the work's transaction and commit with it/,
    ],
    [
      'the done-record is written and committed when the key is claimed, before the work',
      DoneBeforeWorkStore,
      [CASE.atomicWorkFails, CASE.atomicDropped],
      /recorded done though its work failed/,
    ],
    [
      'the claim is a lease row, not a lock the transaction holds: a dead connection leaves it to run out',
      LeasedAtomicStore,
      [CASE.atomicDropped],
      /not a lease to wait out/,
    ],
  ] as const)('%s', async (_bug, Store, expected, message) => {
    const report = await checkAtomic(Store);
    expect(failedNames(report)).toEqual(expected);
    expect(messageOf(report, expected[0])).toMatch(message);
    expect(report.passed).toHaveLength(STORE_CONFORMANCE_CASES.length - expected.length);
  });
});

describe('the kit catches each bug, in the cases about it and no others', () => {
  it.each([
    [
      'release ignores the token (deletes whatever claim holds the key)',
      TokenBlindReleaseStore,
      [CASE.staleRelease],
      /stale holder's release must be a no-op/,
    ],
    [
      'evicts keys in flight at capacity',
      EvictingStore,
      // The key-shape cases with 11 and 13 keys lose only released keys at a capacity of 10.
      [CASE.manyKeys, CASE.eventKeys, CASE.caseOrNormalisation, CASE.symbols, CASE.allKeys],
      /must never forget a live claim/,
    ],
    [
      'claim is check-then-set across an await',
      CheckThenSetStore,
      [CASE.oneKey, CASE.manyKeys],
      /claim must be atomic/,
    ],
    ['tokens come from a per-instance counter', CounterTokenStore, [CASE.tokens], /fresh, unguessable token/],
    [
      "complete drops a stale holder's run",
      StaleCompleteDroppingStore,
      [CASE.staleComplete, CASE.completeAfterExpiry],
      /complete records done even/,
    ],
    [
      'complete shortens a done-record',
      ShorteningStore,
      [CASE.neverShortened],
      /never shortens or replaces a done-record/,
    ],
    [
      'leases never run out',
      EverlastingLeaseStore,
      [CASE.leaseExpiry, CASE.staleRelease, CASE.staleComplete, CASE.neverShortened],
      /once it runs out the key must be free again/,
    ],
    [
      'keys are compared case-insensitively',
      CaseFoldingStore,
      [CASE.caseOrNormalisation, CASE.allKeys],
      /two different keys share one record/,
    ],
    [
      'keys are stored as lossy UTF-8, cut at 255 characters',
      LossyKeyStore,
      [CASE.nulAndSurrogates, CASE.longKeys, CASE.allKeys],
      /two different keys share one record/,
    ],
    [
      'an unreachable backend makes claim answer claimed and complete/release pretend',
      FailOpenStore,
      [CASE.claimFailsClosed, CASE.completeReleaseFailClosed],
      /resolved .*it must reject/,
    ],
    [
      'an unreachable backend makes every call wait forever',
      HangingStore,
      [CASE.claimFailsClosed, CASE.completeReleaseFailClosed],
      /neither answered nor rejected within 300 ms/,
    ],
  ] as const)('%s', async (_bug, Store, expected, message) => {
    const report = await check(Store);
    expect(failedNames(report)).toEqual(expected);
    expect(messageOf(report, expected[0])).toMatch(message);
    expect(report.passed).toHaveLength(
      STORE_CONFORMANCE_CASES.length - ATOMIC_CASES.length - expected.length,
    );
  });
});
