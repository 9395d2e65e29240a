import type { Pool, PoolClient } from 'pg';
import { PoolExhaustedError } from './errors.js';

/** What a statement answers, as far as the store reads it. */
export interface SqlResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

/**
 * Runs one parameterised statement. `name`, when given, names the statement so the database may prepare
 * it once per connection and reuse it (pg: a named prepared statement); a database may ignore it.
 */
export type SqlQuery = (text: string, values?: unknown[], name?: string) => Promise<SqlResult>;

/**
 * What `PostgresStore` needs from a database: single statements, and a transaction on one connection.
 * `pgDatabase` adapts a `pg` Pool; `pgliteDatabase` (from `@ttpay/store-postgres/pglite`) an embedded
 * PGlite. `Tx` is what handlers get as `ctx.payment.tx`.
 */
export interface SqlDatabase<Tx> {
  /** One statement on its own (autocommit). */
  query: SqlQuery;
  /**
   * `BEGIN`, `work(tx, query)`, `COMMIT` on one connection; `ROLLBACK` when `work` (or the commit)
   * throws, and the error is rethrown as it is.
   */
  transaction<R>(work: (tx: Tx, query: SqlQuery) => Promise<R>): Promise<R>;
  /** Frees what the store owns (an owned pool), at `close()`. */
  end?(): Promise<void>;
  /**
   * True while callers wait for a connection because every one is in use: what tells a full pool
   * (`STORE_BUSY`) from a database that does not answer (`STORE_UNAVAILABLE`) when an operation times
   * out. A `query` or `transaction` that gave up waiting for a connection rejects with an error named
   * `PoolExhaustedError`.
   */
  saturated?(): boolean;
}

/** A `pg` Pool as a `SqlDatabase`; `owned`: `end()` ends the pool. */
export function pgDatabase(pool: Pool, owned = false): SqlDatabase<PoolClient> {
  const run =
    (on: Pool | PoolClient): SqlQuery =>
    async (text, values, name) => {
      const result = await (name === undefined ? on.query(text, values) : on.query({ name, text, values }));
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    };
  const fromPool = run(pool);
  return {
    query: (text, values, name) =>
      fromPool(text, values, name).catch((error: unknown) => rethrow(error, pool)),
    async transaction(work) {
      // A connection whose transaction could not be ended cleanly is destroyed, never reused mid-transaction.
      let broken: Error | undefined;
      // A checked-out client whose connection dies emits `error`; unheard, that would end the process.
      // The next statement fails anyway, which is how the caller learns of it.
      const onError = (error: Error): void => {
        broken ??= error;
      };
      const client = await checkOut(pool, onError);
      try {
        await client.query('BEGIN');
        try {
          const result = await work(client, run(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          });
          throw error;
        }
      } catch (error) {
        broken ??= isConnectionError(error) ? (error as Error) : undefined;
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    saturated: () => pool.waitingCount > 0,
    ...(owned ? { end: () => pool.end() } : {}),
  };
}

/**
 * pg-pool rejects a checkout that waited `connectionTimeoutMillis` in its queue — which it only does when
 * every client is checked out — with this message (pg-pool `connect()`); a new connection that times out
 * says "Connection terminated due to connection timeout" instead.
 */
const QUEUE_TIMEOUT = 'timeout exceeded when trying to connect';

function rethrow(error: unknown, pool: Pool): never {
  if (error instanceof Error && error.message === QUEUE_TIMEOUT) {
    throw new PoolExhaustedError(pool.options.max ?? 10, pool.waitingCount, error);
  }
  throw error;
}

/**
 * `pool.connect()`, with `onError` listening from the moment the pool hands the client over. The pool
 * hands over a new client inside the socket callback that completed its connection, and takes its own
 * idle listener off first; a fatal message in the same packet (57P01 "terminating connection due to
 * administrator command") is parsed in that same callback, before an `await pool.connect()` resumes —
 * an unhandled 'error' event that ends the process (brianc/node-postgres#2762). The callback form runs
 * in that callback, so the listener is on before the parser reads on.
 */
function checkOut(pool: Pool, onError: (error: Error) => void): Promise<PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || !client) {
        try {
          rethrow(error ?? new Error('the pool handed over no client'), pool);
        } catch (thrown) {
          reject(thrown);
        }
        return;
      }
      client.on('error', onError);
      resolve(client);
    });
  });
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57')
  );
}
