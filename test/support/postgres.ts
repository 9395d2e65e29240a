import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL the tests share: a real server, never a mock. Tests FAIL (never skip) without one,
 * saying how to start it. Each test file works in a schema of its own (`ttpay_test_<label>_<random>`),
 * dropped at the end: other runs and other people use this database too.
 */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const POSTGRES_START_HINT =
  'Start one with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (Debian package postgresql; trust auth, user postgres, database test — `.ci/run` does this), or set DATABASE_URL to a PostgreSQL you may create schemas in.';

/** Credentials never reach a message. */
function where(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** A pool on DATABASE_URL that has answered once; rejects with the start hint when there is none. */
export async function connectPostgres(options: pg.PoolConfig = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3_000, ...options });
  pool.on('error', () => {}); // a connection killed by a test (pg_terminate_backend) is expected
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(
      `These tests need a real PostgreSQL at ${where(DATABASE_URL)} (${(error as Error).message}). ${POSTGRES_START_HINT}`,
    );
  }
  return pool;
}

/** A fresh schema for one test file or run; `drop()` removes it and everything in it. */
export async function freshSchema(
  pool: pg.Pool,
  label: string,
): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `ttpay_test_${label.replace(/\W/g, '_')}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await pool.query(`CREATE SCHEMA "${name}"`);
  return { name, drop: async () => void (await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)) };
}

/** DATABASE_URL with `search_path` set to `schema`, for a process or pool that should work inside it. */
export function urlInSchema(schema: string): string {
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
