import { type Simulator, startSimulator } from '@ttpay/simulator';
import { signedEcpayCallback } from '@ttpay/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_URL } from '../../../test/support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import {
  deliver,
  fileDatabaseUrl,
  getJson,
  postJson,
  type RunningShop,
  startShop,
  until,
} from './helpers.js';

// The shop's PostgreSQL (orders and idempotency store) goes away mid-test, through a TCP proxy in front of
// the shared server (which is never stopped): no delivery may be acknowledged unprocessed, and once the
// database is back every payment is applied exactly once.
let proxy: TcpProxy;
let sim: Simulator;
let shop: RunningShop;

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
const STORE_UNAVAILABLE = '{"err_no":503,"err_tips":"STORE_UNAVAILABLE"}';

beforeAll(async () => {
  const url = new URL(await fileDatabaseUrl()); // fails, with how to start PostgreSQL, when there is none
  const target = new URL(DATABASE_URL);
  proxy = await startTcpProxy({
    host: target.hostname,
    port: Number(target.port || 5432),
    scheme: 'postgres',
  });
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  sim = await startSimulator({ timeScale: 0.0001 });
  shop = await startShop(sim, { DATABASE_URL: url.toString() });
});

afterAll(async () => {
  await proxy?.start().catch(() => {}); // back, so the shop can close its pool cleanly
  await shop?.close();
  await sim?.close();
  await proxy?.stop();
});

async function paymentFor(amount: number) {
  const created = await postJson(`${shop.url}/orders`, { subject: 'Tea', amount });
  expect(created.status).toBe(201);
  const outOrderNo = created.json.outOrderNo as string;
  return {
    outOrderNo,
    key: `douyin:ecpay:payment:${outOrderNo}:SUCCESS`,
    callback: signedEcpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: amount } }),
  };
}

const notify = () => `${shop.url}/douyin/notify`;
const eventsFor = async (key: string) =>
  (await getJson<{ key: string }[]>(`${shop.url}/events`)).json.filter((e) => e.key === key);

it('PostgreSQL goes away: no delivery is acknowledged unprocessed; once it is back each applies once', async () => {
  const before = await paymentFor(1000);
  expect(await deliver(notify(), before.callback)).toEqual({ status: 200, text: DOUYIN_ACK });
  const during = await paymentFor(2000);

  await proxy.stop();

  // Every delivery is refused "retry later"; so is a duplicate of the payment handled before: the store
  // cannot tell, so it says "retry later" rather than guess (fail closed).
  const refused = await Promise.all(Array.from({ length: 6 }, () => deliver(notify(), during.callback)));
  expect(refused).toEqual(Array.from({ length: 6 }, () => ({ status: 503, text: STORE_UNAVAILABLE })));
  expect(await deliver(notify(), before.callback)).toEqual({ status: 503, text: STORE_UNAVAILABLE });

  await proxy.start();

  // The platform keeps redelivering; once the pool reconnects, one delivery is processed.
  const replies: { status: number; text: string }[] = [];
  await until(async () => {
    const reply = await deliver(notify(), during.callback);
    replies.push(reply);
    return reply.status === 200;
  }, 15_000);
  for (const reply of replies.slice(0, -1)) expect(reply).toEqual({ status: 503, text: STORE_UNAVAILABLE });
  expect((await getJson(`${shop.url}/orders/${during.outOrderNo}`)).json).toMatchObject({ status: 'paid' });

  // …exactly once: concurrent redeliveries after that are acknowledged without applying it again.
  const after = await Promise.all(Array.from({ length: 10 }, () => deliver(notify(), during.callback)));
  expect(after).toEqual(Array.from({ length: 10 }, () => ({ status: 200, text: DOUYIN_ACK })));
  expect(await eventsFor(during.key)).toHaveLength(1);
  expect(await eventsFor(before.key)).toHaveLength(1);
});
