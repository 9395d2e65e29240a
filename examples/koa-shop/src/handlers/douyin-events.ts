import { createHash } from 'node:crypto';
import type {
  DouyinEvent,
  EcpayPaymentEvent,
  EcpayRefundEvent,
  EcpaySettleEvent,
  TradePaymentEvent,
  TradeRefundApplicationEvent,
  TradeRefundEvent,
  TradeSettleEvent,
} from '@ttpay/core';
import type { RefundApplicationReply } from '@ttpay/core/delivery';
import { douyinReply } from '@ttpay/koa';
import type { Logger } from '../logger.js';
import { appliedEvent } from '../orders/applied-event.js';
import {
  type MoneyStatus,
  type OrderRecord,
  type OrderRepository,
  type OrderStatus,
  ordersFor,
  type TxScope,
} from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';

export interface DouyinHandlerDeps {
  orders: OrderRepository;
  logger: Logger;
}

/** A payment may land on an order in these states (money taken is a fact, even after we gave up on it). */
const PAYABLE: ReadonlySet<OrderStatus> = new Set(['created', 'failed', 'cancelled']);

/**
 * Handlers for `douyinCallbacks`: ecpay and trade-system payments, refunds and settlements, applied to
 * the order repository. @ttpay/koa has verified and de-duplicated each event before it gets here; the
 * handlers are idempotent on their own as well (a payment on a paid order, a refund number seen
 * before change nothing), because a store's memory is not forever.
 *
 * Unknown order numbers are acknowledged and recorded as an anomaly, not refused: the shop writes every
 * order BEFORE the platform hears of it (routes/orders.ts), so a callback for an order it has no record
 * of cannot be a race that a retry would fix — it is another system's order on the same app id, or lost
 * data, and Douyin would only redeliver the same bytes for a day. (If your order writes can lag behind
 * the callback — reads from a replica — throw instead, so the platform retries.)
 */
