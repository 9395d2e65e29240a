// A follow-up job is written in the transaction of the change that causes it. So when that transaction
// does not commit — here the database refuses the COMMIT itself, after the handler (and its job) ran —
// there is no job: nothing is shipped for an order the shop never recorded, and the platform's redelivery
// ships it exactly once. (A job queued outside the transaction, before its commit, would run anyway: the
// order unrecorded, the package shipped, and the redelivery racing it for a second shipment.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@ttpay/simulator';
import { signedTikTokWebhook } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, type RunningShop, startShop, until } from './helpers.js';

let sim: Simulator;
const dataDir = mkdtempSync(join(tmpdir(), 'koa-shop-rollback-'));
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.0001 });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** COMMIT fails for a transaction that wrote an order listed in `refuse_commit_for` (a deferred trigger). */
const REFUSE_COMMITS = [
  'CREATE TABLE refuse_commit_for (order_id text PRIMARY KEY)',
  `CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF EXISTS (SELECT 1 FROM refuse_commit_for WHERE order_id = NEW.platform_order_id) THEN
       RAISE EXCEPTION 'the database refused the commit (test)';
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT OR UPDATE ON orders
   DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit()`,
];

describe.each([
  ['PostgreSQL', {}],
  ['the embedded PGlite, DATA_DIR on disk', { DATA_DIR: dataDir }],
])('on %s', (_engine, env) => {
  let shop: RunningShop;
  beforeAll(async () => {
    shop = await startShop(sim, env);
    for (const statement of REFUSE_COMMITS) await shop.shop.database.sql.query(statement);
  });
  afterAll(() => shop?.close());

  const shipCalls = () =>
    sim.log.filter((e) => e.direction === 'in' && /\/packages\/[^/]+\/ship$/.test(e.path)).length;

  it('a handler whose transaction does not commit leaves no job; the redelivery ships once', async () => {
    const orderId = sim.tiktok.addOrder({ total_amount: '9.99', currency: 'USD' });
    const webhook = signedTikTokWebhook({
      type: 1,
      data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
    });
    const shipsBefore = shipCalls();
    await shop.shop.database.sql.query('INSERT INTO refuse_commit_for VALUES ($1)', [orderId]);

    const refused = await deliver(`${shop.url}/tiktok/webhook`, webhook);
    expect(refused.status).toBeGreaterThanOrEqual(500); // not acknowledged: TikTok delivers it again
    // Whatever job there is has run (a job queued outside the transaction would be shipping now).
    await Promise.race([shop.shop.jobs.idle(), until(() => shipCalls() > shipsBefore, 10_000)]);
    expect(await shop.shop.orders.get(`tiktok-${orderId}`)).toBeUndefined();
    expect(sim.tiktok.shipments(orderId)).toEqual([]);
    expect(shipCalls() - shipsBefore).toBe(0);

    // The database accepts commits again; TikTok redelivers the same notification.
    await shop.shop.database.sql.query('DELETE FROM refuse_commit_for WHERE order_id = $1', [orderId]);
    expect((await deliver(`${shop.url}/tiktok/webhook`, webhook)).status).toBe(200);
    const shipped = await until(async () => {
      const order = await shop.shop.orders.get(`tiktok-${orderId}`);
      return order?.status === 'shipped' ? order : undefined;
    }, 15_000);
    await shop.shop.jobs.idle();
    expect(shipped).toMatchObject({ amount: 999, currency: 'USD' });
    expect(sim.tiktok.shipments(orderId)).toHaveLength(1);
    expect(shipCalls() - shipsBefore).toBe(1);
  });
});
