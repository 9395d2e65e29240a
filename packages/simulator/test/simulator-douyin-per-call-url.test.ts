import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { ecpayCall, postJson, type Receiver, startReceiver } from './simulator-test-helpers.js';

let sim: Simulator | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await sim?.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

describe('Douyin controls deliver to a per-call url (an app that got its port after the simulator)', () => {
  it('pay, completeRefund and completeSettle take { url } over douyin.notifyUrl', async () => {
    const configured = await receiver();
    const perCall = await receiver();
    sim = await startSimulator({ timeScale: 0.0001, douyin: { notifyUrl: configured.url } });
    const order = { total_amount: 100, subject: 'Tea', body: 'Demo', valid_time: 900 };
    await ecpayCall(sim, 'create_order', { out_order_no: 'url_1', ...order });

    const paid = await sim.douyin.pay('url_1', { url: perCall.url });
    expect(paid).toMatchObject({ url: perCall.url, acknowledged: true });

    await ecpayCall(sim, 'create_refund', {
      out_order_no: 'url_1',
      out_refund_no: 'url_r1',
      reason: 'test',
      refund_amount: 50,
    });
    expect(await sim.douyin.completeRefund('url_r1', { url: perCall.url })).toMatchObject({
      url: perCall.url,
      acknowledged: true,
    });
    await ecpayCall(sim, 'settle', { out_order_no: 'url_1', out_settle_no: 'url_s1', settle_desc: 'd' });
    expect(await sim.douyin.completeSettle('url_s1', { url: perCall.url })).toMatchObject({
      url: perCall.url,
      acknowledged: true,
    });

    expect(perCall.requests).toHaveLength(3);
    expect(configured.requests).toHaveLength(0);
  });

  it('the control route takes "url" too, and without one the configured URL still applies', async () => {
    const configured = await receiver();
    const perCall = await receiver();
    sim = await startSimulator({ timeScale: 0.0001, douyin: { notifyUrl: configured.url } });
    const order = { total_amount: 100, subject: 'Tea', body: 'Demo', valid_time: 900 };
    await ecpayCall(sim, 'create_order', { out_order_no: 'url_2', ...order });
    await ecpayCall(sim, 'create_order', { out_order_no: 'url_3', ...order });

    const viaRoute = await postJson(`${sim.url}/_sim/douyin/pay`, {
      out_order_no: 'url_2',
      url: perCall.url,
    });
    expect(viaRoute).toMatchObject({ status: 200, json: { url: perCall.url, acknowledged: true } });
    expect(await sim.douyin.pay('url_3')).toMatchObject({ url: configured.url, acknowledged: true });
    expect(perCall.requests).toHaveLength(1);
    expect(configured.requests).toHaveLength(1);
  });
});
