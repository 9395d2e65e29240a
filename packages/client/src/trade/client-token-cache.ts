import { raceAbort } from '../http/abort.js';

export interface FetchedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface ClientTokenCacheOptions {
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 300. */
  refreshMarginSeconds?: number;
  now?: () => number;
  /** Is this fetch failure the platform's rate limit (10020)? Then no new fetch until a back-off ends. */
  isRateLimited?: (error: unknown) => boolean;
  /** First back-off after a rate-limited fetch, doubled on each one after it. Default 10 s. */
  backoffBaseMs?: number;
  /** Longest back-off: the platform counts calls over 5 minutes. Default 5 minutes. */
  backoffMaxMs?: number;
}

interface CachedToken {
  value: string;
  refreshAtMs: number;
  expiresAtMs: number;
}

/**
 * Holds one client token until shortly before it expires. Single-flight: concurrent callers share one
 * fetch. A caller's abort ends only its own wait, not the shared fetch; a failed fetch is not cached.
 *
 * Rate limit: the token endpoints answer 10020 after 500 calls in 5 minutes (docs/PROTOCOLS.md §5.2). A
 * fetch refused so starts a back-off (10 s, doubling to 5 minutes): meanwhile no fetch is sent, a token
 * still within its lifetime keeps serving (refreshing early is only a margin), and without one the
 * callers get that 10020 error at once rather than adding calls to the window.
 */
export class ClientTokenCache {
  readonly #fetch: () => Promise<FetchedToken>;
  readonly #marginMs: number;
  readonly #now: () => number;
  readonly #isRateLimited: (error: unknown) => boolean;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  #token: CachedToken | undefined;
  #inflight: Promise<string> | undefined;
  #backoff: { untilMs: number; error: unknown } | undefined;
  #rateLimitedFetches = 0;

  constructor(fetch: () => Promise<FetchedToken>, options: ClientTokenCacheOptions = {}) {
    this.#fetch = fetch;
    this.#marginMs = (options.refreshMarginSeconds ?? 300) * 1000;
    this.#now = options.now ?? Date.now;
    this.#isRateLimited = options.isRateLimited ?? (() => false);
    this.#backoffBaseMs = options.backoffBaseMs ?? 10_000;
    this.#backoffMaxMs = options.backoffMaxMs ?? 5 * 60_000;
  }

  get(signal?: AbortSignal): Promise<string> {
    const now = this.#now();
    const token = this.#token;
    if (token !== undefined && now < token.refreshAtMs) return Promise.resolve(token.value);
    if (this.#backoff !== undefined && now < this.#backoff.untilMs) {
      if (token !== undefined && now < token.expiresAtMs) return Promise.resolve(token.value);
      return Promise.reject(this.#backoff.error);
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
        expiresAtMs: startedAt + lifetimeMs,
      };
      this.#backoff = undefined;
      this.#rateLimitedFetches = 0;
      return fetched.accessToken;
    } catch (error) {
      if (!this.#isRateLimited(error)) throw error;
      this.#rateLimitedFetches++;
      const waitMs = Math.min(this.#backoffMaxMs, this.#backoffBaseMs * 2 ** (this.#rateLimitedFetches - 1));
      const now = this.#now();
      this.#backoff = { untilMs: now + waitMs, error };
      const token = this.#token;
      if (token !== undefined && now < token.expiresAtMs) return token.value;
      throw error;
    } finally {
      this.#inflight = undefined;
    }
  }
}
