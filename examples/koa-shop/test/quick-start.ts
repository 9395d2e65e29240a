// shop.ts: run with `node --import tsx shop.ts` (set DOUYIN_TOKEN and DOUYIN_PLATFORM_PUBLIC_KEY).
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { douyinCallbacks } from '@ttpay/koa';
import Koa from 'koa';

export const paidOrders = new Map<string, number>(); // stands in for your orders table

const router = new Router();
router.post(
  '/douyin/notify', // one endpoint for ecpay (SHA-1) and trade-system (RSA) callbacks
  douyinCallbacks({
    token: process.env.DOUYIN_TOKEN, // the console Token: verifies ecpay callbacks
    platformPublicKey: process.env.DOUYIN_PLATFORM_PUBLIC_KEY, // verifies trade-system callbacks
    onPayment: async (event) => {
      // Verified, de-duplicated and typed. Resolve to acknowledge; throw and Douyin retries.
      const outOrderNo = event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no;
      paidOrders.set(outOrderNo, event.msg.total_amount);
    },
  }),
);

export const app = new Koa().use(router.routes());
if (process.argv[1] === fileURLToPath(import.meta.url)) app.listen(Number(process.env.PORT ?? 3000));
