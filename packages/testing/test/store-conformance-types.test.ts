import type * as nodeTest from 'node:test';
import type { IdempotencyStore } from '@ttpay/core/store';
import { MemoryStore } from '@ttpay/koa';
import {
  type ConformanceReport,
  defineStoreConformance,
  runStoreConformance,
  type StoreConformanceOptions,
  type TestFramework,
} from '@ttpay/testing/store-conformance';
import { describe, expectTypeOf, it } from 'vitest';

// Checked by `pnpm typecheck`; at run time these only touch types.
describe('store conformance kit types', () => {
  it("vitest's and node:test's describe and it fit TestFramework as they are", () => {
    expectTypeOf({ describe, it }).toExtend<TestFramework>();
    expectTypeOf<{ describe: typeof nodeTest.describe; it: typeof nodeTest.it }>().toExtend<TestFramework>();
  });

  it('hooks see the store type createStore returns', () => {
    expectTypeOf<
      Parameters<NonNullable<StoreConformanceOptions<MemoryStore>['closeStore']>>[0]
    >().toEqualTypeOf<MemoryStore>();
    const options: StoreConformanceOptions<MemoryStore> = {
      createStore: () => new MemoryStore(),
      // The store is a MemoryStore here, not just an IdempotencyStore.
      closeStore: (store) => void store.size,
    };
    expectTypeOf(options).toExtend<StoreConformanceOptions>();
  });

  it('createStore is required, and must return an IdempotencyStore', () => {
    // @ts-expect-error createStore is missing
    const missing: StoreConformanceOptions = { leaseMs: 200 };
    // @ts-expect-error a store needs claim, complete and release
    const notAStore: StoreConformanceOptions = { createStore: () => ({ claim: () => ({ status: 'done' }) }) };
    expectTypeOf(missing).not.toBeAny();
    expectTypeOf(notAStore).not.toBeAny();
  });

  it('runStoreConformance resolves to a report; defineStoreConformance returns nothing', () => {
    expectTypeOf(runStoreConformance<IdempotencyStore>).returns.toEqualTypeOf<Promise<ConformanceReport>>();
    expectTypeOf<ConformanceReport['failed'][number]>().toEqualTypeOf<{ name: string; error: Error }>();
    expectTypeOf(defineStoreConformance<IdempotencyStore>).returns.toBeVoid();
  });
});
