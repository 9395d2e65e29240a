// reconcilePayments against the simulator: a fair rotation over every open order (150 abandoned ones
// cannot hide a paid one), a bounded number of platform queries per run, the callback's own handler and
// key (a late callback is a duplicate), and orders past their payment window closed instead of asked
// about forever.
import { applyOnce, type EcpayPaymentEvent, type TradePaymentEvent, verifyEcpayCallback } from '@ttpay/core';
import { MemoryStore } from '@ttpay/koa';
import { demoCredentials, signedEcpayCallback } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenPayment, type PaymentFinding, reconcilePayments } from '../../src/index.js';
import { type SimulatorHarness, startHarness } from '../helpers/simulator.js';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const HOUR = 3_600_000;
let n = 0;
const outNo = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${String(++n).padStart(4, '0')}`;

/** The shop's side: open orders in one stable order, closed by the handler or `onExpired`. */
function shopOf(orders: OpenPayment[]) {
  const open = new Map(orders.map((o) => [o.outOrderNo, o]));
  const applied: (EcpayPaymentEvent | TradePaymentEvent)[] = [];
  const expired: string[] = [];
  return {
    open,
    applied,
    expired,
    async openPayments(after: string | undefined, limit: number): Promise<OpenPayment[]> {
      return [...open.values()]
        .sort((a, b) => (a.outOrderNo < b.outOrderNo ? -1 : 1))
        .filter((o) => after === undefined || o.outOrderNo > after)
        .slice(0, limit);
    },
    onPayment(event: EcpayPaymentEvent | TradePaymentEvent): void {
      applied.push(event);
      open.delete(event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no);
    },
    onExpired(order: OpenPayment): void {
      expired.push(order.outOrderNo);
      open.delete(order.outOrderNo);
    },
  };
}

async function createEcpayOrder(outOrderNo: string): Promise<OpenPayment> {
  await h.clients.ecpay.createOrder({
    out_order_no: outOrderNo,
    total_amount: 990,
    subject: 'Oolong tea',
    body: 'Oolong tea',
    valid_time: 900,
  });
  return { outOrderNo, system: 'ecpay', payBy: Date.now() + 900_000 };
}

const common = {
  appId: demoCredentials.douyin.appId,
  leaseMs: 60_000,
  doneTtlMs: 24 * HOUR,
};

describe('reconcilePayments', () => {
  it('finds a paid order behind 150 abandoned ones within ⌈151 / 20⌉ runs, asking at most 20 a run', async () => {
    const abandoned = await Promise.all(
      Array.from({ length: 150 }, (_, i) => createEcpayOrder(outNo(`a${String(i).padStart(3, '0')}`))),
    );
    // Sorts after every abandoned one: a "the first 100" reconciler would never reach it.
    const paid = await createEcpayOrder(outNo('z_paid'));
    await h.sim.douyin.pay(paid.outOrderNo, { loseCallbacks: true });
    const shop = shopOf([...abandoned, paid]);
    const store = new MemoryStore();

    let cursor: string | undefined;
    const queriesPerRun: number[] = [];
    for (let run = 0; run < 8 && shop.open.has(paid.outOrderNo); run++) {
      const before = h.received('/api/apps/ecpay/v1/query_order');
      const result = await reconcilePayments({
        ...common,
        openPayments: shop.openPayments,
        onPayment: shop.onPayment,
        onExpired: shop.onExpired,
        cursor,
        maxQueries: 20,
        clients: { ecpay: h.clients.ecpay },
        store,
      });
      cursor = result.cursor;
      queriesPerRun.push(h.received('/api/apps/ecpay/v1/query_order') - before);
    }

    expect(shop.open.has(paid.outOrderNo)).toBe(false);
    expect(queriesPerRun.length).toBeLessThanOrEqual(Math.ceil(151 / 20));
    expect(Math.max(...queriesPerRun)).toBeLessThanOrEqual(20);
    expect(shop.applied).toHaveLength(1);
    expect(shop.applied[0]).toMatchObject({
      system: 'ecpay',
      reconciled: true,
      msg: { cp_orderno: paid.outOrderNo, status: 'SUCCESS', total_amount: 990 },
    });
    expect(shop.expired).toEqual([]); // abandoned, but still inside their payment window
  });

  it('keys a reconciled payment as its callback: the late callback is a duplicate, applied once in all', async () => {
    const order = await createEcpayOrder(outNo('late'));
    await h.sim.douyin.pay(order.outOrderNo, { loseCallbacks: true });
    const shop = shopOf([order]);
    const store = new MemoryStore();
    let handled = 0;
    const onPayment = (event: EcpayPaymentEvent | TradePaymentEvent) => {
      handled++;
      shop.onPayment(event);
    };
    const callback = verifyEcpayCallback(
      {
        rawBody: signedEcpayCallback({
          type: 'payment',
          msg: { cp_orderno: order.outOrderNo, status: 'SUCCESS' },
        }).body,
      },
      { token: demoCredentials.douyin.token },
    );

    // The callback and the run race for the same key; whichever claims it applies it.
    const [run, delivered] = await Promise.all([
      reconcilePayments({
        ...common,
        openPayments: shop.openPayments,
        onExpired: shop.onExpired,
        onPayment,
        maxQueries: 5,
        clients: { ecpay: h.clients.ecpay },
        store,
      }),
      applyOnce(store, callback.key, () => onPayment(callback as EcpayPaymentEvent), common),
    ]);
    const again = await applyOnce(
      store,
      callback.key,
      () => onPayment(callback as EcpayPaymentEvent),
      common,
    );

    expect(handled).toBe(1);
    expect(again).toBe('done');
    const finding = run.findings[0] as PaymentFinding;
    expect(
      (finding.outcome === 'applied') !== (delivered === 'applied'),
      `run: ${finding.outcome}, callback: ${delivered}`,
    ).toBe(true);
  });

  it('closes orders whose window passed: unknown to the platform or still waiting past the grace, and a trade TIMEOUT as its CANCEL', async () => {
    const waiting = await createEcpayOrder(outNo('waiting'));
    const neverCreated: OpenPayment = {
      outOrderNo: outNo('never'),
      system: 'ecpay',
      payBy: Date.now() + 900_000,
    };
    const tradeNo = outNo('trade');
    const data = h.clients.trade.requestOrderData({
      skuList: [{ skuId: 'sku_1', price: 500, quantity: 1, title: 'Tea set', imageList: [], type: 401 }],
      outOrderNo: tradeNo,
      totalAmount: 500,
      orderEntrySchema: { path: 'pages/order/detail', params: '{}' },
    });
    await fetch(`${h.sim.url}/requestOrder`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(data),
    });
    await h.sim.douyin.cancel(tradeNo, { url: `${h.receiver.url}/douyin/notify` });
    const trade: OpenPayment = { outOrderNo: tradeNo, system: 'trade', payBy: Date.now() + 900_000 };
    const shop = shopOf([waiting, neverCreated, trade]);
    const options = {
      ...common,
      openPayments: shop.openPayments,
      onPayment: shop.onPayment,
      onExpired: shop.onExpired,
      maxQueries: 10,
      clients: h.clients,
      store: new MemoryStore(),
    };

    // Inside the window: nothing is closed on a guess; the trade order's TIMEOUT is a CANCEL event.
    const first = await reconcilePayments(options);
    expect(Object.fromEntries(first.findings.map((f) => [f.outOrderNo, f.outcome]))).toEqual({
      [waiting.outOrderNo]: 'open',
      [neverCreated.outOrderNo]: 'open',
      [tradeNo]: 'applied',
    });
    expect(shop.applied.map((e) => [e.system, e.msg.status])).toEqual([['trade', 'CANCEL']]);

    // Two hours later (past payBy + the 1 h grace): closed, and no longer asked about.
    const later = await reconcilePayments({ ...options, now: () => Date.now() + 2 * HOUR });
    expect(later.findings.map((f) => f.outcome)).toEqual(['expired', 'expired']);
    expect(shop.expired.sort()).toEqual([neverCreated.outOrderNo, waiting.outOrderNo].sort());
    expect((await reconcilePayments(options)).findings).toEqual([]);
  });

  it('reports a failed query as a finding and asks the others; the rotation comes back to it', async () => {
    const orders = [await createEcpayOrder(outNo('f1')), await createEcpayOrder(outNo('f2'))];
    const shop = shopOf(orders);
    const run = await reconcilePayments({
      ...common,
      openPayments: shop.openPayments,
      onPayment: shop.onPayment,
      onExpired: shop.onExpired,
      maxQueries: 2,
      clients: {}, // no ecpay client configured: each order fails, none throws out of the run
      store: new MemoryStore(),
    });
    expect(run.findings.map((f) => f.outcome)).toEqual(['failed', 'failed']);
    expect(run.cursor).toBe(orders[1]?.outOrderNo);
  });

  it('refuses a run without a positive bound on queries', async () => {
    await expect(
      reconcilePayments({
        ...common,
        ...shopOf([]),
        maxQueries: 0,
        clients: {},
        store: new MemoryStore(),
      }),
    ).rejects.toThrow(RangeError);
  });
});
