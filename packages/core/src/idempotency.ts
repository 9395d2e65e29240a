import { hash, randomUUID } from 'node:crypto';
import type { TtpayEvent } from './events.js';

/**
 * Proof of one claim on one key. `token` is unique per claim (a fencing token): `complete` and `release`
 * take the lease, so a store can act only for the claim that still holds the key — an instance whose
 * lease ran out can never free or overwrite a claim another instance made since.
 */
export interface Lease {
  readonly key: string;
  readonly token: string;
}

/** What a store answers when a delivery tries to claim its key. */
export type Claim =
  /** This caller holds the key until `leaseMs` runs out: run the handler, then complete or release. */
  | { readonly status: 'claimed'; readonly lease: Lease }
  /** Another claim holds it (or the store is full of claims): answer "retry later". */
  | { readonly status: 'in-flight' }
  /** Handled already: acknowledge without running the handler. */
  | { readonly status: 'done' };

/**
 * The codes a store's own coded errors carry (`RedisStoreError`, `PostgresStoreError`; a store of yours
 * can use them too, as `TtpayError<StoreErrorCode>`). Each means what it means in every package (the root
 * README, "Error codes"). `STORE_UNAVAILABLE` and `STORE_BUSY` mean "nothing is known to have happened":
 * the delivery must not be acknowledged, so the platform retries it. The delivery engine answers a store
 * that throws `STORE_UNAVAILABLE` with `503 STORE_UNAVAILABLE`, one that throws `STORE_BUSY` with
 * `503 STORE_BUSY`, and any other store failure with `503 STORE_FAILED`.
 */
export type StoreErrorCode =
  /**
   * The backend did not answer in time or the connection is down: nothing is known to have happened, so
   * the delivery must not be acknowledged and the platform retries it.
   */
  | 'STORE_UNAVAILABLE'
  /**
   * The backend is up but the store has no room for the operation right now: every connection of its
   * pool is in use (or the server refuses more connections). Nothing was done; retry later. Seen often,
   * it says the pool is smaller than the work done at once (the store's README: sizing the pool).
   */
  | 'STORE_BUSY'
  /** The backend answered with an error (read-only, out of memory, missing table, …). */
  | 'STORE_REJECTED'
  /** `close()` was called on this store. */
  | 'STORE_CLOSED'
  /** The backend holds a value this store did not write. */
  | 'UNEXPECTED_VALUE'
  /** The caller passed an unusable value: an empty key, a lease without a token, a non-positive ttl, bad options. */
  | 'INVALID_ARGUMENT';

/**
 * The persistence hook behind de-duplication (the root README, "Your own persistence"). A store must guarantee:
 * - `claim` is atomic: of any number of concurrent claims on a key that is free (never claimed, released,
 *   or its lease or done-record expired), exactly one gets `claimed`, with a fresh token;
 * - `complete(lease, ttlMs)` records the key as done for `ttlMs` — even when the lease ran out meanwhile
 *   (the handler DID run: a later delivery must be acknowledged, not processed a third time) — and never
 *   shortens or replaces a done-record;
 * - `release(lease)` frees the key only while that very lease still holds it; otherwise it is a no-op.
 * `@ttpay/testing`'s store conformance kit checks all of it against a real store.
 */
export interface IdempotencyStore {
  claim(key: string, leaseMs: number): Claim | Promise<Claim>;
  complete(lease: Lease, ttlMs: number): void | Promise<void>;
  release(lease: Lease): void | Promise<void>;
}

/**
 * A store that lives in the app's own database and can make the handler's writes and the done-record
 * one transaction: `completeWithin` opens a transaction, runs `work` with it, records the key done in
 * it while checking that `lease` still holds the key, and commits — both or neither. If the lease was
 * taken over (it expired and another delivery claimed the key), nothing commits and it rejects with a
 * `TtpayError` of code `LEASE_LOST`: the other holder applies the event, exactly once.
 * `@ttpay/koa` uses it when the store has it, and hands the transaction to the handler as `ctx.payment.tx`.
 */
export interface TransactionalIdempotencyStore<Tx> extends IdempotencyStore {
  completeWithin<R>(lease: Lease, ttlMs: number, work: (tx: Tx) => Promise<R>): Promise<R>;
}

/** What `AtomicIdempotencyStore.processOnce` came to. */
export type AtomicRun<R> =
  /** The key was handled already: `work` did not run. Acknowledge. */
  | { readonly status: 'done' }
  /** Another transaction holds the key right now: `work` did not run. Answer "retry later". */
  | { readonly status: 'in-flight' }
  /** `work` ran and committed together with the key's done-record. */
  | { readonly status: 'processed'; readonly result: R };