export function douyinEventHandlers({ orders: repository, logger }: DouyinHandlerDeps) {
  const log = logger.child({ component: 'douyin-events' });

  async function unknownOrder(
    orders: OrderRepository,
    event: DouyinEvent,
    ref: string,
    detail: string,
  ): Promise<void> {
    await reportAnomaly(orders, log, {
      kind: 'unknown-order',
      platform: 'douyin',
      key: event.key,
      ref,
      detail,
    });
  }

  return {
    async onPayment(event: EcpayPaymentEvent | TradePaymentEvent, scope: TxScope): Promise<void> {
      const orders = ordersFor(repository, scope);
      const outOrderNo = event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no;
      const order = await orders.get(outOrderNo);
      if (!order) {
        await unknownOrder(
          orders,
          event,
          outOrderNo,
          `a ${event.system} payment for an order this shop never created`,
        );
        return;
      }
      const system = douyinSystemOf(order);
      if (system !== event.system) {
        // Verified, and it will never change: acknowledged, not applied (docs/PROTOCOLS.md §2.3).
        await reportAnomaly(orders, log, {
          kind: 'system-mismatch',
          platform: 'douyin',
          key: event.key,
          ref: outOrderNo,
          outOrderNo,
          detail: `a ${event.system} payment for an order made through ${system ?? order.channel}; not applied`,
        });
        return;
      }
      if (event.msg.status !== 'SUCCESS') {
        // Trade system: CANCEL (the buyer gave up or the payment window closed). ecpay sends successes only.
        await orders.update(
          outOrderNo,
          (o) => (o?.status === 'created' ? { ...o, status: 'cancelled' } : undefined),
          appliedEvent(event),
        );
        return;
      }
      if (event.msg.total_amount !== order.amount) {
        // Not applied, but acknowledged. The callback is verified — it is the platform's own statement —
        // and it will never change: refusing it would only make Douyin redeliver the same bytes for a day,
        // with the same outcome each time. So the order stays unpaid, and a human gets the anomaly
        // (refund the buyer, or find the bug that priced the order).
        await reportAnomaly(orders, log, {
          kind: 'amount-mismatch',
          platform: 'douyin',
          key: event.key,
          ref: outOrderNo,
          outOrderNo,
          detail: `paid ${event.msg.total_amount} fen for an order of ${order.amount} fen; not marked paid`,
        });
        return;
      }
      const { changed } = await orders.update(
        outOrderNo,
        (o) =>
          o && PAYABLE.has(o.status)
            ? {
                ...o,
                status: 'paid',
                paidAt: new Date().toISOString(),
                ...(event.msg.order_id ? { platformOrderId: event.msg.order_id } : {}),
              }
            : undefined,
        appliedEvent(event),
      );
      log.info({ outOrderNo, amount: event.msg.total_amount, changed }, 'payment applied');
    },

    async onRefund(event: EcpayRefundEvent | TradeRefundEvent, scope: TxScope): Promise<void> {
      const orders = ordersFor(repository, scope);
      const refundNo =
        event.system === 'ecpay'
          ? event.msg.cp_refundno
          : event.msg.out_refund_no || event.msg.refund_id || event.key;
      const amount = event.system === 'ecpay' ? event.msg.refund_amount : event.msg.refund_total_amount;
      // A refund callback names the platform's order_id, not ours: the order was found by it when paid.
      const order = event.msg.order_id ? await orders.findByPlatformOrderId(event.msg.order_id) : undefined;
      if (!order) {
        await unknownOrder(
          orders,
          event,
          refundNo,
          `a ${event.system} refund for a platform order this shop does not know`,
        );
        return;
      }
      const { order: after, changed } = await orders.update(
        order.outOrderNo,
        (o) =>
          o
            ? withRefund(o, refundNo, typeof amount === 'number' ? amount : null, event.msg.status)
            : undefined,
        appliedEvent(event),
      );
      log.info(
        {
          outOrderNo: order.outOrderNo,
          refundNo,
          status: event.msg.status,
          changed,
          orderStatus: after?.status,
        },
        'refund applied',
      );
    },

    async onSettle(event: EcpaySettleEvent | TradeSettleEvent, scope: TxScope): Promise<void> {
      const orders = ordersFor(repository, scope);
      const settleNo =
        event.system === 'ecpay'
          ? event.msg.cp_settle_no
          : event.msg.out_settle_no || event.msg.settle_id || event.key;
      const byOurNumber =
        event.system === 'ecpay' && event.msg.out_order_no
          ? await orders.get(event.msg.out_order_no)
          : undefined;
      const order =
        byOurNumber ??
        (event.msg.order_id ? await orders.findByPlatformOrderId(event.msg.order_id) : undefined);
      if (!order) {
        await unknownOrder(
          orders,
          event,
          settleNo,
          `a ${event.system} settlement for an order this shop does not know`,
        );
        return;
      }
      const amount = typeof event.msg.settle_amount === 'number' ? event.msg.settle_amount : null;
      await orders.update(
        order.outOrderNo,
        (o) => (o ? withSettlement(o, settleNo, amount, event.msg.status) : undefined),
        appliedEvent(event),
      );
      log.info({ outOrderNo: order.outOrderNo, settleNo, status: event.msg.status }, 'settlement applied');
    },

    /**
     * A user (or customer service) started a refund of a trade order: the platform asks for the shop's
     * refund number (退款申请回调, docs/PROTOCOLS.md §2.5). The number is recorded on the order in this
     * transaction, `PROCESSING` (and `audit: 'pending'` when the shop must audit it) — so reconciliation
     * asks about it — and the same number is answered for every repeat of this `refund_id`: the recorded
     * one, and it is derived from the `refund_id` in the first place, so even an answer whose record was
     * rolled back is not contradicted. Refusing happens at the audit, never here.
     */
    async onRefundApplication(
      event: TradeRefundApplicationEvent,
      scope: TxScope,
    ): Promise<RefundApplicationReply> {
      const orders = ordersFor(repository, scope);
      const { refund_id: refundId, out_order_no: outOrderNo, order_id: orderId } = event.msg;
      const order =
        (outOrderNo ? await orders.get(outOrderNo) : undefined) ??
        (await orders.findByPlatformOrderId(orderId));
      const refundNo = order?.refunds.find((r) => r.refundId === refundId)?.refundNo ?? refundNoFor(refundId);
      if (!order) {
        await unknownOrder(
          orders,
          event,
          refundId,
          'a refund application for an order this shop does not know',
        );
        return douyinReply({ out_refund_no: refundNo });
      }
      const amount = event.msg.refund_total_amount;
      const audited = event.msg.need_refund_audit === 1 || event.msg.need_refund_audit === true;
      await orders.update(
        order.outOrderNo,
        (o) =>
          o && !o.refunds.some((r) => r.refundId === refundId)
            ? {
                ...o,
                refunds: [
                  ...o.refunds,
                  {
                    refundNo,
                    refundId,
                    amount: typeof amount === 'number' ? amount : null,
                    status: 'PROCESSING',
                    at: new Date().toISOString(),
                    ...(audited ? { audit: 'pending' as const } : {}),
                  },
                ],
              }
            : undefined,
        appliedEvent(event),
      );
      log.info({ outOrderNo: order.outOrderNo, refundId, refundNo, audited }, 'refund application answered');
      return douyinReply({ out_refund_no: refundNo });
    },

    /** Withdrawals and types ttpay does not model: acknowledged (nothing here acts on them). */
    async onEvent(event: DouyinEvent): Promise<void> {
      log.info(
        { key: event.key, system: event.system, type: event.type },
        'Douyin callback this shop does not act on',
      );
    },
  };
}

