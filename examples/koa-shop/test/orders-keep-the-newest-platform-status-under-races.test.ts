// Two TikTok notifications about one order can arrive at the same moment, on two connections (or two
// instances). The order must end as the NEWER one says (TikTok's own update_time), whichever commits
// last — also when neither had written the order yet, where there is no row to lock. Fired many times
// on a real PostgreSQL, where the two handlers' transactions really run at once.
import { startSimulator } from '@ttpay/simulator';
import { signedTikTokWebhook } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, type RunningShop, startShop } from './helpers.js';

const TRIALS = 60;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let shop: RunningShop;

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.0001 });
  shop = await startShop(sim);
});
afterAll(async () => {
  await shop?.close();
  await sim?.close();
});

let n = 0;
const newOrderId = () => `77${Date.now()}${String(++n).padStart(4, '0')}`;
const notification = (orderId: string, order_status: string, update_time: number) =>
  signedTikTokWebhook({
    type: 1,
    data: { order_id: orderId, order_status, update_time, is_on_hold_order: false },
  });

/** Both at once, in a random order of sending; both must be acknowledged. */
async function race(...deliveries: ReturnType<typeof notification>[]): Promise<void> {
  const shuffled = Math.random() < 0.5 ? deliveries : [...deliveries].reverse();
  const replies = await Promise.all(shuffled.map((d) => deliver(`${shop.url}/tiktok/webhook`, d)));
  expect(replies.map((r) => r.status)).toEqual(deliveries.map(() => 200));
}

describe(`${TRIALS} trials each, on PostgreSQL`, () => {
  it('two notifications for a NEW order at once: the newer update_time wins, never the later commit', async () => {
    const lost: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const orderId = newOrderId();
      await race(
        notification(orderId, 'UNPAID', 1_700_000_000),
        notification(orderId, 'ON_HOLD', 1_700_000_001),
      );
      const order = await shop.shop.orders.get(`tiktok-${orderId}`);
      if (order?.platformStatus !== 'ON_HOLD' || order.platformStatusTime !== 1_700_000_001)
        lost.push(orderId);
    }
    expect(lost, `the older status overwrote the newer in ${lost.length} of ${TRIALS} trials`).toEqual([]);
  });

  it('a cancellation racing a status change on a new order: the order ends cancelled', async () => {
    const lost: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const orderId = newOrderId();
      await race(
        notification(orderId, 'UNPAID', 1_700_000_000),
        notification(orderId, 'CANCEL', 1_700_000_005),
      );
      const order = await shop.shop.orders.get(`tiktok-${orderId}`);
      if (order?.status !== 'cancelled' || order.platformStatus !== 'CANCEL') lost.push(orderId);
    }
    expect(lost, `the cancellation was lost in ${lost.length} of ${TRIALS} trials`).toEqual([]);
  });

  it('on an order that exists: an older notification arriving with a newer one changes nothing', async () => {
    const lost: string[] = [];
    for (let trial = 0; trial < TRIALS / 2; trial++) {
      const orderId = newOrderId();
      await race(notification(orderId, 'UNPAID', 1_700_000_000));
      await race(
        notification(orderId, 'ON_HOLD', 1_700_000_001),
        notification(orderId, 'CANCEL', 1_700_000_002),
      );
      const order = await shop.shop.orders.get(`tiktok-${orderId}`);
      if (order?.status !== 'cancelled' || order.platformStatusTime !== 1_700_000_002) lost.push(orderId);
    }
    expect(lost).toEqual([]);
  });
});
