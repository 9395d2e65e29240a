import { randomBytes } from 'node:crypto';
import type { Claim, Lease } from '@ttpay/core/store';
import { Redis } from 'ioredis';

/** The Redis these tests run against: a real server, never a mock. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Keys of one test file never meet another file's, another run's, or other people's. */
export function uniquePrefix(label: string): string {
  return `ttpay-test:${label}:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`;
}

/**
 * A plain ioredis client for assertions (raw GET/PTTL) and for the stores under test. Fails — never
 * skips — when Redis is not there, saying how to start one.
 */
export async function connectRedis(options: { connectionName?: string } = {}): Promise<Redis> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 50, 500),
    ...options,
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error; // the tests assert on command outcomes; reconnect noise is expected
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const where = REDIS_URL.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(
      `@ttpay/store-redis tests need a real Redis at ${where} (${(lastError ?? (error as Error)).message}). ` +
        "Start one with `redis-server --port 6379 --save '' --appendonly no` or set REDIS_URL.",
    );
  }
  return client;
}

/** Deletes every key under `prefix` (SCAN, never KEYS or FLUSH: the server is shared). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** The status a claim answered. */
export async function statusOf(claim: Promise<Claim>): Promise<Claim['status']> {
  return (await claim).status;
}

/** The lease of a claim that must be granted. */
export async function leaseOf(claim: Promise<Claim>): Promise<Lease> {
  const answer = await claim;
  if (answer.status !== 'claimed') throw new Error(`expected claimed, got ${answer.status}`);
  return answer.lease;
}
