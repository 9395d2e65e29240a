import type { AlgoVoiClient } from '@ttpay/client';
import type { Logger } from '../logger.js';
import { type InTransaction, type OrderRepository, ordersFor, txOf } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import type { JobContext, Jobs, ShopJobs } from './shop-jobs.js';

export interface ConfirmAlgoVoiSettlementJobDeps {
  orders: OrderRepository;
  algovoi: AlgoVoiClient;
  jobs: Pick<Jobs, 'add'>;
  transaction: InTransaction;
  logger: Logger;
}

/**
 * After a gateway webhook for an outside settlement: read `GET /checkout/{token}/status` — the webhook is
 * only the gateway saying so (docs/PROTOCOLS.md §4.3, §4.4). Paid: the settlement is recorded paid, and an
 * order held for it (`awaiting_payment`) is released to ship through TikTok — the ship job added in the
 * same transaction. Not paid yet: retried (the gateway may confirm a little later). Idempotent: a
 * settlement recorded paid is left alone (a retry after a lost commit adds the ship job again, a no-op).
 */
export function confirmAlgoVoiSettlementJob(
  deps: ConfirmAlgoVoiSettlementJobDeps,
): (data: ShopJobs['confirm-algovoi-settlement'], context: JobContext) => Promise<void> {
  const { orders, algovoi, jobs, transaction } = deps;
  const log = deps.logger.child({ component: 'job', job: 'confirm-algovoi-settlement' });

  return async ({ outOrderNo, token, txId }, { signal }) => {
    const order = await orders.get(outOrderNo);
    const settlement = order?.algovoi;
    // The webhook handler recorded the token (a link matched by label) in the transaction that added this job.
    if (!order || settlement?.token !== token) {
      await reportAnomaly(orders, log, {
        kind: 'settlement-refused',
        platform: 'algovoi',
        ref: token,
        outOrderNo,
        detail: 'no settlement with this checkout token is recorded for the order',
      });
      return;
    }
    let paidTx = settlement.txId;
    if (!settlement.paidAt) {
      const checkout = await algovoi.verifyPayment(token, { signal });
      if (!checkout.paid) throw new Error(`Checkout ${token} is "${checkout.status}", not paid (yet).`);
      if (txId && checkout.tx_id && txId !== checkout.tx_id) {
        // Paid all the same (the gateway's status says so); the contradiction is for a human.
        await reportAnomaly(orders, log, {
          kind: 'settlement-refused',
          platform: 'algovoi',
          ref: token,
          outOrderNo,
          detail: `the webhook's tx_id differs from the checkout's (${checkout.tx_id}); recorded the checkout's`,
        });
      }
      paidTx = checkout.tx_id ?? txId;
    }
    await transaction(async (scope) => {
      const { order: now, changed } = await ordersFor(orders, scope).update(outOrderNo, (o) =>
        o?.algovoi && o.algovoi.token === token && !o.algovoi.paidAt
          ? {
              ...o,
              // Released: it ships through TikTok now (the ship job), unless it did already.
              status: o.status === 'awaiting_payment' ? 'paid' : o.status,
              algovoi: {
                ...o.algovoi,
                paidAt: new Date().toISOString(),
                ...(paidTx ? { txId: paidTx } : {}),
              },
            }
          : undefined,
      );
      if (changed)
        log.info({ outOrderNo, token, txId: paidTx }, 'outside settlement paid (confirmed by its status)');
      if (now?.status === 'paid' && now.platformOrderId) {
        await jobs.add(txOf(scope), 'ship-tiktok-order', { outOrderNo }, now.platformOrderId);
      }
    });
  };
}
