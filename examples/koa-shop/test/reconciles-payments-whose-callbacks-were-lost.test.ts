// Reconciliation: a payment whose every callback was lost is found by asking Douyin, applied through the
// callback's own handler and idempotency key; a callback arriving afterwards is a duplicate.
import { signedEcpayCallback } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, getJson, postJson, type Running, startShopWithSimulator, until } from './helpers.js';

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';

describe('shop.reconcile(): one pass', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startShopWithSimulator();
  });
  afterAll(async () => {
    await run?.close();
  });

  const eventsFor = async (ref: string) =>
    (await getJson<{ ref: string; key: string }[]>(`${run.url}/events`)).json.filter((e) => e.ref === ref);

  it('ecpay: a payment with no callback at all is applied once, and the late callback is a duplicate', async () => {
    const created = await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 4500 });
    const outOrderNo = created.json.outOrderNo as string;
    await run.sim.douyin.pay(outOrderNo, { url: `${run.url}/douyin/notify`, loseCallbacks: true });
    expect((await getJson(`${run.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'created' });

    await run.shop.reconcile({ afterMs: 60_000 }); // too young to be asked about yet
    expect((await getJson(`${run.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'created' });

    await run.shop.reconcile({ afterMs: 0 });
    expect((await getJson(`${run.url}/orders/${outOrderNo}`)).json).toMatchObject({
      status: 'paid',
      amount: 4500,
    });
    const events = await eventsFor(outOrderNo);
    expect(events.map((e) => e.key)).toEqual([`douyin:ecpay:payment:${outOrderNo}:SUCCESS`]);

    await run.shop.reconcile({ afterMs: 0 }); // nothing left to do: the order is paid
    const late = signedEcpayCallback({
      type: 'payment',
      msg: { cp_orderno: outOrderNo, total_amount: 4500 },
    });
    expect(await deliver(`${run.url}/douyin/notify`, late)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect(await eventsFor(outOrderNo)).toHaveLength(1);
  });

  it('a late callback racing reconciliation: applied once, whichever claims the key first', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const created = await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 1500 });
      const outOrderNo = created.json.outOrderNo as string;
      await run.sim.douyin.pay(outOrderNo, { url: `${run.url}/douyin/notify`, loseCallbacks: true });
      const late = signedEcpayCallback({
        type: 'payment',
        msg: { cp_orderno: outOrderNo, total_amount: 1500 },
      });
      const [reply] = await Promise.all([
        deliver(`${run.url}/douyin/notify`, late),
        run.shop.reconcile({ afterMs: 0 }),
      ]);
      // In flight (503) while reconciliation holds the key is fine: the platform redelivers.
      if (reply.status !== 200)
        expect(await deliver(`${run.url}/douyin/notify`, late)).toEqual({ status: 200, text: DOUYIN_ACK });
      expect((await getJson(`${run.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'paid' });
      expect(await eventsFor(outOrderNo)).toHaveLength(1);
    }
  });

  it('ecpay: after the callback, reconciliation finds the key done and applies nothing', async () => {
    const created = await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 700 });
    const outOrderNo = created.json.outOrderNo as string;
    // Paid and acknowledged, but a stale read of "unpaid" (say) sends it to reconciliation anyway.
    const paid = await run.sim.douyin.pay(outOrderNo, { url: `${run.url}/douyin/notify` });
    expect(paid.acknowledged).toBe(true);
    await run.shop.database.sql.query(`UPDATE orders SET status = 'created' WHERE out_order_no = $1`, [
      outOrderNo,
    ]);
    await run.shop.reconcile({ afterMs: 0 });
    expect((await getJson(`${run.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'created' });
    expect(await eventsFor(outOrderNo)).toHaveLength(1); // the callback's; reconciliation's claim found it done
  });

  it('trade system: order_query SUCCESS is applied with the trade callback’s key', async () => {
    const created = await postJson(`${run.url}/orders`, {
      subject: 'Jasmine',
      amount: 4900,
      system: 'trade',
    });
    const outOrderNo = created.json.outOrderNo as string;
    const request = await postJson(`${run.sim.url}/requestOrder`, created.json.requestOrderData);
    expect(request.json.err_no).toBe(0);
    await run.sim.douyin.pay(outOrderNo, { url: `${run.url}/douyin/notify`, loseCallbacks: true });
    await run.shop.reconcile({ afterMs: 0 });
    expect((await getJson(`${run.url}/orders/${outOrderNo}`)).json).toMatchObject({ status: 'paid' });
    expect((await eventsFor(outOrderNo)).map((e) => e.key)).toEqual([
      `douyin:trade:payment:${outOrderNo}:SUCCESS`,
    ]);
  });

  it('an order the platform never created (create_order failed) is left alone inside its payment window', async () => {
    await run.shop.orders.create({
      outOrderNo: 'dy_never_reached_douyin',
      channel: 'douyin-ecpay',
      amount: 100,
      currency: 'CNY',
      status: 'created',
      createdAt: new Date(Date.now() - 600_000).toISOString(),
      updatedAt: new Date().toISOString(),
      refundedAmount: 0,
      refunds: [],
      settlements: [],
    });
    await run.shop.reconcile({ afterMs: 0 });
    expect((await getJson(`${run.url}/orders/dy_never_reached_douyin`)).json).toMatchObject({
      status: 'created',
    });
  });
});