/** ecpay or trade: the system a Douyin order was made through (undefined for a TikTok order). */
export function douyinSystemOf(order: Pick<OrderRecord, 'channel'>): 'ecpay' | 'trade' | undefined {
  return order.channel === 'douyin-ecpay' ? 'ecpay' : order.channel === 'douyin-trade' ? 'trade' : undefined;
}

/** The shop's refund number for a user-started refund: ≤ 64 bytes, the same for every repeat of its refund_id. */
function refundNoFor(refundId: string): string {
  return `rf_${createHash('sha256').update(refundId).digest('hex').slice(0, 32)}`;
}

/** A refund's result: a new record, or the PROCESSING one settled; a decided one is left as it is. */
function withRefund(
  o: OrderRecord,
  refundNo: string,
  amount: number | null,
  status: MoneyStatus,
): OrderRecord | undefined {
  const known = o.refunds.find((r) => r.refundNo === refundNo);
  if (known && known.status !== 'PROCESSING') return undefined; // seen: nothing new
  const record = {
    ...known,
    refundNo,
    amount: amount ?? known?.amount ?? null,
    status,
    at: new Date().toISOString(),
  };
  const refunds = known ? o.refunds.map((r) => (r === known ? record : r)) : [...o.refunds, record];
  if (status !== 'SUCCESS' || record.amount === null) return { ...o, refunds }; // a failed refund is recorded only
  const refundedAmount = o.refundedAmount + record.amount;
  const status_: OrderStatus =
    o.amount !== null && refundedAmount >= o.amount ? 'refunded' : 'partially_refunded';
  return { ...o, refunds, refundedAmount, status: status_ };
}

/** A settlement's result: a new record, or the PROCESSING one settled; a decided one is left as it is. */
function withSettlement(
  o: OrderRecord,
  settleNo: string,
  amount: number | null,
  status: MoneyStatus,
): OrderRecord | undefined {
  const known = o.settlements.find((s) => s.settleNo === settleNo);
  if (known && known.status !== 'PROCESSING') return undefined;
  const record = { settleNo, amount: amount ?? known?.amount ?? null, status, at: new Date().toISOString() };
  const settlements = known
    ? o.settlements.map((s) => (s === known ? record : s))
    : [...o.settlements, record];
  // Settled means the money reached the merchant; a refunded order keeps saying so.
  return {
    ...o,
    settlements,
    ...(status === 'SUCCESS' && o.status === 'paid' ? { status: 'settled' as const } : {}),
  };
}
