import { demoCredentials } from '@ttpay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { DOUYIN_ACK, ecpayCall, postJson, type Receiver, startReceiver } from './simulator-test-helpers.js';

let sim: Simulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

async function setUp(reply = () => DOUYIN_ACK, timeScale = 0.0001) {
  receiver = await startReceiver(reply);
  sim = await startSimulator({
    timeScale,
    douyin: { notifyUrl: receiver.url },
    tiktok: { webhookUrl: receiver.url },
  });
  return { sim, receiver };
}

const createOrder = (s: Simulator, out_order_no = 'order_6001') =>
  ecpayCall(s, 'create_order', {
    out_order_no,
    total_amount: 100,
    subject: 'Tea',
    body: 'Demo',
    valid_time: 900,
  });

describe('the /_sim/ control routes do over HTTP what the Simulator methods do', () => {
  it('POST /_sim/douyin/pay answers the DeliveryResult; unknown → 404, already paid → 409', async () => {
    const { sim, receiver } = await setUp();
    await createOrder(sim);
    const paid = await postJson(`${sim.url}/_sim/douyin/pay`, { out_order_no: 'order_6001', duplicates: 1 });
    expect(paid).toMatchObject({ status: 200, json: { url: receiver.url, attempts: 2, acknowledged: true } });
    expect(receiver.requests).toHaveLength(2);

    expect(await postJson(`${sim.url}/_sim/douyin/pay`, { out_order_no: 'order_6001' })).toMatchObject({
      status: 409,
      json: { error: 'INVALID_STATE' },
    });
    expect(await postJson(`${sim.url}/_sim/douyin/pay`, { out_order_no: 'nope' })).toMatchObject({
      status: 404,
      json: { error: 'UNKNOWN_ORDER' },
    });
    expect((await postJson(`${sim.url}/_sim/douyin/pay`, {})).status).toBe(400);
  });

  it('POST /_sim/tiktok/orders and /_sim/tiktok/webhook', async () => {
    const { sim, receiver } = await setUp(() => ({ status: 200 }));
    const added = await postJson(`${sim.url}/_sim/tiktok/orders`, { total_amount: '9.99', currency: 'EUR' });
    const id = added.json.id as string;
    expect(sim.tiktok.order(id)).toMatchObject({ payment: { total_amount: '9.99', currency: 'EUR' } });
    const sent = await postJson(`${sim.url}/_sim/tiktok/webhook`, {
      type: 1,
      data: { order_id: id, order_status: 'AWAITING_SHIPMENT' },
    });
    expect(sent.json).toMatchObject({ acknowledged: true, attempts: 1 });
    expect(JSON.parse(receiver.requests[0]!.body.toString())).toMatchObject({
      type: 1,
      data: { order_id: id },
    });
  });

  it('GET /_sim/log lists requests in and deliveries out, with platform codes, and never a query string', async () => {
    const { sim } = await setUp();
    await createOrder(sim);
    await ecpayCall(sim, 'query_order', { out_order_no: 'nope' });
    await sim.douyin.pay('order_6001');
    const { tiktok } = demoCredentials;
    await fetch(
      `${sim.url}/api/v2/token/get?app_key=${tiktok.appKey}&app_secret=${tiktok.appSecret}&auth_code=c&grant_type=authorized_code`,
    );

    const log = (await (await fetch(`${sim.url}/_sim/log`)).json()) as Simulator['log'];
    expect(log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          direction: 'in',
          platform: 'douyin',
          path: '/api/apps/ecpay/v1/create_order',
          status: 200,
          code: 0,
        }),
        expect.objectContaining({
          direction: 'in',
          platform: 'douyin',
          path: '/api/apps/ecpay/v1/query_order',
          // ecpay's "not found" (docs/PROTOCOLS.md §5.3).
          code: 2000,
        }),
        expect.objectContaining({
          direction: 'out',
          platform: 'douyin',
          method: 'POST',
          path: '/notify',
          status: 200,
        }),
        expect.objectContaining({ direction: 'in', platform: 'tiktok', path: '/api/v2/token/get', code: 0 }),
      ]),
    );
    const text = JSON.stringify(log);
    expect(text).not.toContain(tiktok.appSecret);
    expect(text).not.toContain('?');
    expect(sim.log.length).toBe(log.length + 1); // + the GET /_sim/log itself, logged after it answered
  });

  it('close() ends deliveries still retrying: they resolve unacknowledged and the port is freed', async () => {
    const { sim } = await setUp(() => ({ status: 500 }), 1);
    await createOrder(sim);
    const pending = sim.douyin.pay('order_6001'); // next retry in 15 s at timeScale 1
    await new Promise((r) => setTimeout(r, 100));
    await sim.close();
    await expect(pending).resolves.toMatchObject({ acknowledged: false, attempts: 1 });
    await expect(fetch(`${sim.url}/_sim/log`)).rejects.toThrow();
    await expect(sim.douyin.pay('order_6001')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
