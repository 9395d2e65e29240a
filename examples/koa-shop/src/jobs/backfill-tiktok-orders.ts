import type { TikTokShopClient } from '@ttpay/client';
import type { Logger } from '../logger.js';
import { type InTransaction, type OrderRepository, ordersFor, txOf } from '../orders/order-repository.js';
import { applyTikTokOrderStatus, TO_SHIP, tiktokOutOrderNo } from '../orders/tiktok-order.js';
import type { Jobs } from './shop-jobs.js';

/** Each pass starts this long before the last one ended: updates TikTok records a little late. */
const OVERLAP_SECONDS = 600;

export interface BackfillTikTokOrdersDeps {
  orders: OrderRepository;
  tiktok: TikTokShopClient;
  jobs: Pick<Jobs, 'add'>;
  transaction: InTransaction;
  logger: Logger;
  /** How far back a pass looks (by update time) when no earlier pass says where it ended. */
  lookbackSeconds: number;
  now?: () => number;
}

/**
 * TikTok retries a webhook 4 times over about 15.5 hours and stops — at once if the shop answered 401
 * (docs/PROTOCOLS.md §3.1). What such a lost webhook would have said is found by asking: Search Orders
 * for every order updated since the last pass, and Search Cancellations for requests still pending. Each
 * order goes through the same function as its webhook (`applyTikTokOrderStatus`), with the jobs it calls
 * for added in the same transaction, so when the webhook does arrive late it finds its news applied: a
 * duplicate that changes nothing. Part of the repeating reconciliation job, which carries where a pass
 * ended (`until`) to the next run; a pass with no such mark looks back `lookbackSeconds` (or
 * `options.lookbackSeconds`). Resolves to where this pass ended, Unix seconds.
 */
export function backfillTikTokOrders(deps: BackfillTikTokOrdersDeps) {
  const { orders, tiktok, jobs, transaction } = deps;
  const log = deps.logger.child({ component: 'backfill-tiktok-orders' });
  const now = deps.now ?? Date.now;

  return async (
    options: { after?: number | undefined; lookbackSeconds?: number | undefined },
    signal?: AbortSignal,
  ): Promise<number> => {
    const until = Math.floor(now() / 1000) + 1;
    const since =
      options.lookbackSeconds !== undefined
        ? until - options.lookbackSeconds
        : options.after !== undefined
          ? options.after - OVERLAP_SECONDS
          : until - deps.lookbackSeconds;
    const call = signal ? { signal } : {};
    let seen = 0;
    let applied = 0;
    for await (const order of tiktok.searchAllOrders(
      { update_time_ge: since, update_time_lt: until },
      { page_size: 50 },
      call,
    )) {
      seen++;
      const status = String(order.status ?? '');
      const news = { orderId: order.id, status, updateTime: order.update_time };
      await transaction(async (scope) => {
        const { order: record, changed } = await applyTikTokOrderStatus(ordersFor(orders, scope), news, {
          platform: 'tiktok',
          type: 'ORDER_STATUS_BACKFILLED',
          key: `tiktok:backfill:${order.id}:${status}:${order.update_time ?? ''}`,
          ref: order.id,
          at: new Date().toISOString(),
        });
        if (changed) applied++;
        if (TO_SHIP.has(status) && record?.status === 'paid') {
          await jobs.add(
            txOf(scope),
            'ship-tiktok-order',
            { outOrderNo: tiktokOutOrderNo(order.id) },
            order.id,
          );
        }
      });
    }
    const { cancellations } = await tiktok.searchCancellations(
      { cancel_status: ['CANCELLATION_REQUEST_PENDING'], update_time_ge: since, update_time_lt: until },
      { page_size: 50 },
      call,
    );
    for (const c of cancellations) {
      const data = { outOrderNo: tiktokOutOrderNo(c.order_id), orderId: c.order_id, cancelId: c.cancel_id };
      await jobs.add(undefined, 'answer-tiktok-cancellation', data, c.cancel_id);
    }
    log.info(
      { since, until, seen, applied, pendingCancellations: cancellations.length },
      'TikTok backfill ran',
    );
    return until;
  };
}
