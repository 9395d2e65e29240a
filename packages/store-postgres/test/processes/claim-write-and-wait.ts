// A child process for the crash tests: claims a key, writes a ledger row inside completeWithin (or, in
// the `atomic-…` modes, inside processOnce), and waits to be killed — before the commit ("WROTE") or
// after it ("COMMITTED").
import { PostgresStore } from '@ttpay/store-postgres';

const [connectionString, table, ledger, key, mode] = process.argv.slice(2);
const MODES = ['before-commit', 'after-commit', 'atomic-before-commit', 'atomic-after-commit'];
if (!connectionString || !table || !ledger || !key || !mode || !MODES.includes(mode)) {
  console.error(`usage: claim-write-and-wait <url> <table> <ledger> <key> ${MODES.join('|')}`);
  process.exit(2);
}
const forever = (): Promise<never> => new Promise(() => {});

const store = new PostgresStore({ connectionString, table });
if (mode.startsWith('atomic-')) {
  const run = await store.processOnce(key, 60_000, async (tx) => {
    await tx.query(`INSERT INTO ${ledger} (event_key, note) VALUES ($1, 'child')`, [key]);
    if (mode === 'atomic-before-commit') {
      console.log('WROTE');
      await forever();
    }
  });
  console.log(run.status === 'processed' ? 'COMMITTED' : `NOT-CLAIMED ${run.status}`);
  await forever();
}
const claim = await store.claim(key, 1_000);
if (claim.status !== 'claimed') {
  console.log(`NOT-CLAIMED ${claim.status}`);
  process.exit(3);
}
await store.completeWithin(claim.lease, 60_000, async (tx) => {
  await tx.query(`INSERT INTO ${ledger} (event_key, note) VALUES ($1, 'child')`, [key]);
  if (mode === 'before-commit') {
    console.log('WROTE');
    await forever();
  }
});
console.log('COMMITTED');
await forever();
