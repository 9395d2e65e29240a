import { startSimulator } from '@ttpay/testing';
import type { DestinationStream } from 'pino';
import { createShop, type Shop } from '../app.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import type { DemoContext } from './demo-context.js';
import { ecpayPaymentFlow, ecpayRefundFlow, forgedCallbackFlow, tradePaymentFlow } from './douyin-flows.js';
import { ShopApi } from './shop-api.js';
import { tiktokSettlementFlow } from './tiktok-flow.js';
import { Transcript } from './transcript.js';

export interface DemoOptions {
  /** Where the transcript goes, line by line. */
  write: (line: string) => void;
  /** The shop's JSON logs; default LOG_LEVEL or silent. */
  logLevel?: string;
  logDestination?: DestinationStream;
  /** Multiplies the platforms' retry schedules. Default 0.001 (Douyin's 15 s retry → 15 ms). */
  timeScale?: number;
}

/**
 * Starts the simulator and the shop — built by `createShop`, the factory `pnpm start` uses, pointed at
 * the simulator — on free ports, walks every flow, and stops both. Resolves true only if every check passed.
 */
export async function runDemo(options: DemoOptions): Promise<boolean> {
  const started = performance.now();
  const t = new Transcript(options.write);
  const sim = await startSimulator({ timeScale: options.timeScale ?? 0.001 });
  let shop: Shop | undefined;
  let shopUrl: string;
  try {
    // Only what points the shop at the simulator: every credential falls back to the demo values the
    // simulator also uses (NODE_ENV=production would refuse them, and the loopback transport).
    const config = loadConfig({
      NODE_ENV: process.env.NODE_ENV,
      PORT: '0',
      LOG_LEVEL: options.logLevel ?? 'silent',
      DOUYIN_API_BASE: sim.url,
      TIKTOK_API_BASE: sim.url,
      ALGOVOI_API_BASE: sim.url,
    });
    shop = createShop(config, { logger: createLogger(config.logLevel, options.logDestination) });
    shopUrl = (await shop.start({ host: '127.0.0.1' })).url;
  } catch (error) {
    await shop?.stop();
    await sim.close();
    throw error;
  }
  const ctx: DemoContext = { shop, shopUrl, api: new ShopApi(shopUrl), sim, t };

  options.write('ttpay demo: the example shop (examples/koa-shop) against the local platform simulator');
  options.write(
    `   simulator  ${sim.url}   Douyin ecpay + trade system, TikTok Shop, AlgoVoi (demo credentials)`,
  );
  options.write(
    `   shop       ${shopUrl}   createShop(), as \`pnpm start\` builds it; ${shop.idempotency.kind} idempotency store, in-process jobs`,
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
    let paidOrder: string | undefined;
    await step(1, 'Douyin ecpay: order, payment, signed callback, duplicates', async () => {
      paidOrder = await ecpayPaymentFlow(ctx);
    });
    await step(2, 'Douyin ecpay: refund', () => ecpayRefundFlow(ctx, paidOrder));
    await step(3, 'Douyin trade system (RSA): tt.requestOrder, payment, signed callback', () =>
      tradePaymentFlow(ctx),
    );
    await step(4, 'TikTok Shop → AlgoVoi → shipping reference', () => tiktokSettlementFlow(ctx));
    await step(5, 'A forged callback', () => forgedCallbackFlow(ctx));
  } finally {
    await shop.stop();
    await sim.close();
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  options.write('');
  options.write(
    t.failed === 0
      ? `✓ All 5 flows checked out: ${t.checks} checks passed in ${seconds} s.`
      : `✗ ${t.failed} of ${t.checks} checks failed (${seconds} s).`,
  );
  return t.failed === 0;
}