it('the repeating job (RECONCILE_EVERY_MS) marks a paid order paid though no callback ever comes', async () => {
  const run = await startShopWithSimulator({ RECONCILE_EVERY_MS: '100', RECONCILE_AFTER_MS: '0' });
  try {
    const created = await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 900 });
    const outOrderNo = created.json.outOrderNo as string;
    await run.sim.douyin.pay(outOrderNo, { url: `${run.url}/douyin/notify`, loseCallbacks: true });
    await until(
      async () =>
        (await getJson<{ status: string }>(`${run.url}/orders/${outOrderNo}`)).json.status === 'paid',
      10_000,
    );
  } finally {
    await run.close();
  }
});

it('the repeating job also backfills TikTok: an order whose webhooks were all lost ships, and each run carries where its backfill ended', async () => {
  const run = await startShopWithSimulator({ RECONCILE_EVERY_MS: '100' });
  try {
    const startedAt = Math.floor(Date.now() / 1000);
    const orderId = run.sim.tiktok.addOrder({ total_amount: '6.00', currency: 'USD', status: 'UNPAID' });
    await run.sim.tiktok.pay(orderId, { url: `${run.url}/tiktok/webhook`, loseWebhook: true });
    await until(
      async () =>
        (await getJson<{ status: string }>(`${run.url}/orders/tiktok-${orderId}`)).json.status ===
          'shipped' || undefined,
      20_000,
    );
    expect(run.sim.tiktok.shipments(orderId)).toHaveLength(1);
    // The next run's data holds where this one's backfill ended: it starts there (less the overlap).
    const { rows } = await run.shop.database.executeSql('SELECT current_schema() AS name');
    const jobs = `${(rows[0] as { name: string }).name}_jobs`;
    const next = await until(async () => {
      const { rows: queued } = await run.shop.database.executeSql(
        `SELECT data FROM ${jobs}.job WHERE name = 'reconcile-payments' AND data ? 'tiktokUntil' ORDER BY created_on DESC LIMIT 1`,
      );
      // The run that found the order queues its successor after the ship job may have finished: wait for it
      // (a run from before startedAt carries an earlier mark).
      const data = (queued[0] as { data: { tiktokUntil: number } } | undefined)?.data;
      return data && data.tiktokUntil > startedAt ? data : undefined;
    });
    expect(next.tiktokUntil).toBeGreaterThan(startedAt);
    expect(next.tiktokUntil).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
  } finally {
    await run.close();
  }
});

it('150 abandoned orders ahead of a paid one whose callbacks were all lost: paid within 30 s, reconciling every second', async () => {
  const run = await startShopWithSimulator({
    RECONCILE_EVERY_MS: '1000',
    RECONCILE_AFTER_MS: '0',
    ORDERS_PER_MINUTE_PER_IP: '1000',
    ORDERS_PER_MINUTE: '1000',
  });
  try {
    for (let i = 0; i < 150; i++) {
      expect((await postJson(`${run.url}/orders`, { subject: 'Abandoned', amount: 100 + i })).status).toBe(
        201,
      );
    }
    // Numbered after every abandoned one: a reconciler that always takes "the first 100" never reaches it.
    const created = await postJson(`${run.url}/orders`, { subject: 'Tea', amount: 900 });
    const outOrderNo = created.json.outOrderNo as string;
    const queryOrders = () =>
      run.sim.log.filter((e) => e.direction === 'in' && e.path === '/api/apps/ecpay/v1/query_order').length;
    // Runs went on while the 150 were created: count the queries from here on.
    const askedBefore = queryOrders();
    const started = Date.now();
    await run.sim.douyin.pay(outOrderNo, { url: `${run.url}/douyin/notify`, loseCallbacks: true });
    await until(
      async () =>
        (await getJson<{ status: string }>(`${run.url}/orders/${outOrderNo}`)).json.status === 'paid',
      30_000,
    );
    console.info(
      `paid ${((Date.now() - started) / 1000).toFixed(1)} s after the payment, behind 150 abandoned orders`,
    );
    // Each run asks 20 at most: the paid one was reached by the rotation, not by asking everything at once.
    expect(queryOrders() - askedBefore).toBeLessThanOrEqual(
      20 * Math.ceil((Date.now() - started) / 1000 + 2),
    );
    const events = (await getJson<{ ref: string }[]>(`${run.url}/events`)).json.filter(
      (e) => e.ref === outOrderNo,
    );
    expect(events).toHaveLength(1);
  } finally {
    await run.close();
  }
}, 60_000);
