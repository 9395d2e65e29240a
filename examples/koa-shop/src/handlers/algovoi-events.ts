import { ALGOVOI_PAID_STATUSES } from '@ttpay/client';
import type { AlgoVoiEvent } from '@ttpay/core';
import type { Jobs } from '../jobs/shop-jobs.js';
import type { Logger } from '../logger.js';
import { appliedEvent } from '../orders/applied-event.js';
import { type OrderRepository, ordersFor, type TxScope, txOf } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';

export interface AlgoVoiHandlerDeps {
  orders: OrderRepository;
  jobs: Pick<Jobs, 'add'>;
  logger: Logger;
}

const PAID: ReadonlySet<string> = new Set(ALGOVOI_PAID_STATUSES);

/**
 * The handler for `algovoiWebhooks`. The gateway's webhook is a hint (its fields are undocumented): the
 * handler records it and adds the ship job in the same transaction, which reads the checkout back before
 * anything ships. The job key is the checkout token: "paid" and "confirmed" for one checkout make one job.
 *
 * A token the shop has no link for is acknowledged and recorded as an anomaly: links are recorded before
 * any buyer can see them, so a retry would not find it either.
 */
export function algovoiEventHandler({ orders: repository, jobs, logger }: AlgoVoiHandlerDeps) {
  const log = logger.child({ component: 'algovoi-events' });

  return async function onAlgoVoiEvent(event: AlgoVoiEvent, scope: TxScope): Promise<void> {
    const orders = ordersFor(repository, scope);
    const { token } = event;
    if (!token) {
      log.warn({ key: event.key }, 'gateway webhook without a checkout token: nothing to confirm');
      return;
    }
    const order = await orders.findByCheckoutToken(token);
    if (!order?.algovoi) {
      await reportAnomaly(orders, log, {
        kind: 'unknown-order',
        platform: 'algovoi',
        key: event.key,
        ref: token,
        detail: 'a gateway webhook for a checkout this shop did not create',
      });
      return;
    }
    await orders.update(
      order.outOrderNo,
      (o) =>
        o?.algovoi && o.algovoi.gatewayStatus !== event.status
          ? {
              ...o,
              algovoi: {
                ...o.algovoi,
                ...(event.status === undefined ? {} : { gatewayStatus: event.status }),
              },
            }
          : undefined,
      appliedEvent(event),
    );
    const claimsPaid = event.status === undefined || PAID.has(event.status);
    log.info({ outOrderNo: order.outOrderNo, token, status: event.status }, 'gateway webhook recorded');
    if (claimsPaid && !order.algovoi.shippedAt) {
      await jobs.add(
        txOf(scope),
        'ship-tiktok-order',
        { outOrderNo: order.outOrderNo, token, ...(event.tx_id ? { txId: event.tx_id } : {}) },
        token,
      );
    }
  };
}
