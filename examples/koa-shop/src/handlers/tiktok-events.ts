import type { TikTokEvent, TikTokEventOf } from '@ttpay/core';
import type { Jobs } from '../jobs/shop-jobs.js';
import type { Logger } from '../logger.js';
import { appliedEvent } from '../orders/applied-event.js';
import { type OrderRepository, ordersFor, type TxScope, txOf } from '../orders/order-repository.js';
import { applyTikTokOrderStatus, TO_SHIP, tiktokOutOrderNo } from '../orders/tiktok-order.js';

export interface TikTokHandlerDeps {
  orders: OrderRepository;
  jobs: Pick<Jobs, 'add'>;
  logger: Logger;
}

/**
 * Handlers for `tikTokWebhooks`. TikTok waits 3 s for the reply, so a handler only records the fact and
 * adds the slow work as a retried job, in the same transaction as the order change: the job exists if and
 * only if the change committed. An `AWAITING_SHIPMENT` order has been PAID at TikTok's checkout: it is
 * shipped through TikTok's own flow, and no payment link is ever made for it (docs/PROTOCOLS.md §3.8).
 * Job keys are TikTok's ids: redeliveries, and several notifications about one order, make one job; every
 * job checks the order's state, so a repeat does nothing.
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
        // Added even when nothing changed (the backfill may have recorded the status first); the key makes a
        // second one a no-op while the first waits, and the job ships at most once.
        if (TO_SHIP.has(status) && onHold !== true && order?.status === 'paid') {
          await jobs.add(txOf(scope), 'ship-tiktok-order', { outOrderNo }, orderId);
        }
      },

      /**
       * Type 11. A buyer's request (`CANCELLATION_REQUEST_PENDING`) waits for the seller: the job answers it
       * by the shop's rule. The others report an outcome; a cancellation that went through also comes as a
       * type-1 `CANCEL`, which cancels the order.
       */
      async CANCELLATION_STATUS_CHANGE(
        event: TikTokEventOf<'CANCELLATION_STATUS_CHANGE'>,
        scope: TxScope,
      ): Promise<void> {
        const { order_id: orderId, cancel_status: status, cancel_id: cancelId } = event.data;
        const outOrderNo = tiktokOutOrderNo(orderId);
        log.info({ outOrderNo, cancelStatus: status, cancelId }, 'TikTok cancellation status');
        if (status === 'CANCELLATION_REQUEST_PENDING' && typeof cancelId === 'string' && cancelId !== '') {
          await jobs.add(
            txOf(scope),
            'answer-tiktok-cancellation',
            { outOrderNo, orderId, cancelId },
            cancelId,
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
        scope: TxScope,
      ): Promise<void> {
        const expirationTime =
          typeof event.data.expiration_time === 'string' ? event.data.expiration_time : undefined;
        await jobs.add(
          txOf(scope),
          'refresh-tiktok-token',
          expirationTime === undefined ? {} : { expirationTime },
          `authorization-expiring:${event.tts_notification_id}`,
        );
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
