// A child process for the connection-loss tests: a PostgresStore set up as an app would, applying
// "deliveries" the parent asks for on stdin — on the lease path (claim, completeWithin) or the atomic one
// (processOnce) — one line each, and answering on stdout:
//   deliver <key>  → ack <key> | retry <key> <why>   (ack only once the ledger row committed, or done)
//   ping           → pong                              (the process is alive and its event loop answers)
// The parent plays the platform (it redelivers until acknowledged) and the operator (it terminates this
// process's connections, or restarts the database). A crash of this process is what the tests look for.
import { createInterface } from 'node:readline';
import { PostgresStore } from '@ttpay/store-postgres';
import pg from 'pg';

const POOL_KINDS = ['bare', 'readme', 'owned'] as const;
const PATHS = ['lease', 'atomic'] as const;
const [url, table, ledger, poolKind, applicationName, path] = process.argv.slice(2);
if (
  !url ||
  !table ||
  !ledger ||
  !POOL_KINDS.includes(poolKind as never) ||
  !applicationName ||
  !PATHS.includes(path as never)
) {
  console.error(
    `usage: deliver-on-request <url> <table> <ledger> ${POOL_KINDS.join('|')} <application_name> ${PATHS.join('|')}`,
  );
  process.exit(2);
}

/** Short: a claim whose delivery failed and could not be released frees itself quickly. */
const LEASE_MS = 1_000;
const DONE_MS = 3_600_000;

let store: PostgresStore;
/** The app's own pool ('bare', 'readme'): the app checks a client out of it for its own work too. */
let appPool: pg.Pool | undefined;
if (poolKind === 'bare' || poolKind === 'readme') {
  appPool = new pg.Pool({ connectionString: url, application_name: applicationName, max: 10 });
  // 'bare': only the idle-client listener most apps have; the store must not need more.
  appPool.on('error', (error) => console.error('postgres', error.message));
  if (poolKind === 'readme') {
    // As the store's README shows it: every client hears its own errors for its whole life.
    appPool.on('connect', (client) => {
      client.on('error', (error) => console.error('postgres client', error.message));
    });
  }
  store = new PostgresStore({ pool: appPool, table, operationTimeoutMs: 5_000 });
} else {
  store = new PostgresStore({
    connectionString: url,
    poolOptions: { application_name: applicationName, max: 10 },
    table,
    operationTimeoutMs: 5_000,
  });
}

/** `ack`, or why not: `in-flight` (another delivery holds the key). Throws when the store failed. */
async function deliver(key: string): Promise<'ack' | 'in-flight'> {
  const work = async (tx: pg.PoolClient): Promise<void> => {
    await tx.query(`INSERT INTO ${ledger} (event_key) VALUES ($1)`, [key]);
  };
  if (poolKind === 'readme' && appPool) {
    // The app's own checkout (`await pool.connect()`): safe only with the README's connect listener.
    const client = await appPool.connect();
    let failure: Error | undefined;
    try {
      await client.query('SELECT 1');
    } catch (error) {
      failure = error as Error;
      throw Object.assign(new Error('the app query failed'), { code: 'APP_QUERY_FAILED' });
    } finally {
      client.release(failure);
    }
  }
  if (path === 'atomic') {
    const run = await store.processOnce(key, DONE_MS, work);
    return run.status === 'in-flight' ? 'in-flight' : 'ack';
  }
  const claim = await store.claim(key, LEASE_MS);
  if (claim.status === 'done') return 'ack';
  if (claim.status === 'in-flight') return 'in-flight';
  try {
    await store.completeWithin(claim.lease, DONE_MS, work);
    return 'ack';
  } catch (error) {
    await store.release(claim.lease).catch(() => {});
    throw error;
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, key] = line.split(' ');
  if (command === 'ping') {
    console.log('pong');
    return;
  }
  if (command !== 'deliver' || !key) return;
  deliver(key).then(
    (answer) => console.log(answer === 'ack' ? `ack ${key}` : `retry ${key} ${answer}`),
    (error: unknown) => console.log(`retry ${key} ${(error as { code?: string }).code ?? 'error'}`),
  );
});
lines.on('close', () => {
  void store.close().finally(() => process.exit(0));
});
console.log('ready');
