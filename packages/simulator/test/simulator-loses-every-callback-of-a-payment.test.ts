// What a reconciliation job exists for: the buyer paid, but not one callback reached the app.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { ecpayCall, type Receiver, startReceiver } from './simulator-test-helpers.js';

let sim: Simulator;
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
  sim = await startSimulator({ timeScale: 0.0001 });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

it('pay with loseCallbacks: the order is paid on the platform, the app receives nothing', async () => {
  await ecpayCall(sim, 'create_order', {
    out_order_no: 'order_lost',
    total_amount: 9900,
    subject: 'Tea',
    body: 'A demo order',
    valid_time: 900,
    notify_url: receiver.url,
  });
  const result = await sim.douyin.pay('order_lost', { loseCallbacks: true });
  expect(result).toEqual({ url: receiver.url, attempts: 0, acknowledged: false, responses: [] });
  expect(receiver.requests).toHaveLength(0);
  const queried = await ecpayCall(sim, 'query_order', { out_order_no: 'order_lost' });
  expect(queried.json).toMatchObject({
    err_no: 0,
    payment_info: { total_fee: 9900, order_status: 'SUCCESS' },
  });
  // Paid once: a second pay is refused, as the platform would never take the money twice.
  await expect(sim.douyin.pay('order_lost')).rejects.toMatchObject({ code: 'INVALID_STATE' });
});

it('the control route takes lose_callbacks too', async () => {
  await ecpayCall(sim, 'create_order', {
    out_order_no: 'order_lost_2',
    total_amount: 100,
    subject: 'Tea',
    body: 'A demo order',
    valid_time: 900,
    notify_url: receiver.url,
  });
  const res = await fetch(`${sim.url}/_sim/douyin/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ out_order_no: 'order_lost_2', lose_callbacks: true }),
  });
  expect(await res.json()).toMatchObject({ attempts: 0, acknowledged: false });
  expect(receiver.requests).toHaveLength(0);
});
