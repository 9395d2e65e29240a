import { type Simulator, startSimulator } from '@ttpay/simulator';
import type { DestinationStream } from 'pino';
import { createShop, type Shop } from '#shop/app';
import { loadConfig } from '#shop/config';
import { createLogger } from '#shop/logger';
import type { DemoContext } from './demo-context.js';
import {
  ecpayPaymentFlow,
  ecpayRefundFlow,
  forgedCallbackFlow,
  reconciliationFlow,
  tradePaymentFlow,
} from './douyin-flows.js';
import { ShopApi } from './shop-api.js';
import { tiktokOrdersFlow } from './tiktok-flow.js';
import { Transcript } from './transcript.js';
import { userRefundFlow } from './user-refund-flow.js';

export interface DemoOptions {
  /** Where the transcript goes, line by line. */
  write: (line: string) => void;
  /** The shop's JSON logs; default LOG_LEVEL or silent. */
  logLevel?: string;
  logDestination?: DestinationStream;
  /** Multiplies the platforms' retry schedules. Default 0.001 (Douyin's 15 s retry → 15 ms). */
  timeScale?: number;
  /**
   * The simulator's port; default 0 (a free one). Given, the shop starts first and the simulator
   * delivers to it by default, so the dashboard's buttons reach the shop too.
   */
  simulatorPort?: number;
  /** Runs before the flows (e.g. until the user has opened the dashboard). */
  beforeFlows?: (urls: DemoUrls) => Promise<void>;
  /** Runs after the flows, before the shop and the simulator stop (e.g. until Ctrl-C). */
  afterFlows?: (urls: DemoUrls) => Promise<void>;
}

export interface DemoUrls {
  simulator: string;
  /** The simulator's web page: every order and delivery of the run, live. */
  dashboard: string;
  shop: string;
}

/**
 * Starts the simulator and the shop — built by `createShop`, the factory `pnpm start` uses, pointed at
 * the simulator — on free ports, walks every flow, and stops both. Resolves true only if every check passed.
 */
export async function runDemo(options: DemoOptions): Promise<boolean> {
  const t = new Transcript(options.write);
  const timeScale = options.timeScale ?? 0.001;
  const port = options.simulatorPort ?? 0;
  let sim: Simulator | undefined;
  let running: { shop: Shop; url: string } | undefined;
  try {
    if (port === 0) {
      sim = await startSimulator({ timeScale });
      running = await startShop(sim.url, options);
    } else {
      // The simulator's URL is known before it starts: start the shop first and make it the simulator's
      // default destination (the console setting), so the dashboard's buttons reach it too.
      running = await startShop(`http://127.0.0.1:${port}`, options);
      sim = await startSimulator({
        port,
        timeScale,
        douyin: { notifyUrl: `${running.url}/douyin/notify` },
        tiktok: { webhookUrl: `${running.url}/tiktok/webhook` },
        algovoi: { webhookUrl: `${running.url}/algovoi/webhook` },
      });
    }
  } catch (error) {
    await running?.shop.stop();
    await sim?.close();
    throw error;
  }
  const { shop, url: shopUrl } = running;
  const urls: DemoUrls = { simulator: sim.url, dashboard: `${sim.url}/_sim/`, shop: shopUrl };
  const ctx: DemoContext = { shop, shopUrl, api: new ShopApi(shopUrl), sim, t };

  options.write('ttpay demo: the example shop (examples/koa-shop) against the local platform simulator');
  options.write(
    `   simulator  ${sim.url}   Douyin ecpay + trade system, TikTok Shop, AlgoVoi (demo credentials)`,
  );
  options.write(`   dashboard  ${urls.dashboard}   every order and delivery of the run, live, in a browser`);
  options.write(
    `   shop       ${shopUrl}   createShop(), as \`pnpm start\` builds it; ${shop.idempotency.kind} idempotency store, jobs in the same database (pg-boss)`,
  );

  const step = async (n: number, title: string, flow: () => Promise<void>) => {
    t.heading(n, title);
    try {
      await flow();
    } catch (error) {
      t.check(
        false,
        `stopped by an error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
  };
  try {
    await options.beforeFlows?.(urls);
    const started = performance.now();
    let paidOrder: string | undefined;
    await step(1, 'Douyin ecpay: order, payment, signed callback, duplicates', async () => {
      paidOrder = await ecpayPaymentFlow(ctx);
    });
    await step(2, 'Douyin ecpay: refund', () => ecpayRefundFlow(ctx, paidOrder));
    await step(3, 'Douyin trade system (RSA): tt.requestOrder, payment, signed callback', () =>
      tradePaymentFlow(ctx),
    );
    await step(
      4,
      'TikTok Shop: paid at TikTok → shipped through TikTok; a B2B settlement through AlgoVoi',
      () => tiktokOrdersFlow(ctx),
    );
    await step(5, 'A forged callback', () => forgedCallbackFlow(ctx));
    await step(6, 'Douyin: every callback of a payment lost, found by reconciliation', () =>
      reconciliationFlow(ctx),
    );
    await step(
      7,
      'Douyin trade system: the buyer asks for a refund; the shop answers its number and audits',
      () => userRefundFlow(ctx),
    );

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    options.write('');
    options.write(
      t.failed === 0
        ? `✓ All 7 flows checked out: ${t.checks} checks passed in ${seconds} s.`
        : `✗ ${t.failed} of ${t.checks} checks failed (${seconds} s).`,
    );
    await options.afterFlows?.(urls);
  } finally {
    await shop.stop();
    await sim.close();
  }
  return t.failed === 0;
}

/** The shop as `pnpm start` builds it, on a free loopback port, pointed at the simulator's URL. */
async function startShop(simulatorUrl: string, options: DemoOptions): Promise<{ shop: Shop; url: string }> {
  // Only what points the shop at the simulator: every credential falls back to the demo values the
  // simulator also uses (NODE_ENV=production would refuse them, and the loopback transport).
  const config = await loadConfig({
    NODE_ENV: process.env.NODE_ENV,
    PORT: '0',
    LOG_LEVEL: options.logLevel ?? 'silent',
    DOUYIN_API_BASE: simulatorUrl,
    TIKTOK_API_BASE: simulatorUrl,
    ALGOVOI_API_BASE: simulatorUrl,
    // The embedded database, in memory: the demo leaves nothing behind (`pnpm start` keeps DATA_DIR).
    DATA_DIR: 'memory://',
    // Reconciliation runs when the demo asks (shop.reconcile()), not on a timer.
    RECONCILE_EVERY_MS: '0',
  });
  const shop = await createShop(config, {
    logger: createLogger(config.logLevel, options.logDestination),
    jobPollSeconds: 0.5,
  });
  try {
    return { shop, url: (await shop.start({ host: '127.0.0.1' })).url };
  } catch (error) {
    await shop.stop();
    throw error;
  }
}
