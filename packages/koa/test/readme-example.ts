// shop.ts — run with `node --import tsx shop.ts` (Node >= 20.19).
import { fileURLToPath } from 'node:url';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { algoVoiWebhooks, douyinCallbacks, douyinReply, MemoryStore, tikTokWebhooks } from '@ttpay/koa';
import Koa from 'koa';
import { pino } from 'pino';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} (see the Douyin, TikTok Shop and AlgoVoi consoles).`);
  return value;
}

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
// One de-duplication store for all three endpoints. In-process: with several instances of the app,
// use the Redis store from @ttpay/store-redis instead.
const store = new MemoryStore({ maxEntries: 100_000 });

// Stand-ins for your database.
export const paidOrders = new Map<string, number>();
export const refunds = new Set<string>();
export const refundNumbers = new Map<string, string>(); // the platform's refund_id → your out_refund_no
export const ordersToShip: string[] = [];
export const gatewayHints: string[] = [];

const webhooks = new Router();

// One endpoint for Douyin's ecpay AND trade-system callbacks. Set it as the notify_url /
// payNotifyUrl of your orders.
webhooks.post(
  '/douyin/notify',
  douyinCallbacks({
    token: env('DOUYIN_TOKEN'), // ecpay: the console "Token"
    platformPublicKey: env('DOUYIN_PLATFORM_PUBLIC_KEY'), // trade system: the platform public key
    appId: env('DOUYIN_APP_ID'), // a callback signed for another mini-program is refused, never applied
    store,
    logger,
    onPayment: async (event) => {
      // Fields differ between the two systems: narrow on event.system.
      const outOrderNo = event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no;
      paidOrders.set(outOrderNo, event.msg.total_amount);
    },
    onRefund: async (event) => {
      refunds.add(event.key);
    },
    onSettle: async (event) => {
      logger.info({ key: event.key }, 'settled');
    },
    // Trade system: a user asked for a refund (退款申请回调). Answer with your refund number — the same
    // one whenever this refund_id comes again — then audit it with DouyinTradeClient.refundAuditCallback.
    onRefundApplication: async (event) => {
      const outRefundNo = refundNumbers.get(event.msg.refund_id) ?? `refund_${event.msg.refund_id}`;
      refundNumbers.set(event.msg.refund_id, outRefundNo);
      return douyinReply({ out_refund_no: outRefundNo });
    },
    // Withdraw callbacks and anything else: acknowledged here. Without onEvent they would be
    // answered 501 and retried, so nothing is acknowledged unprocessed.
    onEvent: async (event) => {
      logger.info({ key: event.key, type: event.type }, 'other Douyin callback');
    },
  }),
);

webhooks.post(
  '/tiktok/webhook',
  tikTokWebhooks({
    appKey: env('TIKTOK_APP_KEY'),
    appSecret: env('TIKTOK_APP_SECRET'),
    store,
    logger,
    on: {
      ORDER_STATUS_CHANGE: async (event) => {
        // The webhook carries no amount: fetch the order from the Open Platform before acting on money.
        if (event.data.order_status === 'AWAITING_SHIPMENT') ordersToShip.push(event.data.order_id);
      },
    },
    onEvent: async (event) => {
      logger.info({ key: event.key, name: event.name }, 'other TikTok Shop webhook');
    },
  }),
);

webhooks.post(
  '/algovoi/webhook',
  algoVoiWebhooks({
    secret: env('ALGOVOI_WEBHOOK_SECRET'),
    store,
    logger,
    onEvent: async (event) => {
      // payment.confirmed, keyed on its id: confirm with GET /checkout/{token}/status before shipping.
      const token = event.data.payment_link_token;
      if (token) gatewayHints.push(token);
    },
  }),
);

// The rest of the app, whose routes want a parsed body.
const api = new Router();
api.get('/orders/:outOrderNo', (ctx) => {
  const outOrderNo = ctx.params.outOrderNo ?? '';
  const amount = paidOrders.get(outOrderNo);
  ctx.body = { outOrderNo, paid: amount !== undefined, amount: amount ?? null };
});
api.post('/orders', (ctx) => {
  ctx.status = 201;
  ctx.body = { received: ctx.request.body };
});

export const app = new Koa();
app.use(webhooks.routes()); // before the body parser: ttpay reads the raw bytes itself
app.use(bodyParser());
app.use(api.routes()).use(api.allowedMethods());

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  app.listen(Number(process.env.PORT ?? 3000));
}
