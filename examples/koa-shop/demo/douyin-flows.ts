import { signedEcpayCallback, withBadSignature } from '@ttpay/testing';
import type { DemoContext } from './demo-context.js';

const fen = (amount: number) => `¥${(amount / 100).toFixed(2)}`;
const acked = (responses: { status: number; body: string }[]) =>
  responses.length > 0 && responses.every((r) => r.status === 200 && r.body.includes('"err_no":0'));

/** 1. ecpay: POST /orders → the buyer pays → signed callback → paid; a duplicate changes nothing. */
export async function ecpayPaymentFlow({ api, sim, t, shopUrl }: DemoContext): Promise<string | undefined> {
  const amount = 9900;
  const created = await api.post('/orders', { subject: 'Oolong tea, 250 g', amount });
  const outOrderNo = typeof created.json.outOrderNo === 'string' ? created.json.outOrderNo : '';
  const orderId = String(created.json.orderId ?? '');
  if (
    !t.check(
      created.status === 201 && outOrderNo !== '' && typeof created.json.orderToken === 'string',
      `POST /orders {subject: "Oolong tea, 250 g", amount: ${amount}} → 201 ${outOrderNo} (Douyin order_id ${orderId}, order_token for tt.pay)`,
      `got ${created.status} ${JSON.stringify(created.json)}`,
    )
  ) {
    return undefined;
  }

  const before = (await api.events()).length;
  const paid = await sim.douyin.pay(outOrderNo, { url: `${shopUrl}/douyin/notify`, duplicates: 1 });
  t.check(
    paid.acknowledged && paid.attempts === 2 && acked(paid.responses),
    `the buyer pays ${fen(amount)} → Douyin sends the SHA-1-signed callback, twice over (a duplicate, as it may) → both answered {"err_no":0}`,
    `acknowledged=${paid.acknowledged}, replies ${paid.responses.map((r) => r.status).join(', ')}`,
  );
  const order = await api.order(outOrderNo);
  t.check(
    order?.status === 'paid' && order.amount === amount,
    `GET /orders/${outOrderNo} → paid, ${amount} fen`,
    `status ${order?.status}`,
  );
  const events = await api.events();
  const last = events.at(-1);
  t.check(
    events.length === before + 1 && last?.type === 'ecpay.payment' && last.ref === outOrderNo,
    `GET /events → one new event {type: ecpay.payment, ref: ${outOrderNo}}: the duplicate was not applied`,
    `${events.length - before} new events`,
  );

  // Later, the same payment again (as `ttpay send ecpay.payment` would send it): same idempotency key.
  const redelivery = signedEcpayCallback({
    type: 'payment',
    msg: { cp_orderno: outOrderNo, total_amount: amount, status: 'SUCCESS', order_id: orderId },
  });
  const replay = await api.deliver('/douyin/notify', redelivery);
  const after = await api.order(outOrderNo);
  t.check(
    replay.status === 200 &&
      replay.json.err_no === 0 &&
      (await api.events()).length === events.length &&
      JSON.stringify(after) === JSON.stringify(order),
    'a later redelivery of that payment → acknowledged; /events count and the order unchanged',
    `reply ${replay.status} ${JSON.stringify(replay.json)}`,
  );
  return outOrderNo;
}

/** 2. Refund: created through the client, completed by Douyin, applied from its callback. */
export async function ecpayRefundFlow(
  { api, sim, t, shopUrl, shop }: DemoContext,
  outOrderNo: string | undefined,
): Promise<void> {
  if (!outOrderNo) {
    t.check(false, 'refund skipped: flow 1 created no paid order');
    return;
  }
  const amount = 9900;
  const outRefundNo = `rf_${outOrderNo.slice(3)}`;
  const { refund_no } = await shop.clients.douyin.ecpay.createRefund({
    out_order_no: outOrderNo,
    out_refund_no: outRefundNo,
    reason: 'Demo: the buyer changed their mind',
    refund_amount: amount,
  });
  t.check(
    typeof refund_no === 'string' && refund_no !== '',
    `create_refund through DouyinEcpayClient: ${outRefundNo}, ${amount} fen → Douyin refund_no ${refund_no}`,
  );
  const done = await sim.douyin.completeRefund(outRefundNo, { url: `${shopUrl}/douyin/notify` });
  t.check(
    done.acknowledged && acked(done.responses),
    'Douyin completes the refund and sends the signed refund callback → {"err_no":0}',
  );
  const order = await api.order(outOrderNo);
  t.check(
    order?.status === 'refunded' && order.refundedAmount === amount,
    `GET /orders/${outOrderNo} → refunded, ${order?.refundedAmount} fen back to the buyer`,
    `status ${order?.status}`,
  );
}

