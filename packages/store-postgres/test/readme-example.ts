import Router from '@koa/router';
import { douyinCallbacks } from '@ttpay/koa';
import { PostgresStore } from '@ttpay/store-postgres';
import Koa from 'koa';
import pg from 'pg';

// Your pool, shared by your own queries and the store (listen to its errors: idle connections can die).
export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
pool.on('error', (error) => console.error('postgres', error.message));

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
