import type { TikTokShopClient } from '@ttpay/client';
import type { Logger } from '../logger.js';
import type { OrderRepository } from '../orders/order-repository.js';
import { applyTikTokOrderStatus, TO_SHIP, tiktokOutOrderNo } from '../orders/tiktok-order.js';
import type { JobHandler } from './job-queue.js';
import type { ShopJobQueue, ShopJobs } from './shop-jobs.js';

/** Each pass starts this long before the last one ended. */
const OVERLAP_SECONDS = 600;

export interface BackfillTikTokOrdersJobDeps {
  orders: OrderRepository;
  tiktok: TikTokShopClient;
  jobs: ShopJobQueue;
  logger: Logger;
  /** How far back the first pass of this process looks (by update time); later passes start where it ended. */
  lookbackSeconds: number;
  now?: () => number;
}

/**
 * TikTok retries a webhook 4 times over about 15.5 hours and stops — at once if the shop answered 401
 * (docs/PROTOCOLS.md §3.1). What such a lost webhook would have said is found by asking: Search Orders
 * for every order updated in the last `lookbackSeconds`, and Search Cancellations for requests still
 * pending. Each order goes through the same function as its webhook (`applyTikTokOrderStatus`), so when
 * the webhook does arrive late it finds its news applied: a duplicate that changes nothing, and the jobs
 * it enqueues see the order as it is. Runs with the shop's reconciliation: the first pass of a process looks
 * back `lookbackSeconds`, each later one from where the last successful pass ended (less 10 minutes, for
 * updates TikTok records a little late).
 */
export function backfillTikTokOrdersJob(
  deps: BackfillTikTokOrdersJobDeps,
): JobHandler<ShopJobs['backfill-tiktok-orders']> {
  const { orders, tiktok, jobs } = deps;
  const log = deps.logger.child({ component: 'job', job: 'backfill-tiktok-orders' });
  const now = deps.now ?? Date.now;
  /** Where the last successful pass of this process ended (Unix seconds). */
  let covered: number | undefined;

  return async ({ lookbackSeconds }, { signal }) => {
    const until = Math.floor(now() / 1000) + 1;
    const since =
      lookbackSeconds !== undefined
        ? until - lookbackSeconds
        : covered !== undefined
          ? covered - OVERLAP_SECONDS
          : until - deps.lookbackSeconds;
    let seen = 0;
    let applied = 0;
    for await (const order of tiktok.searchAllOrders(
      { update_time_ge: since, update_time_lt: until },
      { page_size: 50 },
      { signal },
    )) {
      seen++;
      const status = String(order.status ?? '');
      const news = { orderId: order.id, status, updateTime: order.update_time };
      const { order: record, changed } = await applyTikTokOrderStatus(orders, news, {
        platform: 'tiktok',
        type: 'ORDER_STATUS_BACKFILLED',
        key: `tiktok:backfill:${order.id}:${status}:${order.update_time ?? ''}`,
        ref: order.id,
        at: new Date().toISOString(),
      });
      if (changed) applied++;
      if (TO_SHIP.has(status) && record?.status === 'paid') {
        await jobs.enqueue(
          'ship-tiktok-order',
          { outOrderNo: tiktokOutOrderNo(order.id) },
          { jobId: order.id },
        );
      }
    }
    const { cancellations } = await tiktok.searchCancellations(
      { cancel_status: ['CANCELLATION_REQUEST_PENDING'], update_time_ge: since, update_time_lt: until },
      { page_size: 50 },
      { signal },
    );
    for (const c of cancellations) {
      await jobs.enqueue(
        'answer-tiktok-cancellation',
        { outOrderNo: tiktokOutOrderNo(c.order_id), orderId: c.order_id, cancelId: c.cancel_id },
        { jobId: c.cancel_id },
      );
    }
    covered = Math.max(covered ?? 0, until);
    log.info(
      { since, until, seen, applied, pendingCancellations: cancellations.length },
      'TikTok backfill ran',
    );
  };
}
