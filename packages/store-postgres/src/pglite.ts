import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SqlDatabase, SqlQuery } from './database.js';

/**
 * An embedded PGlite (PostgreSQL in WebAssembly, one process) as the database of a `PostgresStore`:
 * `new PostgresStore({ database: pgliteDatabase(db) })`. Handlers get PGlite's `Transaction` as
 * `ctx.payment.tx`.
 *
 * PGlite runs one statement at a time and a transaction holds it whole: inside a handler, use ONLY
 * `ctx.payment.tx` — a query on `db` itself would wait for the transaction that is waiting for it.
 */
export function pgliteDatabase(db: PGlite): SqlDatabase<Transaction> {
  const run =
    (on: PGlite | Transaction): SqlQuery =>
    // PGlite runs in this process: nothing to gain from naming statements, the name is ignored.
    async (text, values) => {
      const result = await on.query<Record<string, unknown>>(text, values);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    };
  return {
    query: run(db),
    transaction: (work) => db.transaction((tx) => work(tx, run(tx))),
  };
}
