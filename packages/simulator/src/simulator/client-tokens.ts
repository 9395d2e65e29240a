import { randomBytes } from 'node:crypto';

/** Client tokens live 2 hours (the platform's client_token page). */
export const CLIENT_TOKEN_TTL_SECONDS = 7200;
/** A newer token leaves the previous one valid for 5 more minutes, and only the newest two at most. */
const SUPERSEDED_GRACE_MS = 5 * 60_000;
const KEPT = 2;

/**
 * The Douyin `clt.` client tokens issued by /oauth/client_token/ and required as `access-token` by the
 * trade system's server APIs (docs/PROTOCOLS.md §2). Issuing a new token cuts the previous ones short, as the
 * platform does — so two app instances fetching tokens independently start failing, as they would for real.
 */
export class ClientTokens {
  #tokens: { token: string; expiresAt: number }[] = [];

  issue(now = Date.now()): { token: string; expiresIn: number } {
    for (const t of this.#tokens) t.expiresAt = Math.min(t.expiresAt, now + SUPERSEDED_GRACE_MS);
    const token = `clt.${randomBytes(24).toString('hex')}`;
    this.#tokens.push({ token, expiresAt: now + CLIENT_TOKEN_TTL_SECONDS * 1000 });
    this.#tokens = this.#tokens.slice(-KEPT);
    return { token, expiresIn: CLIENT_TOKEN_TTL_SECONDS };
  }

  isValid(token: string | undefined, now = Date.now()): boolean {
    return this.check(token, now) === 'valid';
  }

  /** `unknown`: never issued (or dropped as older than the newest two); `expired`: issued, past its time. */
  check(token: string | undefined, now = Date.now()): 'valid' | 'expired' | 'unknown' {
    const found = token === undefined ? undefined : this.#tokens.find((t) => t.token === token);
    if (found === undefined) return 'unknown';
    return found.expiresAt > now ? 'valid' : 'expired';
  }
}