/** 3. Trade system: POST /orders system=trade → tt.requestOrder (played here) → pay → RSA callback. */
export async function tradePaymentFlow({ api, sim, t, shopUrl }: DemoContext): Promise<void> {
  const amount = 4900;
  const created = await api.post('/orders', { subject: 'Jasmine tea, 100 g', amount, system: 'trade' });
  const outOrderNo = typeof created.json.outOrderNo === 'string' ? created.json.outOrderNo : '';
  const request = created.json.requestOrderData as
    | { data?: unknown; byteAuthorization?: unknown }
    | undefined;
  if (
    !t.check(
      created.status === 201 &&
        typeof request?.data === 'string' &&
        typeof request.byteAuthorization === 'string' &&
        request.byteAuthorization.startsWith('SHA256-RSA2048 '),
      `POST /orders {system: "trade", amount: ${amount}} → 201 ${outOrderNo} with requestOrderData {data, byteAuthorization}`,
      `got ${created.status} ${JSON.stringify(created.json)}`,
    )
  ) {
    return;
  }

  // The mini-program: tt.requestOrder({data, byteAuthorization}), unchanged.
  const res = await fetch(`${sim.url}/requestOrder`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const answer = (await res.json()) as { err_no?: number; data?: { orderId?: string } };
  const orderId = answer.data?.orderId ?? '';
  t.check(
    answer.err_no === 0 && orderId !== '',
    `the mini-program calls tt.requestOrder → Douyin checks the RSA Byte-Authorization over data → order_id ${orderId}`,
    `err_no ${answer.err_no}`,
  );

  const paid = await sim.douyin.pay(outOrderNo, { url: `${shopUrl}/douyin/notify` });
  t.check(
    paid.acknowledged && acked(paid.responses),
    `the buyer pays ${fen(amount)} → Douyin sends the RSA-signed callback (Byte-Signature headers) → {"err_no":0}`,
  );
  const order = await api.order(outOrderNo);
  t.check(
    order?.status === 'paid' && order.amount === amount && order.platformOrderId === orderId,
    `GET /orders/${outOrderNo} → paid, ${amount} fen, order_id ${order?.platformOrderId}`,
    `status ${order?.status}`,
  );
}

/** 5. A forged callback: refused, and nothing applied. */
export async function forgedCallbackFlow({ api, t }: DemoContext): Promise<void> {
  const amount = 1990;
  const created = await api.post('/orders', { subject: 'Pu-erh cake', amount });
  const outOrderNo = String(created.json.outOrderNo ?? '');
  const before = await api.events();
  const forged = withBadSignature(
    signedEcpayCallback({ type: 'payment', msg: { cp_orderno: outOrderNo, total_amount: amount } }),
  );
  const reply = await api.deliver('/douyin/notify', forged);
  t.check(
    reply.status === 400 && reply.json.err_tips === 'SIGNATURE_MISMATCH',
    `a payment callback for ${outOrderNo} with one signature character changed (ttpay send --broken bad-signature) → 400 SIGNATURE_MISMATCH`,
    `got ${reply.status} ${JSON.stringify(reply.json)}`,
  );
  const order = await api.order(outOrderNo);
  t.check(
    (await api.events()).length === before.length && order?.status === 'created',
    `nothing applied: /events unchanged, ${outOrderNo} still unpaid`,
    `order status ${order?.status}`,
  );
}

/**
 * 6. Reconciliation: the buyer pays, but every callback is lost (the shop was down longer than Douyin
 * retries). The reconciliation pass asks Douyin (query_order), applies the payment through the same
 * handler and key as the callback, and the callback that finally arrives is a duplicate.
 */
export async function reconciliationFlow({ api, sim, t, shop, shopUrl }: DemoContext): Promise<void> {
  const amount = 4500;
  const created = await api.post('/orders', { subject: 'Jasmine tea, 100 g', amount });
  const outOrderNo = typeof created.json.outOrderNo === 'string' ? created.json.outOrderNo : '';
  const orderId = String(created.json.orderId ?? '');
  if (!t.check(created.status === 201 && outOrderNo !== '', `POST /orders → 201 ${outOrderNo}`)) return;

  const lost = await sim.douyin.pay(outOrderNo, { url: `${shopUrl}/douyin/notify`, loseCallbacks: true });
  const waiting = await api.order(outOrderNo);
  t.check(
    lost.attempts === 0 && waiting?.status === 'created',
    `the buyer pays ${fen(amount)}, and every callback is lost → the shop still says "created"`,
    `attempts ${lost.attempts}, status ${waiting?.status}`,
  );

  // Douyin's events only: the same pass also backfills TikTok orders (their statuses moved on meanwhile).
  const douyinEvents = async () => (await api.events()).filter((e) => e.platform === 'douyin');
  const before = (await douyinEvents()).length;
  await shop.reconcile({ afterMs: 0 });
  const paid = await api.order(outOrderNo);
  const events = await douyinEvents();
  const last = events.at(-1);
  t.check(
    paid?.status === 'paid' && events.length === before + 1 && last?.ref === outOrderNo,
    `reconciliation asks Douyin (query_order: SUCCESS) → applied through the payment handler → paid; /events +1 {type: ${last?.type}}`,
    `status ${paid?.status}, ${events.length - before} new events`,
  );

  // A day late, a redelivery of that payment's callback: the same idempotency key, so a duplicate.
  const late = await api.deliver(
    '/douyin/notify',
    signedEcpayCallback({
      type: 'payment',
      msg: { cp_orderno: outOrderNo, total_amount: amount, status: 'SUCCESS', order_id: orderId },
    }),
  );
  t.check(
    late.status === 200 && late.json.err_no === 0 && (await douyinEvents()).length === events.length,
    'the callback arriving after all → acknowledged as a duplicate of the reconciled payment; nothing applied twice',
    `reply ${late.status} ${JSON.stringify(late.json)}`,
  );
}
