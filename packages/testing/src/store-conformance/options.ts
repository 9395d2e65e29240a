import { TtpayError } from '@ttpay/core';
import type { AtomicIdempotencyStore, IdempotencyStore } from '@ttpay/core/store';

/** The transaction type a store's `processOnce` hands its work, or `never` for a store without one. */
export type TransactionOf<S> = S extends AtomicIdempotencyStore<infer Tx> ? Tx : never;

/**
 * How the atomic cases (`processOnce` of an `AtomicIdempotencyStore`) see the work's writes: through
 * the transaction `processOnce` hands the work, in your database, under a marker the kit chooses.
 */
export interface AtomicProbe<Tx> {
  /** Writes one row carrying `marker` through `tx` (e.g. an INSERT into a table of your test's own). */
  write(tx: Tx, marker: string): void | Promise<void>;
  /** How many rows carrying `marker` are committed, read outside any transaction. */
  count(marker: string): number | Promise<number>;
  /**
   * Ends the connection `tx` runs on, as a crashed process would (PostgreSQL:
   * `pg_terminate_backend(pid, timeout)` from another connection, `pid` from `SELECT pg_backend_pid()`
   * through `tx`). Without it the crash case is skipped.
   */
  dropConnection?(tx: Tx): void | Promise<void>;
  /**
   * The database runs one transaction at a time (PGlite): a duplicate then waits for the first instead of
   * answering in-flight, and nothing can be read while a transaction is open. Default false.
   */
  serialisesTransactions?: boolean;
}

/** How the kit reaches the store under test. Every duration is in milliseconds. */
export interface StoreConformanceOptions<S extends IdempotencyStore = IdempotencyStore> {
  /** Names the suite: "<name> conforms to the IdempotencyStore contract". Default "store". */
  name?: string;
  /**
   * A store that holds no keys: a fresh instance, or your backend under a fresh prefix, table or schema.
   * Called at least once per case; cases never share a store.
   */
  createStore(): S | Promise<S>;
  /** Called once for every store the kit created (peers and unavailable stores too), after its case. */
  closeStore?(store: S): void | Promise<void>;
  /**
   * A second instance over the same backend and namespace as `store`, as a second app instance would
   * open it. When given, concurrent claims are spread over both instances, and stale holders act
   * through one instance while the new holder acts through the other.
   */
  createPeer?(store: S): S | Promise<S>;
  /**
   * A store pointed at a backend that does not answer (a closed port, a server that never replies):
   * the fail-closed cases run only when this is given.
   */
  createUnavailableStore?(): S | Promise<S>;
  /** The short lease of the lease-expiry cases. Default 200. */
  leaseMs?: number;
  /** The short done-record ttl of the done-expiry cases. Default 300. */
  doneTtlMs?: number;
  /**
   * How late after a lease or done-record runs out the store may still answer for it (a coarse clock,
   * lazy expiry, clock skew to a database server). Default 1 000.
   */
  expiryGraceMs?: number;
  /** Against an unavailable backend, claim, complete and release must reject within this. Default 5 000. */
  failClosedWithinMs?: number;
  /** Any other store call that has not settled by then fails its case (a hang). Default 10 000. */
  operationTimeoutMs?: number;
  /** Claims fired at once on one key. Default 100. */
  concurrency?: number;
  /** The longest one case may take, waits included. Default: enough for the durations above. */
  caseTimeoutMs?: number;
  /** For a store with `processOnce`: the atomic cases run only with this. */
  atomic?: AtomicProbe<TransactionOf<S>>;
}

/** `AtomicProbe` with its defaults, typed for any transaction. */
export interface AtomicSettings {
  readonly write: (tx: unknown, marker: string) => Promise<void>;
  readonly count: (marker: string) => Promise<number>;
  readonly dropConnection: ((tx: unknown) => Promise<void>) | undefined;
  readonly serialisesTransactions: boolean;
}

/** Leases and done-records that must outlast a case: the kit's keys all expire within a minute. */
export const HOLD_MS = 60_000;

