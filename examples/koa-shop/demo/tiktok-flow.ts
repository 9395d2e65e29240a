import type { DemoContext } from './demo-context.js';

/**
 * 4. TikTok Shop, both ways money can come in (docs/PROTOCOLS.md §3.8):
 * - paid at TikTok's checkout: the buyer pays TikTok, the webhook is answered at once, and a job ships the
 *   order through TikTok (riding out a simulated outage) — no payment link is ever made;
 * - settled OUTSIDE TikTok's checkout: an operator marks an order for a B2B settlement (payer, amount,
 *   currency), the shop makes exactly one AlgoVoi link, holds the shipment, and ships once the gateway's
 *   webhook is confirmed by `GET /checkout/{token}/status`.
 */
export async function tiktokOrdersFlow(ctx: DemoContext): Promise<void> {
  await paidAtTikTokCheckout(ctx);
  await settledOutsideTikTok(ctx);
}

async function paidAtTikTokCheckout({ api, sim, t, shopUrl }: DemoContext): Promise<void> {
  const orderId = sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD', status: 'UNPAID' });
  const outOrderNo = `tiktok-${orderId}`;
  const logStart = sim.log.length;
  sim.fault({ platform: 'tiktok', path: '/fulfillment/', status: 503, times: 2 });
  t.note("TikTok's shipping API will answer 503 twice now (a simulated outage)");
  const started = performance.now();
  const webhook = await sim.tiktok.pay(orderId, { url: `${shopUrl}/tiktok/webhook` });
  const ms = Math.round(performance.now() - started);
  t.check(
    webhook.acknowledged && webhook.attempts === 1 && ms < 3000,
    `the buyer pays 12.34 USD at TikTok's checkout → order ${orderId} AWAITING_SHIPMENT: signed webhook answered 200 in ${ms} ms (TikTok waits 3 s; the slow work is a job)`,
    `acknowledged=${webhook.acknowledged} after ${webhook.attempts} attempts`,
  );

  const shipped = await api.waitForOrder(outOrderNo, (o) => o.status === 'shipped');
  const shipments = sim.tiktok.shipments(orderId);
  const gateway = sim.log.slice(logStart).filter((e) => e.platform === 'algovoi');
  t.check(
    shipped?.status === 'shipped' &&
      shipped.amount === 1234 &&
      shipments.length === 1 &&
      gateway.length === 0,
    `job: read the order (paid ${shipped?.amount === 1234 ? '12.34 USD' : '?'} at TikTok's checkout), shipped package ${String(shipments[0]?.package_id)} with TikTok shipping → GET /orders/${outOrderNo}: shipped; AlgoVoi was asked nothing (the buyer is never charged twice)`,
    `order status ${shipped?.status}, ${shipments.length} shipments, ${gateway.length} gateway calls`,
  );
  const answers = sim.log
    .slice(logStart)
    .filter((e) => e.direction === 'in' && e.platform === 'tiktok' && e.path.startsWith('/fulfillment/'))
    .map((e) => (e.status === 200 ? `code ${e.code}` : String(e.status)));
  t.check(
    answers.join(', ') === '503, 503, code 0',
    `TikTok answered ${answers.join(', ')}: the job retried through the outage and shipped once`,
  );
}

async function settledOutsideTikTok({ api, sim, t, shopUrl }: DemoContext): Promise<void> {
  const orderId = sim.tiktok.addOrder({ total_amount: '0.00', currency: 'GBP' });
  const outOrderNo = `tiktok-${orderId}`;
  const invoice = { payer: 'Acme Fulfilment Ltd', amount: '120.00', currency: 'GBP' };
  const marked = await api.post(`/orders/${outOrderNo}/settlement`, invoice);
  const settlement = (marked.json.settlement ?? {}) as { token?: string; label?: string };
  const again = await api.post(`/orders/${outOrderNo}/settlement`, invoice);
  const links = sim.log.filter((e) => e.direction === 'in' && e.path === '/v1/payment-links');
  if (
    !t.check(
      marked.status === 201 && again.status === 200 && typeof settlement.token === 'string',
      `operator: POST /orders/${outOrderNo}/settlement {payer: "Acme Fulfilment Ltd", amount: "120.00", currency: "GBP"} → 201, one AlgoVoi link "${settlement.label}"; the same request again → 200, the same link`,
      `${marked.status} then ${again.status}: ${JSON.stringify(marked.json)}`,
    )
  ) {
    return;
  }
  const token = settlement.token as string;

  await sim.tiktok.sendWebhook(
    1,
    { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false },
    { url: `${shopUrl}/tiktok/webhook` },
  );
  const held = await api.waitForOrder(outOrderNo, (o) => o.status === 'awaiting_payment');
  t.check(
    held?.status === 'awaiting_payment' && sim.tiktok.shipments(orderId).length === 0,
    'TikTok: AWAITING_SHIPMENT → the order is held: marked for an outside settlement that is not paid yet',
  );

  const paid = await sim.algovoi.pay(token, { url: `${shopUrl}/algovoi/webhook` });
  const txId = String(sim.algovoi.checkout(token)?.tx_id ?? '');
  t.check(
    paid.acknowledged,
    `the payer pays on-chain → the gateway's payment.confirmed webhook (X-AlgoVoi-Signature t=,v1=,v2=; tx ${txId}) → answered 200`,
  );
  const done = await api.waitForOrder(outOrderNo, (o) => o.status === 'shipped');
  const statusReads = sim.log.filter((e) => e.path === `/checkout/${token}/status`).length;
  const linksAfter = sim.log.filter((e) => e.direction === 'in' && e.path === '/v1/payment-links').length;
  t.check(
    done?.status === 'shipped' &&
      done.algovoi?.paidAt !== undefined &&
      done.algovoi.txId === txId &&
      statusReads > 0 &&
      linksAfter === links.length,
    `job: GET /checkout/${token}/status → paid (tx recorded on the settlement) → the order shipped through TikTok; exactly one payment link in all`,
    `order ${JSON.stringify(done)}`,
  );
}
