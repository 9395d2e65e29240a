import { TtpayError, type TtpayLogger } from '@ttpay/core';
import { answerWithin, leaseToken, nonEmptyString, positiveInteger, positiveMs } from '@ttpay/core/internal';
import {
  type AtomicIdempotencyStore,
  type AtomicRun,
  type Claim,
  type Lease,
  newLeaseToken,
  storableKey,
  type TransactionalIdempotencyStore,
} from '@ttpay/core/store';
import pg, { type Pool, type PoolClient, type PoolConfig } from 'pg';
import { pgDatabase, type SqlDatabase, type SqlQuery, type SqlResult } from './database.js';
import { busy, PostgresStoreError, redact, toStoreError } from './errors.js';
import { type PreparedStatement, type Statements, statements } from './statements.js';
import { parseTableName } from './table-name.js';

interface CommonOptions {
  /** The table, `name` or `schema.name`. Default `ttpay_idempotency`. */
  table?: string;
  /**
   * Milliseconds to wait for the database on `claim`, `complete` and `release` before rejecting with
   * `STORE_UNAVAILABLE`. Default 2000. Keep it well under the platform's callback timeout.
   */
  operationTimeoutMs?: number;
  /** Told when a handler outlived its lease, and when a store-owned pool loses a connection. */
  logger?: TtpayLogger;
  /**
   * Name the delivery path's statements, so each connection prepares them once (pg's named prepared
   * statements): about a fifth of a claim's cost. Default true. Set false behind a pooler that cannot
   * keep prepared statements across transactions (PgBouncer in transaction mode before 1.21, or without
   * `max_prepared_statements`).
   */
  preparedStatements?: boolean;
}

export type PostgresStoreOptions<Tx = PoolClient> = CommonOptions &
  (
    | {
        /** A `pg` Pool you own and configure: the store never ends it. Listen to its `error` event. */
        pool: Pool;
        connectionString?: never;
        database?: never;
      }
    | {
        /** Or a `postgres://` URL: the store creates the pool, owns it, and `close()` ends it. */
        connectionString: string;
        /** Options for that pool, over its fail-fast defaults (`connectionTimeoutMillis` 2000). */
        poolOptions?: Omit<PoolConfig, 'connectionString'>;
        pool?: never;
        database?: never;
      }
    | {
        /** Or any `SqlDatabase`, e.g. `pgliteDatabase(db)` from `@ttpay/store-postgres/pglite`. */
        database: SqlDatabase<Tx>;
        pool?: never;
        connectionString?: never;
      }
  );

const DEFAULT_TABLE = 'ttpay_idempotency';
const DEFAULT_OPERATION_TIMEOUT_MS = 2_000;
/** Claims retried when the key's row changed between the claim and the read of its state. */
const CLAIM_ATTEMPTS = 5;

/**
 * The IdempotencyStore of @ttpay/koa on PostgreSQL: a row per event key, every time from the database's
 * clock. Two paths:
 * - `processOnce` (`AtomicIdempotencyStore`): claim, handler and done-record in ONE transaction on one
 *   connection; the claim is a transaction-scoped advisory lock taken without waiting, so a duplicate in
 *   flight is answered at once and a crashed process's claim dies with its connection.
 * - `claim` / `complete` / `release` / `completeWithin` (`TransactionalIdempotencyStore`): claims as
 *   leases with a fencing token; the handler's transaction commits the done-record with its writes.
 */
