import Router from '@koa/router';
import { douyinCallbacks } from '@ttpay/koa';
import { PostgresStore } from '@ttpay/store-postgres';
import Koa from 'koa';
import pg from 'pg';

// Your pool, shared by your own queries and the store. A connection can die at any time (a restart, a
// failover): an `error` nobody listens to ends the process, so listen on the pool (idle clients) AND on
// every client for its whole life — checked-out clients emit on themselves (brianc/node-postgres#2439).
export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
pool.on('error', (error) => console.error('postgres: idle connection lost', error.message));
pool.on('connect', (client) => {
  client.on('error', (error) => console.error('postgres: connection lost', error.message));
});

// Creates ttpay_idempotency if missing (or apply sql/001_ttpay_idempotency.sql with your migrations).
export const store = new PostgresStore({ pool });
await store.setup();
await pool.query(
  'CREATE TABLE IF NOT EXISTS paid_orders (out_order_no text PRIMARY KEY, amount bigint NOT NULL)',
);

const router = new Router();
router.post(
  '/douyin/notify',
  douyinCallbacks({
    token: process.env.DOUYIN_TOKEN,
    store,
    onPayment: async (event, ctx) => {
      if (event.system !== 'ecpay') return;
      // ctx.payment.tx: a pg client inside the store's transaction. This row and the event's done-record
      // commit together, or neither does: a crash in between leaves the event to be delivered again.
      await ctx.payment.tx.query('INSERT INTO paid_orders (out_order_no, amount) VALUES ($1, $2)', [
        event.msg.cp_orderno,
        event.msg.total_amount,
      ]);
    },
  }),
);
export const app = new Koa().use(router.routes());
