import { createServer, type Server } from 'node:http';
import { AlgoVoiClient, DouyinEcpayClient, TikTokShopClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import type { TtpayEvent } from '@ttpay/core';
import { silentLogger } from '@ttpay/core/internal';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '@ttpay/koa';
import { type FaultRule, type Simulator, startSimulator } from '@ttpay/simulator';
import { demoCredentials as demo } from '@ttpay/testing';
import fc from 'fast-check';
import Koa from 'koa';
import { afterAll, beforeAll, expect, it } from 'vitest';

// End to end through the simulator: the platform delivers a callback with its retry schedule; the
// handler confirms it with the platform's API through @ttpay/client (as a real shop must: the TikTok
// webhook carries no amount, the AlgoVoi one is a hint) — and that API answers 5xx, garbage, or too
// late for the client's timeout, as scheduled at random. Every acknowledgement comes after the
// handler's one completion, and every delivery is acknowledged in the end.

// Room for a slow but healthy answer on a busy CI machine; the injected delay is well past it.
const CLIENT_TIMEOUT_MS = 100;
const SLOW_MS = 200;

let sim: Simulator;
let server: Server;
let appUrl = '';
const completions = new Map<string, number>();
const acksAt: { key: string; completed: number }[] = [];
let clients: { ecpay: DouyinEcpayClient; tiktok: TikTokShopClient; algovoi: AlgoVoiClient };

const complete = (event: TtpayEvent): void => {
  completions.set(event.key, (completions.get(event.key) ?? 0) + 1);
};

beforeAll(async () => {
  const app = new Koa();
  app.silent = true;
  // Records, at the moment of every acknowledgement, how often that event's handler had completed.
  app.use(async (ctx, next) => {
    await next();
    const key = ctx.payment?.event?.key;
    if (ctx.status === 200 && key) acksAt.push({ key, completed: completions.get(key) ?? 0 });
  });
  const common = { logger: silentLogger, handlerTimeoutMs: 3 * CLIENT_TIMEOUT_MS + SLOW_MS };
  app.use(
    douyinCallbacks({
      ...common,
      path: '/douyin/notify',
      token: demo.douyin.token,
      platformPublicKey: demo.douyin.platformPublicKey,
      onPayment: async (event) => {
        if (event.system !== 'ecpay') throw new Error('unexpected system');
        const { payment_info } = await clients.ecpay.queryOrder({ out_order_no: event.msg.cp_orderno });
        if (payment_info.order_status !== 'SUCCESS') throw new Error('not paid yet');
        complete(event);
      },
    }),
  );
  app.use(
    tikTokWebhooks({
      ...common,
      path: '/tiktok/webhook',
      ...demo.tiktok,
      on: {
        ORDER_STATUS_CHANGE: async (event) => {
          const { orders } = await clients.tiktok.getOrders([event.data.order_id]);
          if (orders[0]?.payment.total_amount !== '12.34') throw new Error('order not found');
          complete(event);
        },
      },
    }),
  );
  app.use(
    algoVoiWebhooks({
      ...common,
      path: '/algovoi/webhook',
      secret: demo.algovoi.webhookSecret,
      onEvent: async (event) => {
        const { paid } = await clients.algovoi.verifyPayment(event.data.payment_link_token ?? '');
        if (!paid) throw new Error('not paid');
        complete(event);
      },
    }),
  );
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  sim = await startSimulator({
    timeScale: 0.00002, // Douyin's 15 s first retry → 0.3 ms; TikTok's 3 h fourth → 216 ms
    douyin: { notifyUrl: `${appUrl}/douyin/notify` },
    tiktok: { webhookUrl: `${appUrl}/tiktok/webhook` },
    algovoi: { webhookUrl: `${appUrl}/algovoi/webhook` },
  });
  const http = {
    transport: unsafeLoopbackTransportForTests({ baseUrl: sim.url }),
    timeoutMs: CLIENT_TIMEOUT_MS,
    retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 2 },
  };
  clients = {
    ecpay: new DouyinEcpayClient({ appId: demo.douyin.appId, salt: demo.douyin.salt, ...http }),
    tiktok: new TikTokShopClient({ ...demo.tiktok, ...http }),
    algovoi: new AlgoVoiClient({ apiBase: 'https://pay.example.com', ...demo.algovoi, ...http }),
  };
});

afterAll(async () => {
  await sim?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

type Platform = 'douyin' | 'tiktok' | 'algovoi';
const QUERY_PATH: Record<Platform, string> = {
  douyin: '/api/apps/ecpay/v1/query_order',
  tiktok: '/order/202309/orders',
  algovoi: '/checkout/',
};
const fault = fc.oneof(
  fc.constantFrom(500, 502, 503, 504).map((status) => ({ status })),
  fc.constant({ garbage: true }),
  fc.constant({ delayMs: SLOW_MS }),
);

/** Creates what the platform will then call back about, and has it delivered. */
async function deliverOne(platform: Platform, duplicates: number, run: number) {
  if (platform === 'douyin') {
    const outOrderNo = `sec_${run}_${Date.now()}`;
    await clients.ecpay.createOrder({
      out_order_no: outOrderNo,
      total_amount: 9900,
      subject: 'Tea',
      body: 'A test order',
      valid_time: 900,
    });
    return { start: () => sim.douyin.pay(outOrderNo, { duplicates }) };
  }
  if (platform === 'tiktok') {
    const orderId = sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD' });
    return {
      start: () =>
        sim.tiktok.sendWebhook(1, { order_id: orderId, order_status: 'AWAITING_SHIPMENT' }, { duplicates }),
    };
  }
  const link = await clients.algovoi.createPaymentLink({
    amount: '12.34',
    currency: 'USD',
    label: `run ${run}`,
    preferred_network: 'algorand_mainnet',
  });
  return { start: () => sim.algovoi.pay(link.token, { duplicates }) };
}

it('platform APIs failing at random: acknowledged only after the handler completed, exactly once (24 runs)', async () => {
  let run = 0;
  let failedAttempts = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<Platform>('douyin', 'tiktok', 'algovoi'),
      fc.array(fault, { maxLength: 3 }),
      fc.nat({ max: 2 }),
      async (platform, faults, duplicates) => {
        run++;
        const { start } = await deliverOne(platform, duplicates, run);
        sim.clearFaults();
        for (const rule of faults) sim.fault({ platform, path: QUERY_PATH[platform], ...rule } as FaultRule);
        const before = acksAt.length;
        const result = await start();
        sim.clearFaults();

        expect(result.acknowledged).toBe(true);
        const acks = acksAt.slice(before);
        expect(acks.length).toBeGreaterThanOrEqual(1);
        const key = acks[0]?.key ?? '';
        // Every acknowledgement (the first, and any duplicate's) saw exactly one completion.
        for (const ack of acks) expect(ack).toEqual({ key, completed: 1 });
        expect(completions.get(key)).toBe(1);
        // Nothing before the acknowledgement was a success.
        const firstAck = result.responses.findIndex((r) => r.status === 200);
        expect(result.responses.slice(0, firstAck).every((r) => r.status >= 500)).toBe(true);
        failedAttempts += firstAck;
      },
    ),
    { numRuns: 24 },
  );
  // Not vacuous: faults did make deliveries fail before they succeeded.
  expect(failedAttempts).toBeGreaterThan(0);
  expect([...completions.values()].every((n) => n === 1)).toBe(true);
});
