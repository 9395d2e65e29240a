export { STORE_CONFORMANCE_CASES } from './all-cases.js';
export { defineStoreConformance, type TestFramework } from './define-store-conformance.js';
export type { AtomicProbe, StoreConformanceOptions, TransactionOf } from './options.js';
export { type ConformanceReport, runStoreConformance } from './run-store-conformance.js';
