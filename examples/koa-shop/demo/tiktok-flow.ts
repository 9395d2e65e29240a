import type { DemoContext } from './demo-context.js';

/**
 * 4. TikTok Shop → AlgoVoi → shipping: the webhook is answered at once; jobs fetch the amount, create the
 * payment link, and — after the gateway's webhook — confirm the payment and ship the package with TikTok
 * shipping (the transaction id stays on the order: TikTok accepts carrier tracking numbers only), riding
 * out a simulated TikTok outage.
 */
export async function tiktokSettlementFlow({ api, sim, t, shopUrl }: DemoContext): Promise<void> {
  const orderId = sim.tiktok.addOrder({ total_amount: '12.34', currency: 'USD' });
  const outOrderNo = `tiktok-${orderId}`;
  const started = performance.now();
  const webhook = await sim.tiktok.sendWebhook(
    1,
    {
      order_id: orderId,
      order_status: 'AWAITING_SHIPMENT',
      is_on_hold_order: false,
      update_time: Math.floor(Date.now() / 1000),
    },
    { url: `${shopUrl}/tiktok/webhook` },
  );
  const ms = Math.round(performance.now() - started);
  t.check(
    webhook.acknowledged && webhook.attempts === 1 && ms < 3000,
    `TikTok order ${orderId} → AWAITING_SHIPMENT: signed webhook answered 200 in ${ms} ms (TikTok waits 3 s; the slow work is a job)`,
    `acknowledged=${webhook.acknowledged} after ${webhook.attempts} attempts`,
  );

  const linked = await api.waitForOrder(outOrderNo, (o) => o.algovoi !== undefined);
  const token = linked?.algovoi?.token ?? '';
  if (
    !t.check(
      linked?.amount === 1234 && linked.currency === 'USD' && token !== '',
      `job: fetched the order with a signed Open API call (the webhook has no amount): 12.34 USD → AlgoVoi payment link, checkout ${token}`,
      `order ${JSON.stringify(linked)}`,
    )
  ) {
    return;
  }

  sim.fault({ platform: 'tiktok', path: '/fulfillment/', status: 503, times: 2 });
  t.note("TikTok's shipping API will answer 503 twice now (a simulated outage)");
  const paid = await sim.algovoi.pay(token, { url: `${shopUrl}/algovoi/webhook` });
  const txId = String(sim.algovoi.checkout(token)?.tx_id ?? '');
  t.check(
    paid.acknowledged,
    `the buyer pays on-chain → the gateway's signed webhook (tx ${txId}) → answered 200; a job takes it from here`,
  );

  const shipped = await api.waitForOrder(outOrderNo, (o) => o.status === 'shipped');
  const shipments = sim.tiktok.shipments(orderId);
  t.check(
    shipped?.status === 'shipped' &&
      shipped.algovoi?.txId === txId &&
      shipments.length === 1 &&
      shipments[0]?.handover_method === 'DROP_OFF' &&
      shipments[0]?.tracking_number === undefined,
    `job: read the checkout back (paid), shipped package ${shipped?.algovoi?.packageId} with TikTok shipping (DROP_OFF; tx ${txId} recorded on the order, not sent as a tracking number) → GET /orders/${outOrderNo}: shipped; TikTok has exactly 1 shipment`,
    `order status ${shipped?.status}, ${shipments.length} shipments`,
  );
  const shipCalls = sim.log.filter(
    (e) => e.direction === 'in' && e.platform === 'tiktok' && e.path.startsWith('/fulfillment/'),
  );
  const answers = shipCalls.map((e) => (e.status === 200 ? `code ${e.code}` : String(e.status)));
  t.check(
    answers.join(', ') === '503, 503, code 0',
    `TikTok answered ${answers.join(', ')}: the job retried through the outage and shipped once`,
  );
}
