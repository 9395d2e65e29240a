// The smallest shop worth copying: Douyin payment callbacks (ecpay and trade system) mark orders paid,
// exactly once, in the same transaction as the callback's done-record. `pnpm --filter minimal start`.
// DATABASE_URL: your PostgreSQL (unset: an embedded PGlite, in memory). DOUYIN_TOKEN (ecpay) and/or
// DOUYIN_PLATFORM_PUBLIC_KEY (trade system): from the Douyin console.
import { PGlite } from '@electric-sql/pglite';
import Router from '@koa/router';
import { douyinCallbacks } from '@ttpay/koa';
import { PostgresStore, pgDatabase, type SqlDatabase } from '@ttpay/store-postgres';
import { pgliteDatabase } from '@ttpay/store-postgres/pglite';
import Koa from 'koa';
import pg from 'pg';

/** What `ctx.payment.tx` is on either engine: something that runs a statement inside the transaction. */
type Tx = { query(text: string, values?: unknown[]): Promise<unknown> };

const database = (
  process.env.DATABASE_URL
    ? pgDatabase(new pg.Pool({ connectionString: process.env.DATABASE_URL }), true)
    : pgliteDatabase(await PGlite.create())
) as SqlDatabase<Tx>;
await database.query(`CREATE TABLE IF NOT EXISTS orders (
  out_order_no text PRIMARY KEY, amount bigint NOT NULL, status text NOT NULL DEFAULT 'created')`);
// Runs every handler inside a transaction (ctx.payment.tx) and records the event done in that same one.
const store = new PostgresStore<Tx>({ database });
await store.setup();

const router = new Router();
router.post(
  '/douyin/notify', // before any body parser: ttpay verifies the raw bytes
  douyinCallbacks({
    token: process.env.DOUYIN_TOKEN,
    platformPublicKey: process.env.DOUYIN_PLATFORM_PUBLIC_KEY,
    store,
    async onPayment(event, ctx) {
      const outOrderNo = event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no;
      const status = event.msg.status === 'SUCCESS' ? 'paid' : 'cancelled';
      // Only an order of this amount that is still open: the write and the done-record commit together.
      await ctx.payment.tx.query(
        `UPDATE orders SET status = $3 WHERE out_order_no = $1 AND amount = $2 AND status = 'created'`,
        [outOrderNo, event.msg.total_amount, status],
      );
    },
  }),
);
// Your checkout writes the order before Douyin hears of it: here, PUT /orders/<no>?amount=<fen>.
router.put('/orders/:outOrderNo', async (ctx) => {
  await database.query('INSERT INTO orders (out_order_no, amount) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    ctx.params.outOrderNo,
    Number(ctx.query.amount),
  ]);
  ctx.status = 204;
});
router.get('/orders/:outOrderNo', async (ctx) => {
  const { rows } = await database.query('SELECT * FROM orders WHERE out_order_no = $1', [
    ctx.params.outOrderNo,
  ]);
  if (rows[0]) ctx.body = rows[0];
});

const server = new Koa().use(router.routes()).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`minimal shop on http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
