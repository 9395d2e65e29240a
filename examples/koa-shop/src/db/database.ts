import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pgDatabase, type SqlDatabase } from '@ttpay/store-postgres';
import { pgliteDatabase } from '@ttpay/store-postgres/pglite';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { migrate } from './migrate.js';

/** What the shop's SQL goes through: PostgreSQL (`pg`) or the embedded PGlite, one interface. */
export interface ShopDatabase {
  readonly kind: 'postgres' | 'pglite';
  readonly sql: SqlDatabase<unknown>;
  /** For pg-boss: one statement with parameters, or several without (its migrations). */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

export interface DatabaseSettings {
  /** Set: PostgreSQL at this URL. Unset: PGlite in `dataDir` (or in memory when that is `memory://`). */
  databaseUrl?: string | undefined;
  dataDir: string;
}

/**
 * Opens the shop's database and brings its schema up to date. Several instances: give them one
 * DATABASE_URL. One process with nothing to set up: the embedded PGlite, persisted under DATA_DIR.
 */
export async function openDatabase(settings: DatabaseSettings, logger?: Logger): Promise<ShopDatabase> {
  let database: ShopDatabase;
  if (settings.databaseUrl) {
    const pool = new pg.Pool({ connectionString: settings.databaseUrl, connectionTimeoutMillis: 5_000 });
    // A connection that dies emits `error` — on the pool while idle, on the client while checked out;
    // unheard, either ends the process. So every client listens for its whole life (brianc/node-postgres#2439).
    pool.on('error', (error) => logger?.warn({ error: error.message }, 'a PostgreSQL connection was lost'));
    pool.on('connect', (client) => client.on('error', () => {}));
    database = {
      kind: 'postgres',
      // Not owned by the store: the shop closes the pool (the store, the orders and the jobs share it).
      sql: pgDatabase(pool) as SqlDatabase<unknown>,
      executeSql: (text, values) => pool.query(text, values),
      close: () => pool.end(),
    };
  } else {
    const inMemory = settings.dataDir === 'memory://';
    if (!inMemory) mkdirSync(settings.dataDir, { recursive: true });
    const db = await PGlite.create(inMemory ? undefined : settings.dataDir);
    database = {
      kind: 'pglite',
      sql: pgliteDatabase(db) as SqlDatabase<unknown>,
      // PGlite's `query` takes one statement; `exec` several, without parameters.
      executeSql: async (text, values) =>
        values?.length ? db.query(text, values) : ((await db.exec(text)).at(-1) ?? { rows: [] }),
      close: () => db.close(),
    };
  }
  try {
    const applied = await migrate(database.sql);
    if (applied.length > 0) logger?.info({ applied, kind: database.kind }, 'database migrated');
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}
