import { Redis, type RedisOptions } from 'ioredis';

/**
 * Defaults for a client the store creates, chosen to fail fast while Redis is away (a caller's own
 * options win). ioredis keeps commands in its offline queue during a reconnect; with
 * `maxRetriesPerRequest: 1` they are failed after the second failed reconnect attempt instead of after
 * twenty, and the short backoff brings the store back soon after Redis returns.
 */
export const OWNED_CLIENT_DEFAULTS: Readonly<RedisOptions> = Object.freeze({
  maxRetriesPerRequest: 1,
  retryStrategy: (attempt: number): number => Math.min(100 * 2 ** (attempt - 1), 2_000),
  connectionName: 'ttpay-idempotency',
});

export function createOwnedClient(url: string | undefined, options: RedisOptions | undefined): Redis {
  const merged: RedisOptions = { ...OWNED_CLIENT_DEFAULTS, ...options };
  return url === undefined ? new Redis(merged) : new Redis(url, merged);
}

/** Passwords that might show up in error text, so they can be redacted. */
export function secretsOf(url: string | undefined, options: RedisOptions | undefined): string[] {
  const secrets: string[] = [];
  if (options?.password) secrets.push(options.password);
  if (options?.sentinelPassword) secrets.push(options.sentinelPassword);
  if (url) {
    try {
      const parsed = new URL(url);
      for (const raw of [parsed.password, parsed.searchParams.get('password') ?? '']) {
        if (raw) secrets.push(raw, decodeURIComponent(raw));
      }
    } catch {
      // Not a WHATWG URL (ioredis also takes "host:port"): nothing to collect.
    }
  }
  return secrets;
}
