import type { IdempotencyStore } from '@ttpay/core/store';
import {
  defineStoreConformance,
  runStoreConformance,
  STORE_CONFORMANCE_CASES,
  type TestFramework,
} from '@ttpay/testing/store-conformance';
import { describe, expect, it } from 'vitest';
import { ToyAtomicStore, ToyRows, ToyStore, toyProbe } from './toy-stores.js';

const FAIL_CLOSED = STORE_CONFORMANCE_CASES.filter((name) => name.startsWith('fail closed'));
const ATOMIC = STORE_CONFORMANCE_CASES.filter((name) => name.startsWith('processOnce'));
const WITHOUT_ATOMIC = STORE_CONFORMANCE_CASES.filter((name) => !ATOMIC.includes(name));

/** A framework that only records what the kit registers. */
function recorder(withSkip: boolean) {
  const suites: string[] = [];
  const tests: { name: string; timeoutMs: number | undefined }[] = [];
  const skipped: string[] = [];
  const it = Object.assign(
    (name: string, _fn: () => Promise<void>, timeoutMs?: number) => {
      tests.push({ name, timeoutMs });
    },
    withSkip ? { skip: (name: string) => void skipped.push(name) } : {},
  );
  const framework: TestFramework = {
    describe: (name, body) => {
      suites.push(name);
      body();
    },
    it,
  };
  return { framework, suites, tests, skipped };
}

describe('defineStoreConformance registers one test per case', () => {
  it('in one describe block named after the store, each with a timeout longer than the case bound', () => {
    const r = recorder(true);
    const rows = new ToyRows();
    defineStoreConformance(r.framework, {
      name: 'ToyAtomicStore',
      createStore: () => new ToyAtomicStore({ rows }),
      createUnavailableStore: () => new ToyAtomicStore({ backendDown: true }),
      caseTimeoutMs: 30_000,
      atomic: toyProbe(rows),
    });
    expect(r.suites).toEqual(['ToyAtomicStore conforms to the IdempotencyStore contract']);
    expect(r.tests.map((t) => t.name)).toEqual(STORE_CONFORMANCE_CASES);
    for (const t of r.tests) expect(t.timeoutMs).toBeGreaterThan(30_000);
    expect(r.skipped).toEqual([]);
  });

  it('without createUnavailableStore the fail-closed cases go to it.skip, or are left out when there is none', () => {
    const withSkip = recorder(true);
    defineStoreConformance(withSkip.framework, { createStore: () => new ToyStore() });
    expect(withSkip.skipped).toEqual([...FAIL_CLOSED, ...ATOMIC]);
    expect(withSkip.tests.map((t) => t.name)).toEqual(WITHOUT_ATOMIC.filter((n) => !FAIL_CLOSED.includes(n)));
    const withoutSkip = recorder(false);
    defineStoreConformance(withoutSkip.framework, { createStore: () => new ToyStore() });
    expect(withoutSkip.tests).toHaveLength(WITHOUT_ATOMIC.length - FAIL_CLOSED.length);
  });

  it('without `atomic` the processOnce cases are skipped; without atomic.dropConnection only the crash case', () => {
    const without = recorder(true);
    defineStoreConformance(without.framework, {
      createStore: () => new ToyStore(),
      createUnavailableStore: () => new ToyStore({ backendDown: true }),
    });
    expect(without.skipped).toEqual(ATOMIC);
    const rows = new ToyRows();
    const { dropConnection: _, ...noDrop } = toyProbe(rows);
    const withoutDrop = recorder(true);
    defineStoreConformance(withoutDrop.framework, {
      createStore: () => new ToyAtomicStore({ rows }),
      createUnavailableStore: () => new ToyAtomicStore({ backendDown: true }),
      atomic: noDrop,
    });
    expect(withoutDrop.skipped).toEqual(ATOMIC.filter((n) => n.includes('connection dropped')));
    expect(withoutDrop.skipped).toHaveLength(1);
  });

  it.each([
    [{}, /createStore/],
    [
      { createStore: () => new ToyStore(), leaseMs: 0 },
      /leaseMs must be a number of milliseconds from 1 to 6000/,
    ],
    [{ createStore: () => new ToyStore(), doneTtlMs: Number.NaN }, /doneTtlMs/],
    [{ createStore: () => new ToyStore(), concurrency: 1 }, /concurrency must be a whole number from 2/],
    [{ createStore: () => new ToyStore(), closeStore: 'close' }, /closeStore must be a function/],
    [{ createStore: () => new ToyStore(), atomic: { write: () => {} } }, /atomic.count must be a function/],
  ])('checks the options at once, before registering anything: %o', (options, message) => {
    const r = recorder(true);
    const define = () => defineStoreConformance(r.framework, options as never);
    expect(define).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) }),
    );
    expect(r.suites).toEqual([]);
  });
});

describe('runStoreConformance closes what it opens', () => {
  it('closeStore runs once for every store it created, unavailable ones included', async () => {
    const created: IdempotencyStore[] = [];
    const closed: IdempotencyStore[] = [];
    const track = (store: ToyStore) => {
      created.push(store);
      return store;
    };
    const report = await runStoreConformance({
      createStore: () => track(new ToyStore()),
      createUnavailableStore: () => track(new ToyStore({ backendDown: true })),
      closeStore: (store) => void closed.push(store),
      leaseMs: 60,
      doneTtlMs: 80,
      expiryGraceMs: 200,
    });
    expect(report.failed).toEqual([]);
    expect(created.length).toBeGreaterThanOrEqual(WITHOUT_ATOMIC.length);
    expect(new Set(closed)).toEqual(new Set(created));
    expect(closed).toHaveLength(created.length);
  });

  it('a closeStore that rejects fails the case it closes for', async () => {
    const report = await runStoreConformance({
      createStore: () => new ToyStore(),
      closeStore: () => Promise.reject(new Error('connection already closed')),
      leaseMs: 60,
      doneTtlMs: 80,
      expiryGraceMs: 200,
    });
    expect(report.passed).toEqual([]);
    expect(report.failed.map((f) => f.error.message)).toEqual(
      Array(WITHOUT_ATOMIC.length - FAIL_CLOSED.length).fill(
        'closeStore rejected: connection already closed',
      ),
    );
    expect(report.skipped.map((s) => s.name)).toEqual([...FAIL_CLOSED, ...ATOMIC]);
  });
});
