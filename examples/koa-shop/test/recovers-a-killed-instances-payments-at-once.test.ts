// Two shop processes (dist/main.js) on one PostgreSQL, the default 5-minute claim lease: one is SIGKILLed
// in the middle of a burst while its transactions hold payments' claims. The survivor applies every one of
// them on the platform's next retry — well within 30 s of the crash, not after the lease — and each exactly
// once. What makes it so: PostgresStore.processOnce claims inside the handler's transaction, and a dead
// process's transactions (and their claims) end with its connections.
//
// To kill the instance at a moment it surely holds claims, its connections go through a TCP proxy that is
// stalled first: its open transactions freeze where they are (holding their advisory locks, visible in
// pg_locks under the instance's own application_name), and a duplicate sent to the survivor meanwhile is
// answered IN_FLIGHT. Then SIGKILL.
import { randomBytes } from 'node:crypto';
import { type Simulator, startSimulator } from '@ttpay/simulator';
import { signedEcpayCallback } from '@ttpay/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_URL } from '../../../test/support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import { deliver, distEntry, fileDatabaseUrl, postJson } from './helpers.js';
import { type ShopProcess, startShopProcess } from './processes.js';

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
const IN_FLIGHT = '{"err_no":503,"err_tips":"IN_FLIGHT"}';
const ORDERS = 150;
/** The deadline the issue set: the lease the old path waited out is ten times as long. */
const RECOVERY_DEADLINE_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
let sim: Simulator;
let proxy: TcpProxy;
let admin: pg.Pool;
const running: ShopProcess[] = [];

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.0001 });
  const target = new URL(DATABASE_URL);
  proxy = await startTcpProxy({
    host: target.hostname,
    port: Number(target.port || 5432),
    scheme: 'postgres',
  });
  admin = new pg.Pool({ connectionString: await fileDatabaseUrl(), max: 2 });
  admin.on('error', () => {});
});

afterAll(async () => {
  proxy?.resume();
  for (const shop of running) await shop.kill().catch(() => {});
  await proxy?.stop();
  await admin?.end();
  await sim?.close();
});

async function start(databaseUrl: string): Promise<ShopProcess> {
  const shop = await startShopProcess(distEntry('dist/main.js'), {
    DATABASE_URL: databaseUrl,
    DOUYIN_API_BASE: sim.url,
    TIKTOK_API_BASE: sim.url,
    ALGOVOI_API_BASE: sim.url,
    RECONCILE_EVERY_MS: '0',
    ORDERS_PER_MINUTE: '100000',
    ORDERS_PER_MINUTE_PER_IP: '100000',
    // No IDEMPOTENCY_LEASE_MS: the default, five minutes.
  });
  running.push(shop);
  return shop;
}

/** Advisory locks (processOnce's claims) held right now by the backends named `applicationName`. */
async function claimsHeldBy(applicationName: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
    [applicationName],
  );
  return rows[0]?.n ?? 0;
}

it('an instance SIGKILLed while it holds claims: the survivor applies every payment on the next retry, exactly once', async () => {
  const databaseUrl = await fileDatabaseUrl();
  const victimName = `ttpay_victim_${randomBytes(3).toString('hex')}`;
  const victimUrl = new URL(databaseUrl);
  victimUrl.hostname = '127.0.0.1';
  victimUrl.port = String(proxy.port);
  victimUrl.searchParams.set('application_name', victimName);
  const victim = await start(victimUrl.toString());
  const survivor = await start(databaseUrl);

  const orders: string[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const created = await postJson(`${survivor.url}/orders`, { subject: `Tea ${i}`, amount: 100 + i });
    expect(created.status).toBe(201);
    orders.push(created.json.outOrderNo as string);
  }
  const callbacks = orders.map((outOrderNo, i) =>
    signedEcpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: 100 + i } }),
  );

  // The burst: every payment's first delivery goes to the victim, eight at a time.
  let next = 0;
  let stop = false;
  const burst = Array.from({ length: 8 }, async () => {
    while (!stop && next < callbacks.length) {
      const callback = callbacks[next++] as (typeof callbacks)[number];
      await deliver(`${victim.url}/douyin/notify`, callback).catch(() => undefined);
    }
  });

  // Mid-burst (a quarter of the payments delivered), freeze the victim's connections at a moment its
  // transactions hold claims.
  while (next < ORDERS / 4) await sleep(5);
  let held = 0;
  for (let attempt = 0; attempt < 500 && held === 0; attempt++) {
    await sleep(Math.floor(Math.random() * 10));
    proxy.stall();
    held = await claimsHeldBy(victimName);
    if (held === 0) proxy.resume();
  }
  expect(held).toBeGreaterThan(0);
  stop = true;

  // Meanwhile the survivor is told "retry later" for exactly those payments: the victim holds them.
  const probe = [];
  for (const callback of callbacks) probe.push(await deliver(`${survivor.url}/douyin/notify`, callback));
  const inFlight = probe.filter((r) => r.status === 503);
  expect(inFlight.length).toBeGreaterThan(0);
  for (const r of inFlight) expect(r.text).toBe(IN_FLIGHT);

  // SIGKILL. Its sockets close, the proxy closes their upstream halves, PostgreSQL rolls back. (The proxy
  // stays stalled: nothing the victim sent before it died reaches the database afterwards.)
  const crashedAt = Date.now();
  await victim.kill();
  await Promise.all(burst);

  // The platform redelivers every payment until acknowledged; the balancer has only the survivor now.
  let retries = 0;
  for (const callback of callbacks) {
    for (;;) {
      const reply = await deliver(`${survivor.url}/douyin/notify`, callback);
      if (reply.status === 200) {
        expect(reply.text).toBe(DOUYIN_ACK);
        break;
      }
      expect(reply.text).toBe(IN_FLIGHT);
      retries++;
      if (Date.now() - crashedAt > RECOVERY_DEADLINE_MS) {
        throw new Error(`a payment was still in flight ${RECOVERY_DEADLINE_MS} ms after the crash`);
      }
      await sleep(100);
    }
  }
  const recoveredInMs = Date.now() - crashedAt;
  console.log(
    `killed after ${next} of ${ORDERS} first deliveries, holding ${held} claim(s), ${inFlight.length} payment(s) in flight at the crash; all ${ORDERS} acknowledged ${recoveredInMs} ms after it (${retries} retry-laters after the crash; the lease would have been 300 000 ms)`,
  );

  // Every payment applied, exactly once; and duplicates arriving together are all acknowledged.
  const { rows } = await admin.query<{ key: string; n: number }>(
    `SELECT key, count(*)::int AS n FROM applied_events WHERE type = 'ecpay.payment' GROUP BY key`,
  );
  const applied = new Map(rows.map((r) => [r.key, r.n]));
  for (const outOrderNo of orders) expect(applied.get(`douyin:ecpay:payment:${outOrderNo}:SUCCESS`)).toBe(1);
  const duplicates = await Promise.all(
    callbacks.slice(0, 20).map((callback) => deliver(`${survivor.url}/douyin/notify`, callback)),
  );
  expect(duplicates).toEqual(duplicates.map(() => ({ status: 200, text: DOUYIN_ACK })));
  expect(await survivor.stop()).toBe(0);
}, 180_000);
