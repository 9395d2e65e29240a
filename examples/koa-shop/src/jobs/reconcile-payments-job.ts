import {
  type DouyinEcpayClient,
  type DouyinTradeClient,
  ecpayPaymentEventFromQuery,
  isTtpayApiError,
  tradePaymentEventFromQuery,
} from '@ttpay/client';
import {
  applyOnce,
  type EcpayPaymentEvent,
  type IdempotencyStore,
  type TradePaymentEvent,
} from '@ttpay/core';
import type { Logger } from '../logger.js';
import type { OrderRecord, TxScope } from '../orders/order-repository.js';
import type { JobHandler } from './job-queue.js';

/** What reconciliation needs from the order repository. */
export interface AwaitingPayment {
  /** Douyin orders still `created`, older than `olderThanMs`, oldest first. */
  awaitingPayment(olderThanMs: number, limit: number): Promise<OrderRecord[]>;
}

export interface ReconcileDeps {
  orders: AwaitingPayment;
  clients: { ecpay: DouyinEcpayClient; trade: DouyinTradeClient };
  /** The store the callbacks go through: the same keys, so a reconciled payment and its callback are one event. */
  store: IdempotencyStore;
  /** The Douyin payment handler the callbacks use (`douyinEventHandlers(…).onPayment`). */
  onPayment(event: EcpayPaymentEvent | TradePaymentEvent, scope: TxScope): Promise<void>;
  appId: string;
  /** Only orders older than this are asked about: younger ones still get their callback. */
  afterMs: number;
  /** Orders looked at per run. */
  batch: number;
  /** The callbacks' lease and done-TTL (claimTtlMs, doneTtlMs of @ttpay/koa). */
  leaseMs: number;
  doneTtlMs: number;
  logger: Logger;
}

/**
 * Reconciliation: a payment whose every callback was lost (the shop was down longer than Douyin retries,
 * about a day) is found by asking the platform about orders still unpaid. What the platform says goes
 * through the SAME handler under the SAME idempotency key as its callback (`ecpayPaymentEventFromQuery`,
 * `tradePaymentEventFromQuery` from @ttpay/client, `applyOnce` from @ttpay/core): a callback arriving
 * afterwards is a duplicate, and one that never comes still gets the order paid. Runs as a repeatable
 * job (BullMQ with REDIS_URL, in-process otherwise); a run that fails for some orders throws after
 * trying the others, so the queue retries it.
 */
export function reconcilePaymentsJob(deps: ReconcileDeps): JobHandler<Record<string, never>> {
  const log = deps.logger.child({ component: 'reconcile-payments' });
  return async () => {
    const orders = await deps.orders.awaitingPayment(deps.afterMs, deps.batch);
    const failures: string[] = [];
    for (const order of orders) {
      try {
        const outcome = await reconcile(order);
        if (outcome !== 'unpaid') log.info({ outOrderNo: order.outOrderNo, outcome }, 'order reconciled');
      } catch (error) {
        failures.push(order.outOrderNo);
        log.warn(
          { outOrderNo: order.outOrderNo, error: error instanceof Error ? error.message : String(error) },
          'could not reconcile the order; the next run tries again',
        );
      }
    }
    if (failures.length > 0) throw new Error(`reconciliation failed for ${failures.length} order(s)`);
  };

  async function reconcile(order: OrderRecord): Promise<'unpaid' | 'applied' | 'done' | 'in-flight'> {
    const event = await askThePlatform(order);
    if (!event) return 'unpaid';
    return applyOnce(deps.store, event.key, (tx) => deps.onPayment(event, { payment: { tx } }), {
      leaseMs: deps.leaseMs,
      doneTtlMs: deps.doneTtlMs,
    });
  }

  async function askThePlatform(
    order: OrderRecord,
  ): Promise<EcpayPaymentEvent | TradePaymentEvent | undefined> {
    const outOrderNo = order.outOrderNo;
    try {
      if (order.channel === 'douyin-ecpay') {
        const answer = await deps.clients.ecpay.queryOrder({ out_order_no: outOrderNo });
        return ecpayPaymentEventFromQuery(outOrderNo, answer, { appId: deps.appId });
      }
      if (order.channel === 'douyin-trade') {
        return tradePaymentEventFromQuery(await deps.clients.trade.orderQuery({ out_order_no: outOrderNo }));
      }
      return undefined;
    } catch (error) {
      // The platform has no such order (it was never created there: create_order failed): nothing to apply.
      if (isTtpayApiError(error) && NOT_FOUND.has(`${order.channel}:${error.platformCode}`)) return undefined;
      throw error;
    }
  }
}

/** The platforms' "no such order" answers (docs/PROTOCOLS.md §5.3): ecpay 2000. */
const NOT_FOUND = new Set(['douyin-ecpay:2000']);
