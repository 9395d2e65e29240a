import type { SqlDatabase } from '@ttpay/store-postgres';
import { MIGRATIONS, type Migration } from './migrations.js';

/**
 * Applies the migrations not applied yet, in order, in one transaction, and returns their versions.
 * A transaction-scoped advisory lock makes instances that start together take turns: the second finds
 * the work done.
 */
export async function migrate(
  database: SqlDatabase<unknown>,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return database.transaction(async (_tx, query) => {
    await query(`SELECT pg_advisory_xact_lock(hashtext('ttpay_koa_shop_migrations'))`);
    await query(
      `CREATE TABLE IF NOT EXISTS shop_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const { rows } = await query('SELECT version FROM shop_migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await query(statement);
      await query('INSERT INTO shop_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
