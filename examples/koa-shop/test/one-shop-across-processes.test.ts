// Real processes (dist/main.js, as `pnpm start` runs it): orders survive a restart, on the embedded
// default and on PostgreSQL; two instances on one PostgreSQL and one Redis are one shop; and an
// instance SIGKILLed in the middle of a burst of duplicated callbacks loses no payment and applies none
// twice once the platform redelivers to the survivor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@ttpay/simulator';
import { signedEcpayCallback } from '@ttpay/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, distEntry, fileDatabaseUrl, getJson, postJson } from './helpers.js';
import { type ShopProcess, startShopProcess } from './processes.js';
import { connectRedis, deleteKeys, REDIS_URL, uniquePrefix } from './redis.js';

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
let sim: Simulator;
const running: ShopProcess[] = [];

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.0001 });
});

afterAll(async () => {
  for (const shop of running) await shop.kill().catch(() => {});
  await sim?.close();
});

async function start(env: Record<string, string>): Promise<ShopProcess> {
  const shop = await startShopProcess(distEntry('dist/main.js'), {
    DOUYIN_API_BASE: sim.url,
    TIKTOK_API_BASE: sim.url,
    ALGOVOI_API_BASE: sim.url,
    RECONCILE_EVERY_MS: '0',
    ...env,
  });
  running.push(shop);
  return shop;
}

async function paidOrder(shop: ShopProcess, amount: number): Promise<string> {
  const created = await postJson(`${shop.url}/orders`, { subject: 'Tea', amount });
  expect(created.status).toBe(201);
  const outOrderNo = created.json.outOrderNo as string;
  const paid = await sim.douyin.pay(outOrderNo, { url: `${shop.url}/douyin/notify` });
  expect(paid.acknowledged).toBe(true);
  return outOrderNo;
}

describe('orders survive a restart', () => {
  it('the embedded default (PGlite under DATA_DIR): a paid order is still paid after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'koa-shop-data-'));
    try {
      const first = await start({ DATA_DIR: dataDir });
      expect((await getJson(`${first.url}/healthz`)).json).toMatchObject({ store: 'pglite' });
      const outOrderNo = await paidOrder(first, 3300);
      expect(await first.stop()).toBe(0);

      const second = await start({ DATA_DIR: dataDir });
      expect((await getJson(`${second.url}/orders/${outOrderNo}`)).json).toMatchObject({
        status: 'paid',
        amount: 3300,
      });
      expect((await getJson<{ ref: string }[]>(`${second.url}/events`)).json.map((e) => e.ref)).toContain(
        outOrderNo,
      );
      expect(await second.stop()).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('two instances on one PostgreSQL and one Redis', () => {
  let databaseUrl: string;
  let db: pg.Pool;
  const prefix = uniquePrefix('processes');
  beforeAll(async () => {
    databaseUrl = await fileDatabaseUrl(); // fails with how to start PostgreSQL when there is none
    db = new pg.Pool({ connectionString: databaseUrl });
    (await connectRedis()).disconnect(); // fails with how to start Redis when there is none
  });
  afterAll(async () => {
    await db?.end();
    const redis = await connectRedis();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('one shop: a SIGKILL mid-burst loses nothing and doubles nothing; everything survives a full restart', async () => {
    // A short lease: the claims the killed instance held run out quickly, so the redeliveries get through.
    const env = { DATABASE_URL: databaseUrl, REDIS_URL, REDIS_PREFIX: prefix, IDEMPOTENCY_LEASE_MS: '1500' };
    const a = await start(env);
    const b = await start(env);

    // 30 orders, created on either instance; each visible on the other.
    const orders: { outOrderNo: string; amount: number }[] = [];
    for (let i = 0; i < 30; i++) {
      const amount = 100 + i;
      const created = await postJson(`${(i % 2 ? b : a).url}/orders`, { subject: `Tea ${i}`, amount });
      expect(created.status).toBe(201);
      orders.push({ outOrderNo: created.json.outOrderNo as string, amount });
    }
    for (const [i, o] of orders.entries()) {
      expect((await getJson(`${(i % 2 ? a : b).url}/orders/${o.outOrderNo}`)).json).toMatchObject({
        status: 'created',
      });
    }
    const callbacks = orders.map((o) =>
      signedEcpayCallback({ type: 'payment', msg: { cp_orderno: o.outOrderNo, total_amount: o.amount } }),
    );

    // The burst: 8 copies of each callback, to both instances at once. A dies after ~60 replies.
    let replies = 0;
    const killed = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (replies < 60) return;
        clearInterval(check);
        resolve(a.kill());
      }, 1);
    });
    const burst = callbacks.flatMap((cb, i) =>
      Array.from({ length: 8 }, (_, copy) =>
        deliver(`${((i + copy) % 2 ? b : a).url}/douyin/notify`, cb)
          .catch(() => ({ status: 0, text: 'connection lost' }))
          .finally(() => {
            replies++;
          }),
      ),
    );
    const results = await Promise.all(burst);
    await killed;
    // Nothing but an ack, a retry-later, or a connection the crash cut: never a 500, never a wrong ack.
    for (const r of results) {
      expect([0, 200, 503]).toContain(r.status);
      if (r.status === 200) expect(r.text).toBe(DOUYIN_ACK);
    }
    expect(results.some((r) => r.status === 0 || r.status === 503)).toBe(true);

    // The platform redelivers every payment until it is acknowledged; the balancer now has only B.
    for (const cb of callbacks) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const reply = await deliver(`${b.url}/douyin/notify`, cb);
        if (reply.status === 200) break;
        expect(reply.status).toBe(503); // in flight: a claim of the dead instance, until its lease runs out
        if (Date.now() > deadline) throw new Error('a payment was never acknowledged');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    // Every payment applied, exactly once.
    const { rows } = await db.query<{ key: string; n: string }>(
      `SELECT key, count(*) AS n FROM applied_events WHERE type = 'ecpay.payment' GROUP BY key`,
    );
    const applied = new Map(rows.map((r) => [r.key, Number(r.n)]));
    for (const o of orders) {
      expect(applied.get(`douyin:ecpay:payment:${o.outOrderNo}:SUCCESS`)).toBe(1);
      expect((await getJson(`${b.url}/orders/${o.outOrderNo}`)).json).toMatchObject({ status: 'paid' });
    }

    // A full restart: every instance stopped, two new ones started: the same shop.
    expect(await b.stop()).toBe(0);
    const c = await start(env);
    const d = await start(env);
    for (const [i, o] of orders.entries()) {
      expect((await getJson(`${(i % 2 ? c : d).url}/orders/${o.outOrderNo}`)).json).toMatchObject({
        status: 'paid',
        amount: o.amount,
      });
    }
    // And a late redelivery to the new instances is a duplicate.
    expect(await deliver(`${c.url}/douyin/notify`, callbacks[0] as (typeof callbacks)[number])).toEqual({
      status: 200,
      text: DOUYIN_ACK,
    });
    expect(await c.stop()).toBe(0);
    expect(await d.stop()).toBe(0);
  }, 120_000);
});
