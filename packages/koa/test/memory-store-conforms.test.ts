import { defineStoreConformance } from '@ttpay/testing/store-conformance';
import { describe, it } from 'vitest';
import { MemoryStore } from '../src/index.js';

// The in-process store has no backend to lose, so the fail-closed cases are reported as skipped.
defineStoreConformance({ describe, it }, { name: 'MemoryStore', createStore: () => new MemoryStore() });