/** The options with every default applied and checked, stores typed as the contract. */
export interface ConformanceSettings {
  readonly name: string;
  readonly createStore: () => Promise<IdempotencyStore>;
  readonly closeStore: (store: IdempotencyStore) => Promise<void>;
  readonly createPeer: ((store: IdempotencyStore) => Promise<IdempotencyStore>) | undefined;
  readonly createUnavailableStore: (() => Promise<IdempotencyStore>) | undefined;
  readonly leaseMs: number;
  readonly doneTtlMs: number;
  readonly expiryGraceMs: number;
  readonly failClosedWithinMs: number;
  readonly operationTimeoutMs: number;
  readonly concurrency: number;
  readonly caseTimeoutMs: number;
  readonly atomic: AtomicSettings | undefined;
}

/** Checks the options once, before any case runs, and fills in the defaults. */
export function resolveOptions<S extends IdempotencyStore>(
  options: StoreConformanceOptions<S>,
): ConformanceSettings {
  if (typeof options !== 'object' || options === null || typeof options.createStore !== 'function') {
    throw invalid('pass options with createStore(): a function returning a fresh store');
  }
  for (const hook of ['closeStore', 'createPeer', 'createUnavailableStore'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw invalid(`${hook} must be a function`);
    }
  }
  const leaseMs = duration(options.leaseMs, 'leaseMs', 200, HOLD_MS / 10);
  const doneTtlMs = duration(options.doneTtlMs, 'doneTtlMs', 300, HOLD_MS / 10);
  const expiryGraceMs = duration(options.expiryGraceMs, 'expiryGraceMs', 1_000, HOLD_MS / 10, 0);
  const failClosedWithinMs = duration(options.failClosedWithinMs, 'failClosedWithinMs', 5_000, HOLD_MS);
  const operationTimeoutMs = duration(options.operationTimeoutMs, 'operationTimeoutMs', 10_000, HOLD_MS);
  const concurrency = options.concurrency ?? 100;
  if (!Number.isSafeInteger(concurrency) || concurrency < 2 || concurrency > 10_000) {
    throw invalid('concurrency must be a whole number from 2 to 10000');
  }
  const waits = 4 * (leaseMs + doneTtlMs + expiryGraceMs) + 3 * failClosedWithinMs;
  const caseTimeoutMs = duration(
    options.caseTimeoutMs,
    'caseTimeoutMs',
    operationTimeoutMs + waits + 5_000,
    10 * HOLD_MS,
  );
  const { createStore, closeStore, createPeer, createUnavailableStore } = options;
  const atomic = atomicSettings(options.atomic as AtomicProbe<unknown> | undefined);
  return {
    name: options.name ?? 'store',
    createStore: async () => createStore(),
    closeStore: async (store) => {
      await closeStore?.(store as S);
    },
    createPeer: createPeer && (async (store) => createPeer(store as S)),
    createUnavailableStore: createUnavailableStore && (async () => createUnavailableStore()),
    leaseMs,
    doneTtlMs,
    expiryGraceMs,
    failClosedWithinMs,
    operationTimeoutMs,
    concurrency,
    caseTimeoutMs,
    atomic,
  };
}

function atomicSettings(probe: AtomicProbe<unknown> | undefined): AtomicSettings | undefined {
  if (probe === undefined) return undefined;
  if (typeof probe !== 'object' || probe === null) throw invalid('atomic must be an object');
  for (const hook of ['write', 'count'] as const) {
    if (typeof probe[hook] !== 'function') throw invalid(`atomic.${hook} must be a function`);
  }
  const { write, count, dropConnection } = probe;
  if (dropConnection !== undefined && typeof dropConnection !== 'function') {
    throw invalid('atomic.dropConnection must be a function');
  }
  return {
    write: async (tx, marker) => write(tx, marker),
    count: async (marker) => count(marker),
    dropConnection: dropConnection && (async (tx) => dropConnection(tx)),
    serialisesTransactions: probe.serialisesTransactions === true,
  };
}

function duration(value: number | undefined, name: string, fallback: number, max: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(`${name} must be a number of milliseconds from ${min} to ${max}`);
  }
  return value;
}

function invalid(message: string): TtpayError {
  return new TtpayError('INVALID_ARGUMENT', `store conformance kit: ${message}.`);
}
