import type { DemoContext } from './demo-context.js';
import type { OrderView } from './shop-api.js';

/**
 * 7. Trade system: the buyer asks for a refund in the app. Douyin asks the shop for its refund number
 * (退款申请回调) — the shop answers one and records it — and waits for the shop's audit: the operator
 * approves one refund (the money goes back, the result callback names the shop's number) and denies
 * another (it stays denied; reconciliation records Douyin's FAIL).
 */
export async function userRefundFlow(ctx: DemoContext): Promise<void> {
  const { api, t } = ctx;
  for (const decision of ['approve', 'deny'] as const) {
    const amount = decision === 'approve' ? 2800 : 3600;
    const outOrderNo = await paidTradeOrder(ctx, amount);
    if (!outOrderNo) return;
    const refunding = ctx.sim.douyin.userRefund(outOrderNo, { url: `${ctx.shopUrl}/douyin/notify` });
    const asked = await api.waitForOrder(outOrderNo, (o) => o.refunds.some((r) => r.audit === 'pending'));
    const refund = asked?.refunds[0];
    if (
      !t.check(
        refund?.status === 'PROCESSING' && refund.refundNo.startsWith('rf_'),
        `the buyer asks for ${amount} fen back → Douyin's signed refund application → the shop answers {"out_refund_no":"${refund?.refundNo}"} and records it, awaiting its audit`,
        `order ${JSON.stringify(asked?.refunds)}`,
      ) ||
      !refund
    ) {
      return;
    }
    const body = decision === 'approve' ? { decision } : { decision, message: '茶叶已开封，不支持退款' };
    const audited = await api.post(`/orders/${outOrderNo}/refunds/${refund.refundNo}/audit`, body);
    t.check(
      audited.status === 202,
      `POST /orders/${outOrderNo}/refunds/${refund.refundNo}/audit ${JSON.stringify(body)} → 202; a job sends refund_audit_callback`,
      `got ${audited.status} ${JSON.stringify(audited.json)}`,
    );
    const result = await refunding;
    if (decision === 'approve') {
      const order = await api.waitForOrder(outOrderNo, (o) => o.status === 'refunded');
      t.check(
        result.audit === 'AGREE' &&
          result.out_refund_no === refund.refundNo &&
          result.result?.acknowledged === true &&
          order?.refunds[0]?.status === 'SUCCESS',
        `Douyin takes the audit (AGREE), refunds, and its result callback names the shop's number ${result.out_refund_no} → GET /orders/${outOrderNo}: refunded, ${order?.refundedAmount} fen`,
        `audit ${result.audit}, number ${result.out_refund_no}, status ${order?.status}`,
      );
    } else {
      await ctx.shop.reconcile({ afterMs: 0 });
      const order = await api.order(outOrderNo);
      t.check(
        result.audit === 'DENY' &&
          result.result === undefined &&
          order?.status === 'paid' &&
          order.refundedAmount === 0 &&
          order.refunds[0]?.status === 'FAIL',
        'Douyin takes the denial (DENY): no money moves, no result callback; reconciliation asks refund_query → the refund is recorded FAIL, the order stays paid',
        `audit ${result.audit}, order ${order?.status}, refund ${order?.refunds[0]?.status}`,
      );
    }
  }
}

/** A trade order through POST /orders, tt.requestOrder (played here) and the buyer's payment. */
async function paidTradeOrder(
  { api, sim, t, shopUrl }: DemoContext,
  amount: number,
): Promise<string | undefined> {
  const created = await api.post('/orders', { subject: 'Tieguanyin, 200 g', amount, system: 'trade' });
  const outOrderNo = typeof created.json.outOrderNo === 'string' ? created.json.outOrderNo : '';
  await fetch(`${sim.url}/requestOrder`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(created.json.requestOrderData),
  });
  const paid = await sim.douyin.pay(outOrderNo, { url: `${shopUrl}/douyin/notify` });
  const order: OrderView | undefined = await api.order(outOrderNo);
  return t.check(
    paid.acknowledged && order?.status === 'paid',
    `POST /orders {system: "trade", amount: ${amount}} → tt.requestOrder → the buyer pays → ${outOrderNo} paid`,
    `status ${order?.status}`,
  )
    ? outOrderNo
    : undefined;
}
