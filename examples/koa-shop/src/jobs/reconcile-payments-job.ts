import {
  type DouyinEcpayClient,
  type DouyinTradeClient,
  type ReconcileDouyinRun,
  reconcileDouyin,
} from '@ttpay/client';
import type {
  EcpayPaymentEvent,
  EcpayRefundEvent,
  EcpaySettleEvent,
  TradePaymentEvent,
  TradeRefundEvent,
  TradeSettleEvent,
} from '@ttpay/core';
import type { IdempotencyStore } from '@ttpay/core/store';
import { douyinSystemOf } from '../handlers/douyin-events.js';
import type { Logger } from '../logger.js';
import type { OrderRecord, OrderRepository, TxScope } from '../orders/order-repository.js';
import type { SqlOrderRepository } from '../orders/sql-order-repository.js';
import { PAY_WINDOW_SECONDS } from '../routes/orders.js';
import type { JobContext, ShopJobs } from './shop-jobs.js';

export interface ReconcileDeps {
  orders: Pick<SqlOrderRepository, 'openPayments' | 'inProgress'> & Pick<OrderRepository, 'update'>;
  clients: { ecpay: DouyinEcpayClient; trade: DouyinTradeClient };
  /** The store the callbacks go through: the same keys, so a reconciled event and its callback are one event. */
  store: IdempotencyStore;
  /** The Douyin handlers the callbacks use (`douyinEventHandlers(…)`). */
  handlers: {
    onPayment(event: EcpayPaymentEvent | TradePaymentEvent, scope: TxScope): Promise<void>;
    onRefund(event: EcpayRefundEvent | TradeRefundEvent, scope: TxScope): Promise<void>;
    onSettle(event: EcpaySettleEvent | TradeSettleEvent, scope: TxScope): Promise<void>;
  };
  appId: string;
  /** Only what is older than this is asked about: younger ones still get their callback. */
  afterMs: number;
  /** Platform queries per run, shared by payments, refunds and settlements (one each). */
  maxQueries: number;
  /** The callbacks' lease and done-TTL (claimTtlMs, doneTtlMs of @ttpay/koa's douyinCallbacks). */
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
 * Reconciliation as a repeating job: `reconcileDouyin` of @ttpay/client asks Douyin about the open
 * payments, refunds and settlements — the next ones of a fair rotation per kind, `maxQueries` in all (the
 * cursors travel in the job's data to the next run) — and applies each final answer through the callbacks'
 * own handlers and store; orders past their payment window are cancelled. Required for the trade system,
 * whose callbacks are retried for about half an hour only (docs/PROTOCOLS.md §2.3). Then the TikTok
 * backfill looks for orders whose webhooks were lost, from where the last run's ended (`tiktokUntil`); a
 * failed backfill is logged and tried again by the next run, from the same mark, without holding up
 * Douyin's rotations. Resolves to the next run's data.
 */
export function reconcilePaymentsJob(deps: ReconcileDeps) {
  const log = deps.logger.child({ component: 'reconcile' });
  const { orders, handlers, afterMs } = deps;
  // The rotations list Douyin orders only.
  const system = (o: Pick<OrderRecord, 'channel'>) => douyinSystemOf(o) ?? 'ecpay';
  const inProgress = (kind: 'refunds' | 'settlements') => (after: string | undefined, limit: number) =>
    orders.inProgress(kind, after, limit, afterMs);
  return async (
    data: ShopJobs['reconcile-payments'],
    context?: Partial<JobContext>,
    options: { tiktokLookbackSeconds?: number | undefined; failOnBackfill?: boolean } = {},
  ): Promise<ShopJobs['reconcile-payments']> => {
    const run = await reconcileDouyin({
      payments: {
        open: async (after, limit) =>
          (await orders.openPayments(after, limit, afterMs)).map((o) => ({
            outOrderNo: o.outOrderNo,
            system: system(o),
            payBy: Date.parse(o.createdAt) + PAY_WINDOW_SECONDS * 1000,
          })),
        onPayment: handlers.onPayment,
        // The window closed unpaid: cancelled (a payment callback that still comes is applied all the same).
        onExpired: (order) =>
          orders.update(order.outOrderNo, (o) =>
            o?.status === 'created' ? { ...o, status: 'cancelled' } : undefined,
          ),
      },
      refunds: {
        open: async (after, limit) =>
          (await inProgress('refunds')(after, limit)).map((r) => ({
            outRefundNo: r.number,
            system: system(r),
            orderId: r.platformOrderId,
          })),
        onRefund: handlers.onRefund,
      },
      settlements: {
        open: async (after, limit) =>
          (await inProgress('settlements')(after, limit)).map((s) => ({
            outSettleNo: s.number,
            system: system(s),
            orderId: s.platformOrderId,
            outOrderNo: s.outOrderNo,
          })),
        onSettle: handlers.onSettle,
      },
      cursor: data.cursor,
      maxQueries: deps.maxQueries,
      clients: deps.clients,
      appId: deps.appId,
      store: deps.store,
      leaseMs: deps.leaseMs,
      doneTtlMs: deps.doneTtlMs,
      signal: context?.signal,
    });
    logFindings(log, run);
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
      ...(Object.keys(run.cursor).length === 0 ? {} : { cursor: run.cursor }),
      ...(tiktokUntil === undefined ? {} : { tiktokUntil }),
    };
  };
}

/** What the run found, by kind: applied ones at info, failures (asked again next rotation) and unknown numbers at warn. */
function logFindings(log: Logger, run: ReconcileDouyinRun): void {
  const findings = [
    ...run.payments.map((f) => ({ kind: 'payment', ref: f.outOrderNo, finding: f })),
    ...run.refunds.map((f) => ({ kind: 'refund', ref: f.outRefundNo, finding: f })),
    ...run.settlements.map((f) => ({ kind: 'settlement', ref: f.outSettleNo, finding: f })),
  ];
  for (const { kind, ref, finding } of findings) {
    if (finding.outcome === 'failed') {
      const error = finding.error instanceof Error ? finding.error.message : String(finding.error);
      log.warn({ kind, ref, error }, 'could not reconcile; the rotation comes back to it');
    } else if (finding.outcome === 'not-found') {
      log.warn({ kind, ref }, 'Douyin has no such number: its create never reached the platform');
    } else if (finding.outcome !== 'open') {
      log.info({ kind, ref, outcome: finding.outcome }, 'reconciled');
    }
  }
}
