import { createHash } from 'node:crypto';
import type { TableName } from './table-name.js';

/**
 * The SQL of one store, for one table. Every time comes from the database's clock (`clock_timestamp()`),
 * so instances with skewed clocks still agree on when a lease or a done-record runs out.
 *
 * A row per key: `state` is `in-flight` while a claim holds it (until `expires_at`, the lease) and `done`
 * once processed (until `expires_at`, how long duplicates are recognised). `token` is the lease's
 * fencing token: only the claim that holds it may release the key or complete it inside a transaction.
 */
export interface Statements {
  /**
   * A name per statement of the delivery path, unique to the table: a database that can prepare a
   * statement once per connection and reuse it (pg's named statements) skips parsing and planning it on
   * every call — about a fifth of a claim's cost (bench/PROFILE.md).
   */
  readonly names: Readonly<Record<PreparedStatement, string>>;
  /** The table, then its index; idempotent. Also in `sql/001_ttpay_idempotency.sql`. */
  readonly create: readonly [string, string];
  /** $1 key, $2 token, $3 lease ms → one row (`token`) when claimed, none when the key is held or done. */
  readonly claim: string;
  /** $1 key → the key's `state` and whether it is still `live`. */
  readonly read: string;
  /** $1 key, $2 token, $3 done ms → one row when this lease held the key and it is now done. */
  readonly completeHeld: string;
  /**
   * $1 key, $2 token, $3 done ms: done even though this lease no longer holds the key (the handler did
   * run); a done-record that is still live is kept as it is.
   */
  readonly completeLost: string;
  /** $1 key, $2 token: deletes the key only while this lease holds it. */
  readonly release: string;
  /** $1 limit → deletes up to $1 rows that ran out; returns how many. */
  readonly purge: string;
  /**
   * Inside `processOnce`'s transaction. $1 key, $2 token, $3 done ms → one row: `held` (this transaction
   * took the key's advisory lock, without waiting), `claimed` (and wrote the key's done-record, which
   * commits with the work or not at all) and, when not claimed, the key's live `state`.
   */
  readonly processClaim: string;
}

/** The statements a delivery runs, which the store may name (prepare). */
export type PreparedStatement =
  | 'claim'
  | 'read'
  | 'completeHeld'
  | 'completeLost'
  | 'release'
  | 'processClaim';

const PREPARED: readonly PreparedStatement[] = [
  'claim',
  'read',
  'completeHeld',
  'completeLost',
  'release',
  'processClaim',
];

const interval = (param: string): string => `make_interval(secs => ${param}::double precision / 1000)`;

export function statements(table: TableName): Statements {
  const t = table.sql;
  const tag = createHash('sha256').update(t).digest('hex').slice(0, 12);
  return {
    names: Object.fromEntries(PREPARED.map((kind) => [kind, `ttpay_${tag}_${kind.toLowerCase()}`])) as Record<
      PreparedStatement,
      string
    >,
    create: [
      `CREATE TABLE IF NOT EXISTS ${t} (
  key text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('in-flight', 'done')),
  token text NOT NULL,
  expires_at timestamptz NOT NULL
)`,
      `CREATE INDEX IF NOT EXISTS "${table.name}_expires_at_idx" ON ${t} (expires_at)`,
    ],
    claim: `INSERT INTO ${t} AS t (key, state, token, expires_at)
VALUES ($1, 'in-flight', $2, clock_timestamp() + ${interval('$3')})
ON CONFLICT (key) DO UPDATE
  SET state = 'in-flight', token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
  WHERE t.expires_at <= clock_timestamp()
RETURNING token`,
    read: `SELECT state, expires_at > clock_timestamp() AS live FROM ${t} WHERE key = $1`,
    completeHeld: `UPDATE ${t} SET state = 'done', expires_at = clock_timestamp() + ${interval('$3')}
WHERE key = $1 AND token = $2 AND state = 'in-flight'
RETURNING key`,
    completeLost: `INSERT INTO ${t} AS t (key, state, token, expires_at)
VALUES ($1, 'done', $2, clock_timestamp() + ${interval('$3')})
ON CONFLICT (key) DO UPDATE
  SET state = 'done', token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
  WHERE t.state <> 'done' OR t.expires_at <= clock_timestamp()`,
    release: `DELETE FROM ${t} WHERE key = $1 AND token = $2 AND state = 'in-flight'`,
    // SKIP LOCKED: a row a running processOnce is taking over stays its own; the purge does not wait for it.
    purge: `DELETE FROM ${t} WHERE ctid IN (
  SELECT ctid FROM ${t} WHERE expires_at <= clock_timestamp() LIMIT $1 FOR UPDATE SKIP LOCKED
)`,
    // The advisory lock (transaction-scoped: released by COMMIT, ROLLBACK or a dead connection) is what
    // answers a duplicate in flight at once: without it, the INSERT would wait on the first transaction's
    // uncommitted row. The row is what makes it exactly-once: two transactions that both took "the" lock
    // (a table spelled two ways) still cannot both claim; the second waits and finds the key done. A key
    // whose 64-bit lock number collides with another's in flight answers in-flight: a retry, never harm.
    // One statement: one round trip after BEGIN.
    processClaim: `WITH attempt AS (
  SELECT pg_try_advisory_xact_lock(hashtextextended($1, ${lockSeed(t)})) AS held
), claimed AS (
  INSERT INTO ${t} AS t (key, state, token, expires_at)
  SELECT $1, 'done', $2, clock_timestamp() + ${interval('$3')} FROM attempt WHERE held
  ON CONFLICT (key) DO UPDATE
    SET state = 'done', token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
    WHERE t.expires_at <= clock_timestamp()
  RETURNING 1
)
SELECT (SELECT held FROM attempt) AS held, EXISTS (SELECT 1 FROM claimed) AS claimed,
  -- Read only when not claimed (a first delivery skips the second index probe).
  CASE WHEN EXISTS (SELECT 1 FROM claimed) THEN NULL
    ELSE (SELECT state FROM ${t} WHERE key = $1 AND expires_at > clock_timestamp()) END AS state`,
  };
}

/**
 * The seed of a table's advisory-lock keys: the same key in two tables locks two different numbers. A
 * bigint literal, from the table's name as configured (every instance of an app configures it alike).
 */
export function lockSeed(table: string): string {
  return createHash('sha256').update(table).digest().readBigInt64BE(0).toString();
}
