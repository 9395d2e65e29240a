import type {
  DouyinEvent,
  EcpayPaymentEvent,
  EcpayRefundEvent,
  EcpaySettleEvent,
  TradePaymentEvent,
  TradeRefundEvent,
  TradeSettleEvent,
} from '@ttpay/core';
import type { Logger } from '../logger.js';
import { appliedEvent } from '../orders/applied-event.js';
import {
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

    /** Withdrawals and types ttpay does not model: acknowledged (nothing here acts on them). */
    async onEvent(event: DouyinEvent): Promise<void> {
      log.info(
        { key: event.key, system: event.system, type: event.type },
        'Douyin callback this shop does not act on',
      );
    },
  };
}

function withRefund(
  o: OrderRecord,
  refundNo: string,
  amount: number | null,
  status: string,
): OrderRecord | undefined {
  if (o.refunds.some((r) => r.refundNo === refundNo)) return undefined; // seen: nothing new
  const refunds = [...o.refunds, { refundNo, amount, status, at: new Date().toISOString() }];
  if (status !== 'SUCCESS' || amount === null) return { ...o, refunds }; // a failed refund is recorded only
  const refundedAmount = o.refundedAmount + amount;
  const status_: OrderStatus =
    o.amount !== null && refundedAmount >= o.amount ? 'refunded' : 'partially_refunded';
  return { ...o, refunds, refundedAmount, status: status_ };
}

function withSettlement(
  o: OrderRecord,
  settleNo: string,
  amount: number | null,
  status: string,
): OrderRecord | undefined {
  if (o.settlements.some((s) => s.settleNo === settleNo)) return undefined;
  const settlements = [...o.settlements, { settleNo, amount, status, at: new Date().toISOString() }];
  // Settled means the money reached the merchant; a refunded order keeps saying so.
  return {
    ...o,
    settlements,
    ...(status === 'SUCCESS' && o.status === 'paid' ? { status: 'settled' as const } : {}),
  };
}
