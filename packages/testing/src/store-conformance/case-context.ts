import assert from 'node:assert/strict';
import type { IdempotencyStore } from '@ttpay/core/store';
import type { AtomicSettings, ConformanceSettings } from './options.js';
import { settleWithin } from './settle-within.js';
import { type AtomicUnderTest, atomicUnderTest, type StoreUnderTest, underTest } from './store-under-test.js';

/** What one case gets: fresh stores (closed after it) and the settings. */
export class CaseContext {
  readonly settings: ConformanceSettings;
  readonly #opened: IdempotencyStore[] = [];

  constructor(settings: ConformanceSettings) {
    this.settings = settings;
  }

  /** A fresh, empty store. */
  async store(): Promise<StoreUnderTest> {
    return this.#wrap(await this.settings.createStore(), 'store');
  }

  /**
   * A fresh store and a second instance over the same backend (`createPeer`), or the same instance
   * twice when there is no peer.
   */
  async instances(): Promise<readonly [StoreUnderTest, StoreUnderTest]> {
    const first = await this.store();
    const { createPeer } = this.settings;
    if (!createPeer) return [first, first];
    return [first, this.#wrap(await createPeer(first.store), 'peer')];
  }

  /** `instances()`, for the atomic cases: both must have `processOnce`. */
  async atomicInstances(): Promise<readonly [AtomicUnderTest, AtomicUnderTest]> {
    const [store, peer] = await this.instances();
    for (const s of [store, peer]) {
      if (typeof (s.store as { processOnce?: unknown }).processOnce !== 'function') {
        assert.fail(
          `the options give \`atomic\`, but the ${s.label} from ${s.label === 'peer' ? 'createPeer' : 'createStore'}() has no processOnce method: give \`atomic\` only for an AtomicIdempotencyStore.`,
        );
      }
    }
    return [atomicUnderTest(store), store === peer ? atomicUnderTest(store) : atomicUnderTest(peer)];
  }

  /** The atomic probe; only the atomic cases call it, and they run only when it is given. */
  get probe(): AtomicSettings {
    const { atomic } = this.settings;
    if (!atomic) throw new Error('this case needs the atomic probe');
    return atomic;
  }

  /** A store whose backend does not answer; undefined when the options have none. */
  async unavailableStore(): Promise<IdempotencyStore | undefined> {
    const create = this.settings.createUnavailableStore;
    if (!create) return undefined;
    const store = await create();
    this.#opened.push(store);
    return store;
  }

  /**
   * Closes every store of the case, the last opened first. Returns the first failure (a close that
   * rejected or hung) instead of throwing, so it never hides the case's own failure.
   */
  async close(): Promise<Error | undefined> {
    let failure: Error | undefined;
    for (const store of this.#opened.splice(0).reverse()) {
      const outcome = await settleWithin(
        () => this.settings.closeStore(store),
        this.settings.operationTimeoutMs,
      );
      if (failure) continue;
      if (outcome.kind === 'pending') {
        failure = new Error(`closeStore did not settle within ${this.settings.operationTimeoutMs} ms.`);
      } else if (outcome.kind === 'rejected') {
        const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
        failure = new Error(`closeStore rejected: ${reason}`, { cause: outcome.error });
      }
    }
    return failure;
  }

  #wrap(store: IdempotencyStore, label: string): StoreUnderTest {
    if (!this.#opened.includes(store)) this.#opened.push(store);
    return underTest(store, label, this.settings.operationTimeoutMs);
  }
}
