import type { IdempotencyStore } from '@ttpay/core/store';
import type { ConformanceSettings } from './options.js';
import { settleWithin } from './settle-within.js';
import { type StoreUnderTest, underTest } from './store-under-test.js';

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
