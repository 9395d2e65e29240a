import { isTikTokOrderCancelled } from '@ttpay/client';
import type { TikTokEvent, TikTokEventOf } from '@ttpay/core';
import type { Jobs } from '../jobs/shop-jobs.js';
import type { Logger } from '../logger.js';
import { appliedEvent } from '../orders/applied-event.js';
import { type OrderRepository, ordersFor, type TxScope, txOf } from '../orders/order-repository.js';
import { newTikTokOrder, tiktokOutOrderNo } from '../orders/tiktok-order.js';

export interface TikTokHandlerDeps {
  orders: OrderRepository;
  jobs: Pick<Jobs, 'add'>;
  logger: Logger;
}

/** Webhook statuses worth a settlement job; the job judges the order as fetched, not the webhook. */
const SETTLE_ON: ReadonlySet<string> = new Set(['AWAITING_SHIPMENT']);

/**
 * Handlers for `tiktokWebhooks`. TikTok waits 3 s for the reply, so a handler only records the fact and
 * adds the slow work (fetch the order, create the AlgoVoi link) as a retried job, in the same transaction
 * as the order change: the job exists if and only if the change committed. The job key is the TikTok
 * order id: redeliveries, and several notifications about one order, make one job.
 */
export function tiktokEventHandlers({ orders: repository, jobs, logger }: TikTokHandlerDeps) {
  const log = logger.child({ component: 'tiktok-events' });

  return {
    on: {
      async ORDER_STATUS_CHANGE(event: TikTokEventOf<'ORDER_STATUS_CHANGE'>, scope: TxScope): Promise<void> {
        const orders = ordersFor(repository, scope);
        const {
          order_id: orderId,
          order_status: status,
          is_on_hold_order: onHold,
          update_time: time,
        } = event.data;
        const outOrderNo = tiktokOutOrderNo(orderId);
        const { order, changed } = await orders.update(
          outOrderNo,
          (o) => {
            // Notifications can arrive out of order: an older one never overwrites a newer status.
            if (o && typeof time === 'number' && (o.platformStatusTime ?? 0) > time) return undefined;
            if (o && o.platformStatus === status) return undefined;
            const current = o ?? newTikTokOrder(orderId);
            return {
              ...current,
              platformStatus: status,
              ...(typeof time === 'number' ? { platformStatusTime: time } : {}),
              // The webhook documents `CANCEL`, the Order API `CANCELLED`: either cancels (docs/PROTOCOLS.md §5.4).
              ...(isTikTokOrderCancelled(status) && current.status !== 'shipped'
                ? { status: 'cancelled' as const }
                : {}),
            };
          },
          appliedEvent(event),
        );
        log.info({ outOrderNo, orderStatus: status, onHold, changed }, 'TikTok order status recorded');
        // Added even when nothing changed (the job reads the order as committed, not the webhook); the key
        // makes a second one a no-op while the first waits.
        if (
          SETTLE_ON.has(status) &&
          onHold !== true &&
          order &&
          !order.algovoi &&
          order.status !== 'cancelled'
        ) {
          await jobs.add(txOf(scope), 'settle-tiktok-order', { outOrderNo, event }, orderId);
        }
      },
    },
    /** Other webhook types (returns, products, authorisation…): acknowledged; this shop does not act on them. */
    async onEvent(event: TikTokEvent): Promise<void> {
      log.info(
        { key: event.key, name: event.name, type: event.type },
        'TikTok webhook this shop does not act on',
      );
    },
  };
}
