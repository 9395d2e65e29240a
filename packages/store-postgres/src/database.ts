import type { Pool, PoolClient } from 'pg';

/** What a statement answers, as far as the store reads it. */
export interface SqlResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

/** Runs one parameterised statement. */
export type SqlQuery = (text: string, values?: unknown[]) => Promise<SqlResult>;

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
}

/** A `pg` Pool as a `SqlDatabase`; `owned`: `end()` ends the pool. */
export function pgDatabase(pool: Pool, owned = false): SqlDatabase<PoolClient> {
  const run =
    (on: Pool | PoolClient): SqlQuery =>
    async (text, values) => {
      const result = await on.query(text, values);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    };
  return {
    query: run(pool),
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
    ...(owned ? { end: () => pool.end() } : {}),
  };
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
        reject(error ?? new Error('the pool handed over no client'));
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
