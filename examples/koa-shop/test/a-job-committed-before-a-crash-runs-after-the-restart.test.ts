// A real process is SIGKILLed after a webhook's transaction committed (the webhook was acknowledged)
// and before the job it added ran: the job is a row in the database, so the shop that starts next on the
// same database runs it — once. On PostgreSQL and on the embedded PGlite with its DATA_DIR on disk.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Simulator, startSimulator } from '@ttpay/simulator';
import { signedTikTokWebhook } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, fileDatabaseUrl, startShop, until } from './helpers.js';
import { cleanEnv } from './processes.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/shop-that-runs-no-jobs.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'koa-shop-crash-'));
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.0001 });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The fixture shop as its own process; resolves with its URL and a SIGKILL. */
async function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: cleanEnv({ PORT: '0', LOG_LEVEL: 'info', RECONCILE_EVERY_MS: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_code, signal) => resolve(signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /"url":"(http:[^"]+)"/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
    });
    child.on('close', () => reject(new Error(`the shop exited before listening: ${seen.slice(-2_000)}`)));
  });
  return {
    url,
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

const gatewayCalls = () => sim.log.filter((e) => e.platform === 'algovoi').length;

describe.each([
  ['PostgreSQL', async () => ({ DATABASE_URL: await fileDatabaseUrl() })],
  ['the embedded PGlite, DATA_DIR on disk', async () => ({ DATA_DIR: dataDir })],
])('on %s', (_engine, database) => {
  it('SIGKILL between the commit and the job: the next shop on the database runs the job once', async () => {
    const env = {
      ...(await database()),
      DOUYIN_API_BASE: sim.url,
      TIKTOK_API_BASE: sim.url,
      ALGOVOI_API_BASE: sim.url,
    };
    const crashing = await startProcess(env);
    const orderId = sim.tiktok.addOrder({ total_amount: '4.20', currency: 'USD' });
    const gatewayBefore = gatewayCalls();
    const webhook = signedTikTokWebhook({
      type: 1,
      data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
    });
    expect((await deliver(`${crashing.url}/tiktok/webhook`, webhook)).status).toBe(200); // committed
    expect(await crashing.kill()).toBe('SIGKILL');
    expect(sim.tiktok.shipments(orderId)).toEqual([]); // the ship job had not run

    const next = await startShop(sim, env);
    try {
      const shipped = await until(async () => {
        const order = await next.shop.orders.get(`tiktok-${orderId}`);
        return order?.status === 'shipped' ? order : undefined;
      }, 15_000);
      await next.shop.jobs.idle();
      // Paid at TikTok's checkout: shipped through TikTok once, and the payment gateway asked nothing.
      expect(shipped).toMatchObject({ status: 'shipped', amount: 420, currency: 'USD' });
      expect(sim.tiktok.shipments(orderId)).toHaveLength(1);
      expect(gatewayCalls() - gatewayBefore).toBe(0);
    } finally {
      await next.close();
    }
  }, 60_000);
});
