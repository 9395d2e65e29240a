// reconcileDouyin against the simulator: refunds and settlements whose every callback was lost are found
// in one run beside the payments (one shared, bounded budget), through the callback's own handler and
// key — a reconciled event is the callback's event, and a late callback racing the run is applied once.
import {
  applyOnce,
  type EcpayRefundEvent,
  type EcpaySettleEvent,
  type TradeRefundEvent,
  type TradeSettleEvent,
  type TtpayEvent,
  verifyEcpayCallback,
  verifyTradeCallback,
} from '@ttpay/core';
import { MemoryStore } from '@ttpay/koa';
import { demoCredentials, signedEcpayCallback } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OpenPayment,
  type OpenRefund,
  type OpenSettlement,
  type ReconcileDouyinOptions,
  reconcileDouyin,
} from '../../src/index.js';
import { type CaptureServer, json, startCaptureServer } from '../helpers/capture-server.js';
import { type SimulatorHarness, startHarness } from '../helpers/simulator.js';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const HOUR = 3_600_000;
const { douyin } = demoCredentials;
let n = 0;
const outNo = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${String(++n).padStart(4, '0')}`;

const common = { appId: douyin.appId, leaseMs: 60_000, doneTtlMs: 74 * HOUR };

/** A paid ecpay order: its number and the platform's order_id. */
async function paidEcpayOrder(amount = 9900): Promise<{ outOrderNo: string; orderId: string }> {
  const outOrderNo = outNo('eo');
  const { order_id } = await h.clients.ecpay.createOrder({
    out_order_no: outOrderNo,
    total_amount: amount,
    subject: 'Oolong tea',
    body: 'Oolong tea',
    valid_time: 900,
  });
  await h.sim.douyin.pay(outOrderNo);
  return { outOrderNo, orderId: order_id };
}

/** A paid trade order, as tt.requestOrder and the buyer make it: its number, order_id and item. */
async function paidTradeOrder(
  amount = 4900,
): Promise<{ outOrderNo: string; orderId: string; itemOrderId: string }> {
  const outOrderNo = outNo('to');
  const data = h.clients.trade.requestOrderData({
    skuList: [{ skuId: 'sku_1', price: amount, quantity: 1, title: 'Tea set', imageList: [], type: 401 }],
    outOrderNo,
    totalAmount: amount,
    orderEntrySchema: { path: 'pages/order/detail', params: '{}' },
  });
  await fetch(`${h.sim.url}/requestOrder`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  });
  await h.sim.douyin.pay(outOrderNo);
  const order = await h.clients.trade.orderQuery({ out_order_no: outOrderNo });
  return { outOrderNo, orderId: order.order_id, itemOrderId: order.item_order_list[0]?.item_order_id ?? '' };
}

async function tradeRefund(order: { orderId: string; itemOrderId: string }, amount: number): Promise<string> {
  const out_refund_no = outNo('tr');
  await h.clients.trade.refundCreate({
    order_id: order.orderId,
    out_refund_no,
    refund_total_amount: amount,
    refund_reason: [{ code: 101, text: 'changed my mind' }],
    order_entry_schema: { path: 'pages/order/detail', params: '{}' },
    item_order_detail: [{ item_order_id: order.itemOrderId, refund_amount: amount }],
  });
  return out_refund_no;
}

/** Items in one stable order after `after`, as a shop's `ORDER BY … LIMIT` gives them. */
function rotation<T>(items: readonly T[], keyOf: (item: T) => string) {
  return async (after: string | undefined, limit: number): Promise<T[]> =>
    [...items]
      .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1))
      .filter((item) => after === undefined || keyOf(item) > after)
      .slice(0, limit);
}

/** The shop's handlers: every event they were given, in order. */
function handlers() {
  const applied: TtpayEvent[] = [];
  const record = (event: TtpayEvent) => void applied.push(event);
  return {
    applied,
    onPayment: record,
    onExpired: () => {},
    onRefund: record,
    onSettle: record,
  };
}

const queries = () =>
  [
    '/api/apps/ecpay/v1/query_order',
    '/api/apps/ecpay/v1/query_refund',
    '/api/apps/ecpay/v1/query_settle',
    '/api/trade_basic/v1/developer/order_query/',
    '/api/trade_basic/v1/developer/refund_query/',
    '/api/trade_basic/v1/developer/settle_query/',
  ].reduce((sum, path) => sum + h.received(path), 0);

describe('reconcileDouyin: refunds and settlements', () => {
  it('finds a lost refund callback and a lost settlement callback in one run, beside 150 abandoned orders, within maxQueries', async () => {
    const abandoned: OpenPayment[] = [];
    for (let i = 0; i < 150; i++) {
      const outOrderNo = outNo(`a${String(i).padStart(3, '0')}`);
      await h.clients.ecpay.createOrder({
        out_order_no: outOrderNo,
        total_amount: 100,
        subject: 'Abandoned',
        body: 'Abandoned',
        valid_time: 900,
      });
      abandoned.push({ outOrderNo, system: 'ecpay', payBy: Date.now() + 900_000 });
    }
    const ecpayOrder = await paidEcpayOrder(9900);
    const outRefundNo = outNo('er');
    await h.clients.ecpay.createRefund({
      out_order_no: ecpayOrder.outOrderNo,
      out_refund_no: outRefundNo,
      reason: 'changed my mind',
      refund_amount: 2000,
    });
    const lostRefund = await h.sim.douyin.completeRefund(outRefundNo, { loseCallbacks: true });
    const tradeOrder = await paidTradeOrder(4900);
    const outSettleNo = outNo('ts');
    await h.clients.trade.settleCreate({
      out_order_no: tradeOrder.outOrderNo,
      out_settle_no: outSettleNo,
      settle_desc: 'delivered',
    });
    const lostSettlement = await h.sim.douyin.completeSettle(outSettleNo, { loseCallbacks: true });
    expect([lostRefund.attempts, lostSettlement.attempts]).toEqual([0, 0]);

    const shop = handlers();
    const before = queries();
    const run = await reconcileDouyin({
      ...common,
      payments: { open: rotation(abandoned, (o) => o.outOrderNo), ...shop },
      refunds: {
        open: rotation<OpenRefund>(
          [{ outRefundNo, system: 'ecpay', orderId: ecpayOrder.orderId }],
          (r) => r.outRefundNo,
        ),
        onRefund: shop.onRefund,
      },
      settlements: {
        open: rotation<OpenSettlement>([{ outSettleNo, system: 'trade' }], (s) => s.outSettleNo),
        onSettle: shop.onSettle,
      },
      maxQueries: 12,
      clients: h.clients,
      store: new MemoryStore(),
    });

    expect(run.refunds).toEqual([{ outRefundNo, outcome: 'applied', status: 'SUCCESS' }]);
    expect(run.settlements).toEqual([{ outSettleNo, outcome: 'applied', status: 'SUCCESS' }]);
    // One budget: what refunds and settlements left unused went to the payments' rotation.
    expect(run.payments.map((f) => f.outcome)).toEqual(Array(10).fill('open'));
    expect(queries() - before).toBe(12);
    expect(run.cursor).toEqual({
      payments: abandoned[9]?.outOrderNo,
      refunds: outRefundNo,
      settlements: outSettleNo,
    });
    expect(shop.applied).toHaveLength(2);
    expect(shop.applied[0]).toMatchObject({
      system: 'trade',
      type: 'settle',
      key: `douyin:trade:settle:${outSettleNo}`,
      reconciled: true,
      msg: { out_settle_no: outSettleNo, status: 'SUCCESS', order_id: tradeOrder.orderId },
    });
    expect(shop.applied[1]).toMatchObject({
      system: 'ecpay',
      type: 'refund',
      key: `douyin:ecpay:refund:${outRefundNo}`,
      reconciled: true,
      msg: { cp_refundno: outRefundNo, status: 'SUCCESS', refund_amount: 2000, order_id: ecpayOrder.orderId },
    });
  });

  it('a reconciled refund or settlement is the event its callback carries: same type and key, every field it has equal', async () => {
    const ecpayOrder = await paidEcpayOrder(5000);
    const tradeOrder = await paidTradeOrder(6000);
    const ecpayRefundNo = outNo('er');
    await h.clients.ecpay.createRefund({
      out_order_no: ecpayOrder.outOrderNo,
      out_refund_no: ecpayRefundNo,
      reason: 'x',
      refund_amount: 1000,
      cp_extra: 'refund-extra',
    });
    const ecpaySettleNo = outNo('es');
    await h.clients.ecpay.settle({
      out_order_no: ecpayOrder.outOrderNo,
      out_settle_no: ecpaySettleNo,
      settle_desc: 'delivered',
    });
    const tradeRefundNo = await tradeRefund(tradeOrder, 1500);
    const tradeSettleNo = outNo('ts');
    await h.clients.trade.settleCreate({
      out_order_no: tradeOrder.outOrderNo,
      out_settle_no: tradeSettleNo,
      settle_desc: 'delivered',
      ext: 'settle-extra',
    });

    // The real callbacks, delivered to the harness' receiver and verified as the endpoint would.
    const real = async (deliver: () => Promise<unknown>) => {
      await deliver();
      const last = h.receiver.requests.at(-1);
      if (!last) throw new Error('no callback received');
      const request = { rawBody: last.body, headers: last.headers as Record<string, string> };
      return JSON.parse(last.body).version
        ? verifyTradeCallback(request, { publicKey: douyin.platformPublicKey })
        : verifyEcpayCallback(request, { token: douyin.token });
    };
    const callbacks = [
      await real(() => h.sim.douyin.completeRefund(ecpayRefundNo)),
      await real(() => h.sim.douyin.completeSettle(ecpaySettleNo)),
      await real(() => h.sim.douyin.completeRefund(tradeRefundNo)),
      await real(() => h.sim.douyin.completeSettle(tradeSettleNo)),
    ];

    const shop = handlers();
    await reconcileDouyin({
      ...common,
      refunds: {
        open: rotation<OpenRefund>(
          [
            { outRefundNo: ecpayRefundNo, system: 'ecpay', orderId: ecpayOrder.orderId },
            { outRefundNo: tradeRefundNo, system: 'trade' },
          ],
          (r) => r.outRefundNo,
        ),
        onRefund: shop.onRefund,
      },
      settlements: {
        open: rotation<OpenSettlement>(
          [
            {
              outSettleNo: ecpaySettleNo,
              system: 'ecpay',
              orderId: ecpayOrder.orderId,
              outOrderNo: ecpayOrder.outOrderNo,
            },
            { outSettleNo: tradeSettleNo, system: 'trade' },
          ],
          (s) => s.outSettleNo,
        ),
        onSettle: shop.onSettle,
      },
      maxQueries: 4,
      clients: h.clients,
      store: new MemoryStore(),
    });

    expect(shop.applied).toHaveLength(4);
    for (const callback of callbacks) {
      const reconciled = shop.applied.find((e) => e.key === callback.key) as
        | EcpayRefundEvent
        | EcpaySettleEvent
        | TradeRefundEvent
        | TradeSettleEvent
        | undefined;
      expect(reconciled, callback.key).toBeDefined();
      expect(reconciled).toMatchObject({ platform: 'douyin', system: callback.system, type: callback.type });
      // Each field the query answers is the callback's value; the rest (is_all_settled, …) it leaves out.
      const realMsg = callback.msg as Record<string, unknown>;
      for (const [field, value] of Object.entries(reconciled?.msg ?? {})) {
        expect([callback.key, field, realMsg[field]]).toEqual([callback.key, field, value]);
      }
      expect(Object.keys(reconciled?.msg ?? {}).length).toBeGreaterThanOrEqual(6);
    }
  });

  it('a late refund callback and a late settlement callback racing the run are each applied once', async () => {
    const order = await paidEcpayOrder(3000);
    const outRefundNo = outNo('er');
    await h.clients.ecpay.createRefund({
      out_order_no: order.outOrderNo,
      out_refund_no: outRefundNo,
      reason: 'x',
      refund_amount: 1000,
    });
    await h.sim.douyin.completeRefund(outRefundNo, { loseCallbacks: true });
    const outSettleNo = outNo('es');
    await h.clients.ecpay.settle({
      out_order_no: order.outOrderNo,
      out_settle_no: outSettleNo,
      settle_desc: 'x',
    });
    await h.sim.douyin.completeSettle(outSettleNo, { loseCallbacks: true });

    const store = new MemoryStore();
    const handled: string[] = [];
    const onEvent = (event: TtpayEvent) => void handled.push(event.key);
    const verified = (type: 'refund' | 'settle', msg: Record<string, unknown>) =>
      verifyEcpayCallback({ rawBody: signedEcpayCallback({ type, msg }).body }, { token: douyin.token });
    const refundCallback = verified('refund', {
      cp_refundno: outRefundNo,
      status: 'SUCCESS',
      refund_amount: 1000,
    });
    const settleCallback = verified('settle', { cp_settle_no: outSettleNo, status: 'SUCCESS' });

    const [run, refundDelivered, settleDelivered] = await Promise.all([
      reconcileDouyin({
        ...common,
        refunds: {
          open: rotation<OpenRefund>([{ outRefundNo, system: 'ecpay' }], (r) => r.outRefundNo),
          onRefund: onEvent,
        },
        settlements: {
          open: rotation<OpenSettlement>([{ outSettleNo, system: 'ecpay' }], (s) => s.outSettleNo),
          onSettle: onEvent,
        },
        maxQueries: 2,
        clients: h.clients,
        store,
      }),
      applyOnce(store, refundCallback.key, () => onEvent(refundCallback), common),
      applyOnce(store, settleCallback.key, () => onEvent(settleCallback), common),
    ]);
    const again = await applyOnce(store, refundCallback.key, () => onEvent(refundCallback), common);

    expect(handled.sort()).toEqual([refundCallback.key, settleCallback.key].sort());
    expect(again).toBe('done');
    const [refund] = run.refunds;
    const [settlement] = run.settlements;
    // Whichever claimed the key applied it; the other saw it applied (or being applied).
    expect((refund?.outcome === 'applied') !== (refundDelivered === 'applied')).toBe(true);
    expect((settlement?.outcome === 'applied') !== (settleDelivered === 'applied')).toBe(true);
  });

  it('a denied refund is applied as its FAIL; one still in progress stays open; numbers the platform has not are not-found', async () => {
    // The app's callback endpoint answers the refund application with its number, everything else with the ack.
    const app: CaptureServer = await startCaptureServer((req, res) => {
      const body = JSON.parse(req.body) as { type?: string };
      const data = body.type === 'pre_create_refund' ? { out_refund_no: userRefundNo } : undefined;
      json(200, { err_no: 0, err_tips: 'success', ...(data ? { data } : {}) })(req, res);
    });
    const userRefundNo = outNo('ur');
    try {
      const order = await paidTradeOrder(8000);
      const done = h.sim.douyin.userRefund(order.outOrderNo, { amount: 8000, url: app.url });
      const { refund_id } = await refundApplied(userRefundNo);
      await h.clients.trade.refundAuditCallback({
        refund_id,
        refund_audit_status: 2,
        deny_message: 'the tea was opened',
      });
      await expect(done).resolves.toMatchObject({ audit: 'DENY', out_refund_no: userRefundNo });
      const processing = await tradeRefund(await paidTradeOrder(1000), 500);

      const shop = handlers();
      const run = await reconcileDouyin({
        ...common,
        refunds: {
          open: rotation<OpenRefund>(
            [
              { outRefundNo: userRefundNo, system: 'trade' },
              { outRefundNo: processing, system: 'trade' },
              { outRefundNo: outNo('nope_t'), system: 'trade' },
              { outRefundNo: outNo('nope_e'), system: 'ecpay' },
            ],
            (r) => r.outRefundNo,
          ),
          onRefund: shop.onRefund,
        },
        settlements: {
          open: rotation<OpenSettlement>(
            [
              { outSettleNo: outNo('nope_ts'), system: 'trade' },
              { outSettleNo: outNo('nope_es'), system: 'ecpay' },
            ],
            (s) => s.outSettleNo,
          ),
          onSettle: shop.onSettle,
        },
        maxQueries: 6,
        clients: h.clients,
        store: new MemoryStore(),
      });

      const outcomes = Object.fromEntries(run.refunds.map((f) => [f.outRefundNo, f.outcome]));
      expect(outcomes[userRefundNo]).toBe('applied');
      expect(outcomes[processing]).toBe('open');
      expect(
        run.refunds.filter((f) => f.outcome === 'not-found').map((f) => f.outRefundNo.slice(0, 6)),
      ).toEqual(['nope_e', 'nope_t']);
      expect(run.settlements.map((f) => f.outcome)).toEqual(['not-found', 'not-found']);
      expect(shop.applied).toEqual([
        expect.objectContaining({
          key: `douyin:trade:refund:${userRefundNo}`,
          msg: expect.objectContaining({ status: 'FAIL', refund_id, message: 'the tea was opened' }),
        }),
      ]);
    } finally {
      await app.close();
    }
  });

  it('shares one budget: each kind its share of every run, what one leaves unused to the next', async () => {
    // Clients that answer "still in progress" to everything: each item costs exactly one query.
    const asked: string[] = [];
    const clients: ReconcileDouyinOptions['clients'] = {
      ecpay: {
        queryOrder: async ({ out_order_no }) => {
          asked.push(out_order_no);
          return { payment_info: { total_fee: 1, order_status: 'PROCESSING' } };
        },
        queryRefund: async ({ out_refund_no }) => {
          asked.push(out_refund_no);
          return { refundInfo: { refund_no: 'r', refund_amount: 1, refund_status: 'PROCESSING' } };
        },
      },
    };
    const payments = Array.from({ length: 30 }, (_, i) => ({
      outOrderNo: `p${String(i).padStart(2, '0')}`,
      system: 'ecpay' as const,
      payBy: Date.now() + HOUR,
    }));
    const refundsOf = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        outRefundNo: `r${String(i).padStart(2, '0')}`,
        system: 'ecpay' as const,
      }));
    const run = (refunds: OpenRefund[], cursor?: ReconcileDouyinOptions['cursor']) =>
      reconcileDouyin({
        ...common,
        payments: { open: rotation(payments, (o) => o.outOrderNo), onPayment: () => {}, onExpired: () => {} },
        refunds: { open: rotation(refunds, (r) => r.outRefundNo), onRefund: () => {} },
        settlements: { open: async () => [], onSettle: () => {} },
        maxQueries: 10,
        clients,
        store: new MemoryStore(),
        cursor,
      });

    // 30 refunds open: refunds and payments split the 10 (no settlement is open).
    const first = await run(refundsOf(30));
    expect([first.settlements.length, first.refunds.length, first.payments.length]).toEqual([0, 5, 5]);
    const second = await run(refundsOf(30), first.cursor);
    expect(second.refunds.map((f) => f.outRefundNo)).toEqual(['r05', 'r06', 'r07', 'r08', 'r09']);
    expect(second.payments.map((f) => f.outOrderNo)).toEqual(['p05', 'p06', 'p07', 'p08', 'p09']);
    // Two refunds open: payments get the rest.
    const third = await run(refundsOf(2));
    expect([third.refunds.length, third.payments.length]).toEqual([2, 8]);
    expect(asked).toHaveLength(30);

    // At least one query per kind given.
    await expect(
      reconcileDouyin({
        ...common,
        payments: { open: async () => [], onPayment: () => {}, onExpired: () => {} },
        refunds: { open: async () => [], onRefund: () => {} },
        settlements: { open: async () => [], onSettle: () => {} },
        maxQueries: 2,
        clients,
        store: new MemoryStore(),
      }),
    ).rejects.toThrow(RangeError);
  });
});

/** Waits until the platform holds the user's refund under the app's answered number. */
async function refundApplied(outRefundNo: string): Promise<{ refund_id: string }> {
  for (let i = 0; i < 400; i++) {
    const { refund_list } = await h.clients.trade.refundQuery({ out_refund_no: outRefundNo });
    const found = refund_list[0];
    if (found) return { refund_id: found.refund_id };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`refund ${outRefundNo} was never answered`);
}
