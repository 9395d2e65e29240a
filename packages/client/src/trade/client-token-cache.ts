import { raceAbort } from '../http/abort.js';

export interface FetchedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface ClientTokenCacheOptions {
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 300. */
  refreshMarginSeconds?: number;
  now?: () => number;
}

/**
 * Holds one client token until shortly before it expires. Single-flight: concurrent callers share one
 * fetch. A caller's abort ends only its own wait, not the shared fetch; a failed fetch is not cached.
 */
export class ClientTokenCache {
  readonly #fetch: () => Promise<FetchedToken>;
  readonly #marginMs: number;
  readonly #now: () => number;
  #token: { value: string; refreshAtMs: number } | undefined;
  #inflight: Promise<string> | undefined;

  constructor(fetch: () => Promise<FetchedToken>, options: ClientTokenCacheOptions = {}) {
    this.#fetch = fetch;
    this.#marginMs = (options.refreshMarginSeconds ?? 300) * 1000;
    this.#now = options.now ?? Date.now;
  }

  get(signal?: AbortSignal): Promise<string> {
    if (this.#token !== undefined && this.#now() < this.#token.refreshAtMs) {
      return Promise.resolve(this.#token.value);
    }
    this.#inflight ??= this.#refresh();
    return raceAbort(this.#inflight, signal);
  }

  clear(): void {
    this.#token = undefined;
  }

  /**
   * The platform refused `value`: forget it, unless the cache already holds a newer token (a concurrent
   * call got there first) — so N calls failing together cause one fetch, not N.
   */
  invalidate(value: string): void {
    if (this.#token?.value === value) this.#token = undefined;
  }

  async #refresh(): Promise<string> {
    // The lifetime is counted from before the request: the platform's clock started no later.
    const startedAt = this.#now();
    try {
      const fetched = await this.#fetch();
      const lifetimeMs = fetched.expiresInSeconds * 1000;
      this.#token = {
        value: fetched.accessToken,
        refreshAtMs: startedAt + lifetimeMs - Math.min(this.#marginMs, lifetimeMs / 2),
      };
      return fetched.accessToken;
    } finally {
      this.#inflight = undefined;
    }
  }
}
