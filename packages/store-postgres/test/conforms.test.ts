// The store conformance kit of @ttpay/testing, on a real PostgreSQL and on the embedded PGlite.
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { defineStoreConformance } from '@ttpay/testing/store-conformance';
import type pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectPostgres, DATABASE_URL, freshSchema } from '../../../test/support/postgres.js';
import { PostgresStore } from '../src/index.js';
import { pgliteDatabase } from '../src/pglite.js';

let pool: pg.Pool;
let schema: { name: string; drop: () => Promise<void> };
let pglite: PGlite;
/** A "PostgreSQL" that accepts connections and never answers a byte: the fail-closed cases. */
let silent: Server | undefined;
const silentSockets = new Set<Socket>();

beforeAll(async () => {
  pool = await connectPostgres({ max: 30 }); // fails with how to start PostgreSQL when there is none
  schema = await freshSchema(pool, 'conforms');
  await pool.query(`CREATE TABLE "${schema.name}".kit_writes (marker text NOT NULL)`);
  pglite = await PGlite.create();
  await pglite.exec('CREATE TABLE kit_writes (marker text NOT NULL)');
  silent = createServer((socket) => {
    silentSockets.add(socket.on('close', () => silentSockets.delete(socket)));
  }).listen(0, '127.0.0.1');
  await once(silent, 'listening');
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
  await schema?.drop();
  await pool?.end();
  await pglite?.close();
});

function silentUrl(): string {
  const address = silent?.address();
  if (!address || typeof address === 'string') throw new Error('the silent server did not start');
  const url = new URL(DATABASE_URL);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return url.toString();
}

let tables = 0;
defineStoreConformance(
  { describe, it },
  {
    name: 'PostgresStore (PostgreSQL)',
    // Every case gets a table of its own in this run's schema.
    createStore: async () => {
      const store = new PostgresStore({ pool, table: `${schema.name}.case_${++tables}` });
      await store.setup();
      return store;
    },
    // A second app instance: the same table, its own store object (the pool is shared, as instances share a server).
    createPeer: (store) => new PostgresStore({ pool, table: store.table.replaceAll('"', '') }),
    createUnavailableStore: () =>
      new PostgresStore({ connectionString: silentUrl(), operationTimeoutMs: 1_000 }),
    closeStore: (store) => store.close(), // ends only a pool the store owns (the unavailable one)
    // processOnce's cases: rows written through its transaction, and a crash as the end of that connection.
    atomic: {
      write: async (tx, marker) => {
        await tx.query(`INSERT INTO "${schema.name}".kit_writes (marker) VALUES ($1)`, [marker]);
      },
      count: async (marker) =>
        (await pool.query(`SELECT 1 FROM "${schema.name}".kit_writes WHERE marker = $1`, [marker]))
          .rowCount ?? 0,
      dropConnection: async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // This test's own backend; the second argument waits (up to 5 s) until it is gone.
        await pool.query('SELECT pg_terminate_backend($1, 5000)', [rows[0]?.pid]);
      },
    },
  },
);

let pgliteTables = 0;
defineStoreConformance(
  { describe, it },
  {
    name: 'PostgresStore (PGlite)',
    createStore: async () => {
      const store = new PostgresStore({ database: pgliteDatabase(pglite), table: `case_${++pgliteTables}` });
      await store.setup();
      return store;
    },
    // One process, one connection: nothing to drop; and a duplicate waits for the transaction before it.
    atomic: {
      write: async (tx, marker) => {
        await tx.query('INSERT INTO kit_writes (marker) VALUES ($1)', [marker]);
      },
      count: async (marker) =>
        (await pglite.query('SELECT 1 FROM kit_writes WHERE marker = $1', [marker])).rows.length,
      serialisesTransactions: true,
    },
  },
);