export class PostgresStore<Tx = PoolClient>
  implements AtomicIdempotencyStore<Tx>, TransactionalIdempotencyStore<Tx>
{
  readonly table: string;
  readonly #db: SqlDatabase<Tx>;
  readonly #sql: Statements;
  readonly #timeoutMs: number;
  readonly #logger: TtpayLogger | undefined;
  readonly #prepared: boolean;
  #closed = false;

  constructor(options: PostgresStoreOptions<Tx>) {
    const given = [options.pool, options.connectionString, options.database].filter((o) => o !== undefined);
    if (given.length !== 1) {
      throw new PostgresStoreError(
        'INVALID_ARGUMENT',
        'PostgresStore: pass exactly one of `pool` (a pg Pool you own), `connectionString` (e.g. process.env.DATABASE_URL) or `database`',
      );
    }
    const table = parseTableName(options.table ?? DEFAULT_TABLE);
    const timeoutMs = positiveMs(
      options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
      'PostgresStore: `operationTimeoutMs`',
      PostgresStoreError,
    );
    this.table = table.sql;
    this.#sql = statements(table);
    this.#timeoutMs = timeoutMs;
    this.#logger = options.logger;
    this.#prepared = options.preparedStatements ?? true;
    if (options.database !== undefined) {
      this.#db = options.database;
    } else if (options.pool !== undefined) {
      this.#db = pgDatabase(options.pool) as unknown as SqlDatabase<Tx>;
    } else {
      nonEmptyString(options.connectionString, 'PostgresStore: `connectionString`');
      const pool = new pg.Pool({
        connectionTimeoutMillis: timeoutMs,
        ...options.poolOptions,
        connectionString: options.connectionString,
      });
      // An idle connection that dies emits `error` on the pool; unheard, it would end the process.
      pool.on('error', (error: Error) => {
        this.#logger?.warn(
          { error: redact(error.message) },
          'ttpay idempotency: a PostgreSQL connection was lost; the pool reconnects on demand',
        );
      });
      // And every client hears its own errors for its whole life, checked out or not, as the pg
      // maintainers recommend (brianc/node-postgres#2439); what it heard surfaces as a failed statement
      // or as the pool's `error` above, so this listener only keeps it from being unhandled.
      pool.on('connect', (client) => {
        client.on('error', ignoreHeardElsewhere);
      });
      this.#db = pgDatabase(pool, true) as unknown as SqlDatabase<Tx>;
    }
  }

  /**
   * Creates the table and its index if they are missing (idempotent; safe from several instances at
   * once). Teams that run their own migrations apply `sql/001_ttpay_idempotency.sql` instead.
   */
  async setup(): Promise<void> {
    this.#open('setup');
    const [createTable, createIndex] = this.#sql.create;
    try {
      await this.#db.transaction(async (_tx, query) => {
        // Two instances creating the table at once can collide in the catalog: one at a time.
        await query(`SELECT pg_advisory_xact_lock(hashtext('ttpay_idempotency_setup'))`);
        await query(createTable);
        await query(createIndex);
      });
    } catch (error) {
      throw toStoreError(error, 'setup');
    }
  }

  /** Atomically claims `key` for `leaseMs` (the lease: longer than the handler can take). */
  async claim(key: string, leaseMs: number): Promise<Claim> {
    const stored = this.#keyFor(key, 'claim');
    const ms = msFor(leaseMs, 'claim');
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const token = newLeaseToken();
      const pending = this.#run(undefined, 'claim', [stored, token, ms]);
      let claimed: boolean;
      try {
        claimed = (await this.#answer(pending, 'claim')).rowCount === 1;
      } catch (error) {
        // A claim that lands after we gave up would hold the key until its lease ran out: hand it back.
        pending
          .then((late) =>
            late.rowCount === 1 ? this.#run(undefined, 'release', [stored, token]) : undefined,
          )
          .catch(() => {});
        throw error;
      }
      if (claimed) return { status: 'claimed', lease: { key, token } };
      const { rows } = await this.#answer(this.#run(undefined, 'read', [stored]), 'claim');
      const row = rows[0];
      // Gone or run out since the claim looked (released, purged, expired): claim again.
      if (row === undefined || row.live !== true) continue;
      if (row.state === 'in-flight' || row.state === 'done') return { status: row.state };
      throw new PostgresStoreError(
        'UNEXPECTED_VALUE',
        `PostgresStore: ${this.table} holds a row for ${JSON.stringify(key)} in state ${JSON.stringify(row.state)}, which this store does not write`,
      );
    }
    throw new PostgresStoreError(
      'STORE_UNAVAILABLE',
      `PostgresStore: the key kept changing under ${CLAIM_ATTEMPTS} claims in a row; try again`,
    );
  }

  /**
   * Marks the lease's key processed for `ttlMs`. The handler ran, so this records done even if the lease
   * ran out meanwhile (and warns: the event may have been processed twice); a done-record that is still
   * live is kept as it is.
   */
  async complete(lease: Lease, ttlMs: number): Promise<void> {
    const stored = this.#keyFor(lease?.key, 'complete');
    const token = tokenOf(lease, 'complete');
    const ms = msFor(ttlMs, 'complete');
    const held = await this.#answer(this.#run(undefined, 'completeHeld', [stored, token, ms]), 'complete');
    if (held.rowCount === 1) return;
    await this.#answer(this.#run(undefined, 'completeLost', [stored, token, ms]), 'complete');
    this.#logger?.warn(
      { key: lease.key },
      'ttpay idempotency: the handler outlived its claim (the lease ran out before complete), so this event may have been processed more than once; raise the claim ttl above the handler’s worst case',
    );
  }

  /** Gives up the claim so a redelivery can process it; a no-op unless this lease still holds the key. */
  async release(lease: Lease): Promise<void> {
    const stored = this.#keyFor(lease?.key, 'release');
    const token = tokenOf(lease, 'release');
    await this.#answer(this.#run(undefined, 'release', [stored, token]), 'release');
  }

  /**
   * Runs `work` in one transaction and records the lease's key done in it, if the lease still holds the
   * key: both commit or neither. Rejects with what `work` threw (rolled back), with a `TtpayError`
   * `LEASE_LOST` when another claim holds the key now (rolled back: that claim applies the event), or
   * with a `PostgresStoreError` when the database fails (the commit's outcome may be unknown: release
   * the lease, which is a no-op if it did commit, and let the platform deliver again).
   */
  async completeWithin<R>(lease: Lease, ttlMs: number, work: (tx: Tx) => Promise<R>): Promise<R> {
    const stored = this.#keyFor(lease?.key, 'complete');
    const token = tokenOf(lease, 'complete');
    const ms = msFor(ttlMs, 'complete');
    let failedWork: { error: unknown } | undefined;
    try {
      return await this.#db.transaction(async (tx, query) => {
        let result: R;
        try {
          result = await work(tx);
        } catch (error) {
          failedWork = { error };
          throw error;
        }
        const done = await this.#run(query, 'completeHeld', [stored, token, ms]);
        if (done.rowCount !== 1) {
          throw new TtpayError(
            'LEASE_LOST',
            'PostgresStore: the lease ran out and another claim holds the key (or it is done); nothing was committed',
          );
        }
        return result;
      });
    } catch (error) {
      if (failedWork && error === failedWork.error) throw error;
      if (error instanceof TtpayError) throw error;
      throw toStoreError(error, 'complete');
    }
  }

  /**
   * Claims `key`, runs `work` and records the key done for `ttlMs`, all in one transaction on one
   * connection (`AtomicIdempotencyStore` of @ttpay/core). The claim — a transaction-scoped advisory lock
   * on a 64-bit hash of the key, taken without waiting, then the done-record written at once, uncommitted —
   * answers `in-flight` while another transaction holds the key (or, rarely, a key whose hash collides)
   * and `done` once one committed, without running `work`. `work` throwing rolls everything back and
   * rejects with what it threw: the key is free again at once. A process that dies mid-work frees the key
   * the moment its connection closes — no lease to wait out. The claim (checkout, BEGIN, claim statement)
   * is bounded by `operationTimeoutMs`: `STORE_BUSY` when no connection was free, `STORE_UNAVAILABLE` when
   * the database did not answer; `work` itself and the commit are not (the caller's deadline is). On
   * PGlite, which runs one transaction at a time, a duplicate waits for the first to end and then answers
   * `done` (or runs, if the first rolled back).
   */
  async processOnce<R>(
    key: string,
    ttlMs: number,
    work: (tx: Tx) => Promise<R>,
    onClaimed?: () => void,
  ): Promise<AtomicRun<R>> {
    const stored = this.#keyFor(key, 'processOnce');
    const ms = msFor(ttlMs, 'processOnce');
    if (typeof work !== 'function') {
      throw new PostgresStoreError('INVALID_ARGUMENT', 'PostgresStore: processOnce needs `work`, a function');
    }
    let abandoned = false;
    let claimAnswered = false;
    let failedWork: { error: unknown } | undefined;
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const run = this.#db.transaction(async (tx, query): Promise<AtomicRun<R>> => {
      const { rows } = await this.#run(query, 'processClaim', [stored, newLeaseToken(), ms]);
      // Given up on (operationTimeoutMs): nobody waits for this work any more; roll back.
      if (abandoned) throw new PostgresStoreError('STORE_UNAVAILABLE', 'PostgresStore: processOnce gave up');
      claimAnswered = true;
      answer();
      const status = this.#claimStatus(rows[0], key);
      if (status !== 'claimed') return { status };
      try {
        onClaimed?.();
        return { status: 'processed', result: await work(tx) };
      } catch (error) {
        failedWork = { error };
        throw error;
      }
    });
    const settled = run.then(
      (outcome) => outcome,
      (error: unknown) => {
        if (failedWork && error === failedWork.error) throw error;
        throw toStoreError(error, claimAnswered ? 'commit' : 'claim');
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed-out'>((resolve) => {
      timer = setTimeout(() => resolve('timed-out'), this.#timeoutMs);
    });
    try {
      const first = await Promise.race([answered, settled.then(() => undefined), timedOut]);
      if (first === 'timed-out' && !claimAnswered) {
        abandoned = true;
        settled.catch(() => {});
        throw this.#timedOut('processOnce');
      }
    } catch (error) {
      settled.catch(() => {});
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return settled;
  }

  /**
   * Deletes up to `limit` rows whose lease or done-record ran out, and returns how many. Rows that ran
   * out read as absent anyway; this only keeps the table small. Run it now and then (e.g. hourly).
   */
  async purgeExpired(limit = 10_000): Promise<number> {
    this.#open('purgeExpired');
    positiveInteger(limit, "PostgresStore: purgeExpired's limit");
    try {
      return (await this.#db.query(this.#sql.purge, [limit])).rowCount;
    } catch (error) {
      throw toStoreError(error, 'purge');
    }
  }

  /** Stops the store; ends the pool if the store created it (a pool you passed stays open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.end?.();
  }

  #open(operation: string): void {
    if (this.#closed)
      throw new PostgresStoreError('STORE_CLOSED', `PostgresStore: ${operation} after close()`);
  }

  #keyFor(key: string | undefined, operation: string): string {
    this.#open(operation);
    const checked = nonEmptyString(key, `PostgresStore: ${operation}'s key`);
    // Text cannot hold NUL, and lone surrogates would be stored as U+FFFD: such keys go by digest.
    return storableKey(checked);
  }

  /** One statement of the delivery path, named (prepared) unless `preparedStatements` is false. */
  #run(query: SqlQuery | undefined, statement: PreparedStatement, values: unknown[]): Promise<SqlResult> {
    const text = this.#sql[statement];
    const name = this.#prepared ? this.#sql.names[statement] : undefined;
    // Called on the database object: a SqlDatabase of yours may be a class whose query uses `this`.
    return query ? query(text, values, name) : this.#db.query(text, values, name);
  }

  /** What processOnce's claim statement says: claimed, or the key's state. */
  #claimStatus(row: Record<string, unknown> | undefined, key: string): 'claimed' | 'in-flight' | 'done' {
    if (row?.claimed === true) return 'claimed';
    // A committed done-record is the answer whoever holds the lock: duplicates of a handled event,
    // arriving together, take turns at the lock but are all acknowledged.
    if (row?.state === 'done' || row?.state === 'in-flight') return row.state;
    // No live record: another transaction has this key (or a key whose lock number collides) and has
    // not committed, or the key changed under the statement. Retry later.
    if (row?.held !== true || row.state === null || row.state === undefined) return 'in-flight';
    throw new PostgresStoreError(
      'UNEXPECTED_VALUE',
      `PostgresStore: ${this.table} holds a row for ${JSON.stringify(key)} in state ${JSON.stringify(row.state)}, which this store does not write`,
    );
  }

  /** The answer, or a PostgresStoreError once `operationTimeoutMs` passes or the driver fails. */
  #answer<T>(pending: Promise<T>, operation: string): Promise<T> {
    return answerWithin(
      pending,
      this.#timeoutMs,
      () => this.#timedOut(operation),
      (error) => toStoreError(error, operation),
    );
  }

  /** `STORE_BUSY` when callers are queued for a connection (a full pool), else `STORE_UNAVAILABLE`. */
  #timedOut(operation: string): PostgresStoreError {
    if (this.#db.saturated?.()) {
      return busy(
        operation,
        `no connection of the pool was free within ${this.#timeoutMs} ms (operationTimeoutMs)`,
      );
    }
    return new PostgresStoreError(
      'STORE_UNAVAILABLE',
      `PostgreSQL did not answer the idempotency ${operation} within ${this.#timeoutMs} ms (operationTimeoutMs); the delivery must not be acknowledged so the platform retries it`,
    );
  }
}

function ignoreHeardElsewhere(): void {}

function tokenOf(lease: Lease, operation: string): string {
  return leaseToken(lease, `PostgresStore: ${operation}`);
}

function msFor(ms: number, operation: string): number {
  return Math.ceil(positiveMs(ms, `PostgresStore: ${operation}'s ttl`));
}
