import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { silentLogger } from '@ttpay/core/internal';
import { algoVoiWebhooks, douyinCallbacks, MemoryStore, tikTokWebhooks } from '@ttpay/koa';
import { demoCredentials } from '@ttpay/testing';
import Koa from 'koa';

/**
 * A real Koa app on @ttpay/koa, as a user would write one, for the dashboard tests: it verifies,
 * de-duplicates and acknowledges Douyin, TikTok Shop and AlgoVoi deliveries on the demo credentials,
 * and counts what its handlers applied.
 */
export interface PaymentApp {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** How many times the payment handler ran, by out_order_no. */
  payments: Map<string, number>;
  /** Every event key any handler applied, in order. */
  applied: string[];
  /** The next `n` Douyin deliveries get a 503 before @ttpay/koa sees them (a busy server). */
  failNextDouyin(n: number): void;
  close(): Promise<void>;
}

export async function startPaymentApp(): Promise<PaymentApp> {
  const store = new MemoryStore();
  const payments = new Map<string, number>();
  const applied: string[] = [];
  let failing = 0;
  const { douyin, tiktok, algovoi } = demoCredentials;

  const router = new Router();
  router.post(
    '/douyin/notify',
    async (ctx, next) => {
      if (failing > 0) {
        failing -= 1;
        ctx.status = 503;
        ctx.body = 'busy';
        return;
      }
      await next();
    },
    douyinCallbacks({
      token: douyin.token,
      platformPublicKey: douyin.platformPublicKey,
      store,
      logger: silentLogger,
      onPayment: async (event) => {
        const outOrderNo = event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no;
        payments.set(outOrderNo, (payments.get(outOrderNo) ?? 0) + 1);
        applied.push(event.key);
      },
      onEvent: async (event) => {
        applied.push(event.key);
      },
    }),
  );
  router.post(
    '/tiktok/webhook',
    tikTokWebhooks({
      appKey: tiktok.appKey,
      appSecret: tiktok.appSecret,
      store,
      logger: silentLogger,
      onEvent: async (event) => {
        applied.push(event.key);
      },
    }),
  );
  router.post(
    '/algovoi/webhook',
    algoVoiWebhooks({
      secret: algovoi.webhookSecret,
      store,
      logger: silentLogger,
      onEvent: async (event) => {
        applied.push(event.key);
      },
    }),
  );
  const app = new Koa();
  app.use(router.routes());

  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    payments,
    applied,
    failNextDouyin(n) {
      failing = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
