import { randomBytes } from 'node:crypto';

/** Client tokens live 2 hours (the platform's client_token page). */
export const CLIENT_TOKEN_TTL_SECONDS = 7200;
/** A newer token leaves the previous one valid for 5 more minutes, and only the newest two at most. */
const SUPERSEDED_GRACE_MS = 5 * 60_000;
const KEPT = 2;
/** "5 分钟内超过 500 次接口调用,接口报错,错误码 10020" (docs/PROTOCOLS.md §5.2). */
export const TOKEN_RATE_LIMIT = { calls: 500, windowMs: 5 * 60_000 } as const;

/**
 * The Douyin `clt.` client tokens required as `access-token` by the trade system's server APIs
 * (docs/PROTOCOLS.md §5.2):
 * - `/oauth/client_token/` issues a new token each time and cuts the previous ones short, as the platform
 *   does — so two app instances fetching tokens independently start failing, as they would for real;
 * - `/oauth/stable_client_token/` answers the same token while it is valid. The simulator keeps it apart
 *   from the others (a plain grant does not cut it short): an assumption, no source says either way.
 * Both count towards the rate limit: past 500 grants in 5 minutes, a grant is refused with 10020.
 */
export class ClientTokens {
  #tokens: { token: string; expiresAt: number }[] = [];
  #stable: { token: string; expiresAt: number } | undefined;
  #grants: number[] = [];

  issue(now = Date.now()): { token: string; expiresIn: number } {
    for (const t of this.#tokens) t.expiresAt = Math.min(t.expiresAt, now + SUPERSEDED_GRACE_MS);
    const token = newToken();
    this.#tokens.push({ token, expiresAt: now + CLIENT_TOKEN_TTL_SECONDS * 1000 });
    this.#tokens = this.#tokens.slice(-KEPT);
    return { token, expiresIn: CLIENT_TOKEN_TTL_SECONDS };
  }

  /** The stable token while it lives (with what is left of its life), else a new one. */
  issueStable(now = Date.now()): { token: string; expiresIn: number } {
    if (this.#stable === undefined || this.#stable.expiresAt <= now) {
      this.#stable = { token: newToken(), expiresAt: now + CLIENT_TOKEN_TTL_SECONDS * 1000 };
    }
    return { token: this.#stable.token, expiresIn: Math.floor((this.#stable.expiresAt - now) / 1000) };
  }

  /** Counts a grant request; false when it is over the rate limit (the platform answers 10020). */
  admitGrant(now = Date.now()): boolean {
    this.#grants = this.#grants.filter((at) => at > now - TOKEN_RATE_LIMIT.windowMs);
    if (this.#grants.length >= TOKEN_RATE_LIMIT.calls) return false;
    this.#grants.push(now);
    return true;
  }

  isValid(token: string | undefined, now = Date.now()): boolean {
    return this.check(token, now) === 'valid';
  }

  /** `unknown`: never issued (or dropped as older than the newest two); `expired`: issued, past its time. */
  check(token: string | undefined, now = Date.now()): 'valid' | 'expired' | 'unknown' {
    const stable = this.#stable?.token === token ? this.#stable : undefined;
    const found = stable ?? (token === undefined ? undefined : this.#tokens.find((t) => t.token === token));
    if (found === undefined) return 'unknown';
    return found.expiresAt > now ? 'valid' : 'expired';
  }
}

function newToken(): string {
  return `clt.${randomBytes(24).toString('hex')}`;
}
