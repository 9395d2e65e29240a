import {
  type DouyinEcpayClient,
  type DouyinTradeClient,
  type OpenPayment,
  reconcilePayments,
} from '@ttpay/client';
import type { EcpayPaymentEvent, IdempotencyStore, TradePaymentEvent } from '@ttpay/core';
import type { Logger } from '../logger.js';
import type { OrderRepository, TxScope } from '../orders/order-repository.js';
import type { SqlOrderRepository } from '../orders/sql-order-repository.js';
import { PAY_WINDOW_SECONDS } from '../routes/orders.js';
import type { JobContext, ShopJobs } from './shop-jobs.js';

export interface ReconcileDeps {
  orders: Pick<SqlOrderRepository, 'openPayments'> & Pick<OrderRepository, 'update'>;
  clients: { ecpay: DouyinEcpayClient; trade: DouyinTradeClient };
  /** The store the callbacks go through: the same keys, so a reconciled payment and its callback are one event. */
  store: IdempotencyStore;
  /** The Douyin payment handler the callbacks use (`douyinEventHandlers(…).onPayment`). */
  onPayment(event: EcpayPaymentEvent | TradePaymentEvent, scope: TxScope): Promise<void>;
  appId: string;
  /** Only orders older than this are asked about: younger ones still get their callback. */
  afterMs: number;
  /** Orders asked about per run (one platform query each). */
  maxQueries: number;
  /** The callbacks' lease and done-TTL (claimTtlMs, doneTtlMs of @ttpay/koa). */
  leaseMs: number;
  doneTtlMs: number;
  /** The TikTok backfill (`backfillTikTokOrders`): run after Douyin's part, from where the last run ended. */
  backfillTikTok?: (
    options: { after?: number | undefined; lookbackSeconds?: number | undefined },
    signal?: AbortSignal,
  ) => Promise<number>;
  logger: Logger;
}

/**
 * Reconciliation as a repeating job: `reconcilePayments` of @ttpay/client asks Douyin about the next
 * `maxQueries` open orders of a fair rotation (the cursor travels in the job's data to the next run) and
 * applies what it learns through the callbacks' own handler and store; orders past their payment window
 * are cancelled. Then the TikTok backfill looks for orders whose webhooks were lost, from where the last
 * run's ended (`tiktokUntil`); a failed backfill is logged and tried again by the next run, from the same
 * mark, without holding up Douyin's rotation. Resolves to the next run's data.
 */
export function reconcilePaymentsJob(deps: ReconcileDeps) {
  const log = deps.logger.child({ component: 'reconcile-payments' });
  return async (
    data: ShopJobs['reconcile-payments'],
    context?: Partial<JobContext>,
    options: { tiktokLookbackSeconds?: number | undefined; failOnBackfill?: boolean } = {},
  ): Promise<ShopJobs['reconcile-payments']> => {
    const run = await reconcilePayments({
      openPayments: async (after, limit): Promise<OpenPayment[]> =>
        (await deps.orders.openPayments(after, limit, deps.afterMs)).map((o) => ({
          outOrderNo: o.outOrderNo,
          system: o.channel === 'douyin-trade' ? 'trade' : 'ecpay',
          payBy: Date.parse(o.createdAt) + PAY_WINDOW_SECONDS * 1000,
        })),
      cursor: data.cursor,
      maxQueries: deps.maxQueries,
      clients: deps.clients,
      appId: deps.appId,
      store: deps.store,
      onPayment: (event, ctx) => deps.onPayment(event, ctx),
      // The window closed unpaid: cancelled (a payment callback that still comes is applied all the same).
      onExpired: (order) =>
        deps.orders.update(order.outOrderNo, (o) =>
          o?.status === 'created' ? { ...o, status: 'cancelled' } : undefined,
        ),
      leaseMs: deps.leaseMs,
      doneTtlMs: deps.doneTtlMs,
      ...(context?.signal ? { signal: context.signal } : {}),
    });
    for (const finding of run.findings) {
      if (finding.outcome === 'failed') {
        const error = finding.error instanceof Error ? finding.error.message : String(finding.error);
        log.warn(
          { outOrderNo: finding.outOrderNo, error },
          'could not reconcile the order; the rotation comes back to it',
        );
      } else if (finding.outcome !== 'open') {
        log.info({ outOrderNo: finding.outOrderNo, outcome: finding.outcome }, 'order reconciled');
      }
    }
    let tiktokUntil = data.tiktokUntil;
    if (deps.backfillTikTok) {
      try {
        tiktokUntil = await deps.backfillTikTok(
          { after: data.tiktokUntil, lookbackSeconds: options.tiktokLookbackSeconds },
          context?.signal,
        );
      } catch (error) {
        if (options.failOnBackfill) throw error;
        const message = error instanceof Error ? error.message : String(error);
        log.warn(
          { error: message },
          'the TikTok backfill failed; the next run tries again from the same mark',
        );
      }
    }
    return {
      ...(run.cursor === undefined ? {} : { cursor: run.cursor }),
      ...(tiktokUntil === undefined ? {} : { tiktokUntil }),
    };
  };
}
