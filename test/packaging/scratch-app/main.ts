// A plain npm app built on the packed tarballs, as a new user writes one: douyinCallbacks with a
// MemoryStore on a Koa route, the ecpay client against the simulator, a signed fixture, and a store of
// its own (own-store.ts) behind a second route.
// test/packaging/installs-the-packed-tarballs-into-a-plain-npm-app.test.ts compiles it strict and runs it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { DouyinEcpayClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { douyinCallbacks, MemoryStore } from '@ttpay/koa';
import { startSimulator } from '@ttpay/simulator';
import { demoCredentials, signedEcpayCallback } from '@ttpay/testing';
import Koa from 'koa';
import { MapStore } from './own-store.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const paid = new Map<string, number>();
const router = new Router();
router.post(
  '/douyin/notify',
  douyinCallbacks({
    token: demoCredentials.douyin.token,
    store: new MemoryStore({ maxEntries: 1_000 }),
    logger: quiet,
    onPayment: async (event, ctx) => {
      // Typed on ttpay's route through the handler's parameters, with no global augmentation.
      assert.equal(ctx.payment.event.key, event.key);
      const outOrderNo = event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no;
      paid.set(outOrderNo, event.msg.total_amount);
    },
  }),
);
let ownStoreRuns = 0;
router.post(
  '/douyin/own-store',
  douyinCallbacks({
    token: demoCredentials.douyin.token,
    store: new MapStore(),
    logger: quiet,
    onPayment: () => {
      ownStoreRuns += 1;
    },
  }),
);
const server = new Koa().use(router.routes()).listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const notifyUrl = `${base}/douyin/notify`;

const sim = await startSimulator({ timeScale: 0.001, douyin: { notifyUrl } });
try {
  // A signed fixture, posted byte for byte as Douyin would post it.
  const fixture = signedEcpayCallback({
    type: 'payment',
    msg: { cp_orderno: 'pack_fixture_1', total_amount: 9900 },
  });
  const reply = await fetch(notifyUrl, { method: 'POST', headers: fixture.headers, body: fixture.rawBody });
  assert.equal(reply.status, 200);
  assert.deepEqual(await reply.json(), { err_no: 0, err_tips: 'success' });

  // The same delivery twice through the app's own store: acknowledged both times, handled once.
  for (let i = 0; i < 2; i++) {
    const own = await fetch(`${base}/douyin/own-store`, {
      method: 'POST',
      headers: fixture.headers,
      body: fixture.rawBody,
    });
    assert.deepEqual(await own.json(), { err_no: 0, err_tips: 'success' });
  }
  assert.equal(ownStoreRuns, 1);

  // The client creates an order on the simulator; the buyer pays; the simulator calls the app back.
  const ecpay = new DouyinEcpayClient({
    appId: demoCredentials.douyin.appId,
    salt: demoCredentials.douyin.salt,
    transport: unsafeLoopbackTransportForTests({ baseUrl: sim.url }),
  });
  await ecpay.createOrder({
    out_order_no: 'pack_order_1',
    total_amount: 1200,
    subject: 'Oolong tea',
    body: '250 g',
    valid_time: 900,
  });
  const delivery = await sim.douyin.pay('pack_order_1');
  assert.equal(delivery.acknowledged, true);

  // The dashboard's files ship with @ttpay/simulator.
  assert.equal((await fetch(`${sim.url}/_sim/`)).status, 200);
} finally {
  await sim.close();
  server.close();
}
assert.deepEqual(Object.fromEntries(paid), { pack_fixture_1: 9900, pack_order_1: 1200 });
console.log(JSON.stringify({ acknowledged: [...paid.keys()] }));