/**
 * A store in the app's own database that can take the second, leaseless path: claim, work and done-record
 * in ONE transaction. `processOnce` opens a transaction, claims `key` inside it WITHOUT waiting (a lock the
 * transaction holds, so a crashed process's claim dies with its connection — no lease to wait out), answers
 * `done` / `in-flight` without running `work`, else runs `work(tx)`, records the key done for `ttlMs` in
 * the same transaction and commits. Rejects with exactly what `work` threw (rolled back: nothing recorded),
 * or with a coded store error (`STORE_UNAVAILABLE`, `STORE_BUSY`, …) when the database failed — then the
 * commit's outcome may be unknown, and a redelivery finds the key done or free. There is nothing to release.
 * A claim that cannot be had at once answers `in-flight`, even when what holds it is not this key (a lock
 * shared by two keys): a retry later is always safe. A database that runs one transaction at a time (PGlite)
 * starts this one only once the one before it has ended, so a duplicate there waits for the first instead of
 * answering `in-flight`, then finds the key done (or free, if the first rolled back).
 * `onClaimed`, when given, is called once the key is held and before `work` runs; if it throws, that counts
 * as `work` throwing.
 * Delivery pipelines prefer this path when a store has it; `@ttpay/testing`'s conformance kit checks it.
 */
export interface AtomicIdempotencyStore<Tx> extends IdempotencyStore {
  processOnce<R>(
    key: string,
    ttlMs: number,
    work: (tx: Tx) => Promise<R>,
    onClaimed?: () => void,
  ): Promise<AtomicRun<R>>;
}

/** True when `store` can claim, run and record an event in one transaction (`processOnce`). */
export function isAtomicStore(store: IdempotencyStore): store is AtomicIdempotencyStore<unknown> {
  return typeof (store as { processOnce?: unknown }).processOnce === 'function';
}

/** True when `store` can commit the handler's writes and its done-record together. */
export function isTransactionalStore(
  store: IdempotencyStore,
): store is TransactionalIdempotencyStore<unknown> {
  return typeof (store as { completeWithin?: unknown }).completeWithin === 'function';
}

/**
 * A fresh, unguessable lease token (a random UUID: 122 random bits) — what a store hands out with each
 * claim. randomUUID draws from entropy Node caches; randomBytes(16) per claim was one OpenSSL call each,
 * 1–5 µs of a MemoryStore claim (bench/PROFILE.md).
 */
export function newLeaseToken(): string {
  return randomUUID();
}

/** Longest key a store keeps as it is; longer ones are stored by digest (see `storableKey`). */
const MAX_PLAIN_KEY_LENGTH = 200;
const DIGEST_PREFIX = 'sha256:';

/**
 * The form of an event key a store can hold as text: the key itself when it is well-formed Unicode,
 * has no NUL, is at most 200 characters and does not start with `sha256:`; otherwise `sha256:` and the
 * hex SHA-256 of its JSON form. Injective: two different keys never share a form (JSON.stringify
 * escapes lone surrogates, which UTF-8 encoders would otherwise all turn into U+FFFD — two keys, one
 * stored key, and the second event acknowledged unprocessed). PostgreSQL text cannot hold NUL at all.
 */
export function storableKey(key: string): string {
  if (
    key.length <= MAX_PLAIN_KEY_LENGTH &&
    key.isWellFormed() &&
    !key.includes('\0') &&
    !key.startsWith(DIGEST_PREFIX)
  ) {
    return key;
  }
  return DIGEST_PREFIX + hash('sha256', JSON.stringify(key), 'hex');
}

/** A short stable digest used when an event carries no natural business key. */
export function digestKey(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 32);
}

/**
 * The platform's business id for an event: `cp_orderno`, `cp_refundno`, `cp_settle_no`, `out_order_no`,
 * `out_refund_no`, `out_settle_no`, `tts_notification_id` or the gateway token.
 */
export function eventRef(event: TtpayEvent): string {
  switch (event.platform) {
    case 'douyin': {
      const msg = event.msg as Record<string, unknown>;
      const fields =
        event.system === 'ecpay'
          ? ['cp_orderno', 'cp_refundno', 'cp_settle_no']
          : ['out_order_no', 'out_refund_no', 'out_settle_no'];
      const order =
        event.type === 'refund'
          ? [fields[1], fields[0]]
          : event.type === 'settle'
            ? [fields[2], fields[0]]
            : [fields[0]];
      for (const f of order) {
        const v = msg[f as string];
        if (typeof v === 'string' && v) return v;
      }
      return event.key;
    }
    case 'tiktok':
      return event.tts_notification_id;
    case 'algovoi':
      return event.data.payment_link_token ?? event.id;
  }
}
