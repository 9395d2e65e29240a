import type { TtpayLogger } from '@ttpay/core';
import { answerWithin, leaseToken, nonEmptyString, positiveMs } from '@ttpay/core/internal';
import { type Claim, type IdempotencyStore, type Lease, newLeaseToken, storableKey } from '@ttpay/core/store';
import { type Cluster, Redis, type RedisOptions } from 'ioredis';
import { RedisStoreError, redact, toStoreError } from './errors.js';
import { createOwnedClient, secretsOf } from './owned-client.js';
import { defineIdempotencyScripts, type IdempotencyScripts } from './scripts.js';

export interface RedisStoreOptions {
  /** An ioredis client you own and configure: the store never quits it. See README for settings. */
  client?: Redis | Cluster;
  /** Or a `redis://` / `rediss://` URL: the store creates the client, owns it, and `close()` quits it. */
  url?: string;
  /** Options for the client the store creates (with or without `url`), over its fail-fast defaults. */
  redisOptions?: RedisOptions;
  /** Prepended to every key. Default `ttpay:idem:`. */
  prefix?: string;
  /**
   * Milliseconds to wait for Redis before an operation rejects with `STORE_UNAVAILABLE`. Default 2000.
   * Keep it well under the platform's callback timeout.
   */
  commandTimeout?: number;
  /** Told when a handler outlived its claim's lease, and when a store-owned connection goes down. */
  logger?: TtpayLogger;
}

const DEFAULT_PREFIX = 'ttpay:idem:';
const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

/**
 * The IdempotencyStore of @ttpay/koa on Redis, for several app instances sharing one Redis.
 * Claims are leases (`SET NX PX`) owned by a per-claim token; see README.md for the exact semantics.
 */
export class RedisStore implements IdempotencyStore {
  readonly prefix: string;
  readonly #client: Redis | Cluster;
  readonly #owned: boolean;
  readonly #scripts: IdempotencyScripts;
  readonly #timeoutMs: number;
  readonly #secrets: readonly string[];
  readonly #logger: TtpayLogger | undefined;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    const { client, url, redisOptions, prefix = DEFAULT_PREFIX, commandTimeout, logger } = options;
    if (client && (url !== undefined || redisOptions)) {
      throw new RedisStoreError(
        'INVALID_ARGUMENT',
        'RedisStore: pass either `client` (a connection you own) or `url`/`redisOptions` (one the store creates), not both',
      );
    }
    if (!client && url === undefined && !redisOptions) {
      throw new RedisStoreError(
        'INVALID_ARGUMENT',
        'RedisStore: pass `client` (an ioredis client), `url` (e.g. process.env.REDIS_URL) or `redisOptions`',
      );
    }
    if (url !== undefined) nonEmptyString(url, 'RedisStore: `url`');
    const timeoutMs = positiveMs(
      commandTimeout ?? DEFAULT_COMMAND_TIMEOUT_MS,
      'RedisStore: `commandTimeout`',
      RedisStoreError,
    );
    this.prefix = prefix;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
    this.#owned = !client;
    this.#client = client ?? createOwnedClient(url, redisOptions);
    this.#secrets = client ? secretsOf(undefined, clientOptions(client)) : secretsOf(url, redisOptions);
    this.#scripts = defineIdempotencyScripts(this.#client);
    if (this.#owned) this.#reportOutages();
  }

