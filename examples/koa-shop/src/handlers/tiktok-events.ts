import type { TikTokEvent, TikTokEventOf } from '@ttpay/core';
import type { ShopJobQueue } from '../jobs/shop-jobs.js';
import type { Logger } from '../logger.js';
import { appliedEvent } from '../orders/applied-event.js';
import { type OrderRepository, ordersFor, type TxScope } from '../orders/order-repository.js';
import { applyTikTokOrderStatus, TO_SHIP, tiktokOutOrderNo } from '../orders/tiktok-order.js';

export interface TikTokHandlerDeps {
  orders: OrderRepository;
  jobs: ShopJobQueue;
  logger: Logger;
}

/**
 * Handlers for `tiktokWebhooks`. TikTok waits 3 s for the reply, so a handler only records the fact and
 * enqueues the slow work as a retried job. An `AWAITING_SHIPMENT` order has been PAID at TikTok's
 * checkout: it is shipped through TikTok's own flow, and no payment link is ever made for it
 * (docs/PROTOCOLS.md §3.8). Job ids are TikTok's ids: redeliveries, and several notifications about one
 * order, make one job; every job checks the order's state, so a repeat does nothing.
 */
export function tiktokEventHandlers({ orders: repository, jobs, logger }: TikTokHandlerDeps) {
  const log = logger.child({ component: 'tiktok-events' });

  return {
    on: {
      async ORDER_STATUS_CHANGE(event: TikTokEventOf<'ORDER_STATUS_CHANGE'>, scope: TxScope): Promise<void> {
        const orders = ordersFor(repository, scope);
        const { order_id: orderId, order_status: status, is_on_hold_order: onHold } = event.data;
        const updateTime = typeof event.data.update_time === 'number' ? event.data.update_time : undefined;
        const { order, changed } = await applyTikTokOrderStatus(
          orders,
          { orderId, status, updateTime },
          appliedEvent(event),
        );
        const outOrderNo = tiktokOutOrderNo(orderId);
        log.info({ outOrderNo, orderStatus: status, onHold, changed }, 'TikTok order status recorded');
        // Enqueued even when nothing changed: an earlier delivery may have recorded the status and then
        // failed to enqueue. The job reads the order as committed and ships at most once.
        if (TO_SHIP.has(status) && onHold !== true && order?.status === 'paid') {
          await jobs.enqueue('ship-tiktok-order', { outOrderNo }, { jobId: orderId });
        }
      },

      /**
       * Type 11. A buyer's request (`CANCELLATION_REQUEST_PENDING`) waits for the seller: the job answers it
       * by the shop's rule. The others report an outcome; a cancellation that went through also comes as a
       * type-1 `CANCEL`, which cancels the order.
       */
      async CANCELLATION_STATUS_CHANGE(event: TikTokEventOf<'CANCELLATION_STATUS_CHANGE'>): Promise<void> {
        const { order_id: orderId, cancel_status: status, cancel_id: cancelId } = event.data;
        const outOrderNo = tiktokOutOrderNo(orderId);
        log.info({ outOrderNo, cancelStatus: status, cancelId }, 'TikTok cancellation status');
        if (status === 'CANCELLATION_REQUEST_PENDING' && typeof cancelId === 'string' && cancelId !== '') {
          await jobs.enqueue(
            'answer-tiktok-cancellation',
            { outOrderNo, orderId, cancelId },
            { jobId: cancelId },
          );
        }
      },

      /**
       * Type 7, sent daily from 30 days before the seller's authorization expires: refresh the access token
       * and tell a human that the seller must re-authorize (a refresh does not extend the authorization,
       * docs/PROTOCOLS.md §3.5).
       */
      async UPCOMING_AUTHORIZATION_EXPIRATION(
        event: TikTokEventOf<'UPCOMING_AUTHORIZATION_EXPIRATION'>,
      ): Promise<void> {
        const expirationTime =
          typeof event.data.expiration_time === 'string' ? event.data.expiration_time : undefined;
        await jobs.enqueue('refresh-tiktok-token', expirationTime === undefined ? {} : { expirationTime }, {
          jobId: `authorization-expiring:${event.tts_notification_id}`,
        });
      },
    },
    /** Other webhook types (returns, products, deauthorisation…): acknowledged; this shop does not act on them. */
    async onEvent(event: TikTokEvent): Promise<void> {
      log.info(
        { key: event.key, name: event.name, type: event.type },
        'TikTok webhook this shop does not act on',
      );
    },
  };
}
