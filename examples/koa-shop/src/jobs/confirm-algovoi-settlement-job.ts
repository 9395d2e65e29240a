import type { AlgoVoiClient } from '@ttpay/client';
import type { Logger } from '../logger.js';
import type { OrderRepository } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import type { JobHandler } from './job-queue.js';
import type { ShopJobQueue, ShopJobs } from './shop-jobs.js';

export interface ConfirmAlgoVoiSettlementJobDeps {
  orders: OrderRepository;
  algovoi: AlgoVoiClient;
  jobs: ShopJobQueue;
  logger: Logger;
}

/**
 * After a gateway webhook for an outside settlement: read `GET /checkout/{token}/status` — the webhook is
 * only the gateway saying so (docs/PROTOCOLS.md §4.3, §4.4). Paid: the settlement is recorded paid, and an
 * order held for it (`awaiting_payment`) is released to ship through TikTok. Not paid yet: retried (the
 * gateway may confirm a little later). Idempotent: a settlement recorded paid is left alone.
 */
export function confirmAlgoVoiSettlementJob(
  deps: ConfirmAlgoVoiSettlementJobDeps,
): JobHandler<ShopJobs['confirm-algovoi-settlement']> {
  const { orders, algovoi, jobs } = deps;
  const log = deps.logger.child({ component: 'job', job: 'confirm-algovoi-settlement' });

  return async ({ outOrderNo, token, txId }, { signal }) => {
    const order = await orders.get(outOrderNo);
    const settlement = order?.algovoi;
    // The webhook handler records the token (a link matched by label) in its transaction, which may not
    // have committed when this job starts: try again shortly.
    if (settlement && settlement.token === undefined)
      throw new Error(`Settlement of ${outOrderNo} has no token (yet).`);
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
      const paidTx = checkout.tx_id ?? txId;
      await orders.update(outOrderNo, (o) =>
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
      log.info({ outOrderNo, token, txId: paidTx }, 'outside settlement paid (confirmed by its status)');
    }
    const now = await orders.get(outOrderNo);
    if (now?.status === 'paid' && now.platformOrderId) {
      await jobs.enqueue('ship-tiktok-order', { outOrderNo }, { jobId: now.platformOrderId });
    }
  };
}
