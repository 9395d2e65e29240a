import { raceAbort } from '../http/abort.js';
import type { TikTokToken } from './types.js';

export interface ShopTokenOptions {
  /** Refresh this long before `access_token_expire_in`. */
  refreshMarginSeconds: number;
  /** Called with every new grant, to persist it (the refresh token may change with it). */
  onRefresh?: ((grant: TikTokToken) => unknown) | undefined;
  now: () => number;
}

/**
 * Holds one shop's access token and refreshes it with its refresh token (docs/PROTOCOLS.md §3.5): before
 * it expires, and when the platform says it expired (105002). Single-flight: concurrent calls share one
 * refresh; a caller's abort ends only its own wait; a failed refresh keeps the grant it had.
 */
export class ShopToken {
  #grant: TikTokToken;
  readonly #options: ShopTokenOptions;
  #inflight: Promise<TikTokToken> | undefined;
  /**
   * Epoch seconds before which no early refresh is tried again: set when a refresh left the token inside
   * the margin (the platform may answer an early refresh with the token it has, or one that lives less than
   * the margin), so that calls inside the margin do not refresh on every call.
   */
  #noEarlyRefreshUntil = 0;

  constructor(
    grant: TikTokToken,
    readonly refresh: (refreshToken: string, signal?: AbortSignal) => Promise<TikTokToken>,
    options: ShopTokenOptions,
  ) {
    this.#grant = grant;
    this.#options = options;
  }

  /** The access token to send now, refreshed first when it is within the margin of its expiry. */
  async get(signal?: AbortSignal): Promise<string> {
    const nowSeconds = Math.floor(this.#options.now() / 1000);
    const expiresAt = this.#grant.access_token_expire_in;
    const due =
      typeof expiresAt === 'number' &&
      nowSeconds >= expiresAt - this.#options.refreshMarginSeconds &&
      (nowSeconds >= expiresAt || nowSeconds >= this.#noEarlyRefreshUntil);
    if (!due) return this.#grant.access_token;
    return (await this.#refreshOnce(signal)).access_token;
  }

  /**
   * The platform said `used` has expired: refresh — unless a newer token replaced it meanwhile (another
   * call refreshed first), so N calls failing together cause one refresh, not N.
   */
  async replace(used: string, signal?: AbortSignal): Promise<string> {
    if (this.#grant.access_token !== used) return this.#grant.access_token;
    return (await this.#refreshOnce(signal)).access_token;
  }

  current(): TikTokToken {
    return this.#grant;
  }

  #refreshOnce(signal?: AbortSignal): Promise<TikTokToken> {
    this.#inflight ??= this.#refresh();
    return raceAbort(this.#inflight, signal);
  }

  async #refresh(): Promise<TikTokToken> {
    const before = this.#grant;
    try {
      // Checked when the client was built: a managed grant has a refresh token.
      const refreshToken = before.refresh_token as string;
      const next = await this.refresh(refreshToken);
      // The platform may leave the refresh token out of a refresh answer: keep the one that worked.
      const grant: TikTokToken = { ...next, refresh_token: next.refresh_token ?? refreshToken };
      this.#grant = grant;
      const expiresAt = grant.access_token_expire_in;
      const nowSeconds = Math.floor(this.#options.now() / 1000);
      if (typeof expiresAt === 'number' && nowSeconds >= expiresAt - this.#options.refreshMarginSeconds) {
        this.#noEarlyRefreshUntil = expiresAt;
      }
      await this.#options.onRefresh?.(grant);
      return grant;
    } finally {
      this.#inflight = undefined;
    }
  }
}