  /** Atomically claims `key` for `leaseMs` (the lease: longer than the handler can take). */
  async claim(key: string, leaseMs: number): Promise<Claim> {
    const redisKey = this.#keyFor(key, 'claim');
    const ms = ttlFor(leaseMs, 'claim');
    const token = newLeaseToken();
    const pending = this.#scripts.claim(redisKey, token, ms);
    let reply: unknown;
    try {
      reply = await this.#answer(pending, 'claim');
    } catch (error) {
      // ioredis may still deliver a timed-out claim (offline queue, resend on reconnect): if it lands,
      // hand the lease straight back so redeliveries are not told "in-flight" until it expires.
      pending
        .then((late) => (late === 'claimed' ? this.#scripts.release(redisKey, token) : undefined))
        .catch(() => {});
      throw error;
    }
    if (reply === 'claimed') return { status: 'claimed', lease: { key, token } };
    if (reply === 'in-flight' || reply === 'done') return { status: reply };
    throw this.#unexpected(key, reply);
  }

  /**
   * Marks the lease's key processed for `ttlMs`. The handler ran, so this records done even if the lease
   * expired meanwhile (and warns: the event may have been processed twice); it never replaces a done
   * record. On failure the claim is left as it is, so `release` can still hand it back.
   */
  async complete(lease: Lease, ttlMs: number): Promise<void> {
    const redisKey = this.#keyFor(lease?.key, 'complete');
    const token = tokenOf(lease, 'complete');
    const ttl = ttlFor(ttlMs, 'complete');
    const reply = await this.#answer(this.#scripts.complete(redisKey, token, ttl), 'complete');
    if (reply === 'completed') return;
    if (reply === 'lease-expired' || reply === 'lease-taken' || reply === 'done-elsewhere') {
      this.#logger?.warn(
        { key: lease.key, outcome: reply },
        'ttpay idempotency: the handler outlived its claim (lease expired before complete), so this event may have been processed more than once; raise the claim ttl above the handler’s worst case',
      );
      return;
    }
    throw this.#unexpected(lease.key, reply);
  }

  /**
   * Gives up the claim so a redelivery can process it. Only the claim's own token can delete it: after
   * the lease expired (and maybe someone else claimed the key) this changes nothing.
   */
  async release(lease: Lease): Promise<void> {
    const redisKey = this.#keyFor(lease?.key, 'release');
    const token = tokenOf(lease, 'release');
    await this.#answer(this.#scripts.release(redisKey, token), 'release');
  }

  /** Stops the store; quits the connection if the store created it (a client you passed stays open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#owned) return;
    const client = this.#client;
    if (client.status !== 'ready') {
      client.disconnect();
      return;
    }
    const quit = client.quit().then(
      () => undefined,
      () => client.disconnect(),
    );
    const timer = setTimeout(() => client.disconnect(), this.#timeoutMs);
    await Promise.race([quit, new Promise<void>((resolve) => client.once('end', resolve))]);
    clearTimeout(timer);
  }

  #keyFor(key: string, operation: string): string {
    if (this.#closed) {
      throw new RedisStoreError('STORE_CLOSED', `RedisStore: ${operation} after close()`);
    }
    nonEmptyString(key, `RedisStore: ${operation}'s key`);
    // Keys Redis would store lossily (lone surrogates become U+FFFD) or that are long go by digest.
    return this.prefix + storableKey(key);
  }

  /** The reply, or a RedisStoreError once `commandTimeout` passes or ioredis gives up. */
  #answer(pending: Promise<unknown>, operation: string): Promise<unknown> {
    return answerWithin(
      pending,
      this.#timeoutMs,
      () =>
        new RedisStoreError(
          'STORE_UNAVAILABLE',
          `Redis did not answer the idempotency ${operation} within ${this.#timeoutMs} ms (commandTimeout); the delivery must not be acknowledged so the platform retries it`,
        ),
      (error) => toStoreError(error, operation, this.#secrets),
    );
  }

  #unexpected(key: string, reply: unknown): RedisStoreError {
    return new RedisStoreError(
      'UNEXPECTED_VALUE',
      `RedisStore: ${this.prefix}${key} holds a value RedisStore did not write (reply ${JSON.stringify(reply)}); is the prefix shared with other data?`,
    );
  }

  /** One warning per outage of the store's own connection (ioredis would print every retry otherwise). */
  #reportOutages(): void {
    let reported = false;
    this.#client.on('error', (error: unknown) => {
      if (reported || this.#closed) return;
      reported = true;
      const message = redact(error instanceof Error ? error.message : String(error), this.#secrets);
      this.#logger?.warn({ error: message }, 'ttpay idempotency: Redis connection lost; reconnecting');
    });
    this.#client.on('ready', () => {
      reported = false;
    });
  }
}

function tokenOf(lease: Lease, operation: string): string {
  return leaseToken(lease, `RedisStore: ${operation}`);
}

function ttlFor(ttlMs: number, operation: string): number {
  return Math.ceil(positiveMs(ttlMs, `RedisStore: ${operation}'s ttl`));
}

function clientOptions(client: Redis | Cluster): RedisOptions | undefined {
  return client instanceof Redis ? client.options : client.options.redisOptions;
}
