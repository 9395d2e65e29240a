// A store author's suite on node:test, as plain JavaScript: `node --test memory-store.mjs`.
import { describe, it } from 'node:test';
import { MemoryStore } from '@ttpay/koa';
import { defineStoreConformance } from '@ttpay/testing/store-conformance';

defineStoreConformance({ describe, it }, { name: 'MemoryStore', createStore: () => new MemoryStore() });
