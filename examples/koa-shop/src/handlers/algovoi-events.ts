import type { AlgoVoiEvent } from '@ttpay/core';
import type { Jobs } from '../jobs/shop-jobs.js';
import type { Logger } from '../logger.js';
import { appliedEvent } from '../orders/applied-event.js';
import { type OrderRepository, ordersFor, type TxScope, txOf } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import { outOrderNoOfLabel } from '../orders/tiktok-order.js';

export interface AlgoVoiHandlerDeps {
  orders: OrderRepository;
  jobs: Pick<Jobs, 'add'>;
  logger: Logger;
}

/**
 * The handler for `algoVoiWebhooks`: a verified `payment.confirmed` event (keyed on its id) for one of the
 * shop's outside settlements. The event says the gateway saw a payment; the job reads
 * `GET /checkout/{token}/status` before anything is settled or shipped; it is added in the handler's
 * transaction, so it exists if and only if the webhook's record committed. The job key is the token.
 *
 * The link is found by `data.payment_link_token`, or — when the answer to its creation was lost, so the
 * shop never learned the token — by `data.payment_link_label`, which the shop wrote before asking the
 * gateway (docs/PROTOCOLS.md §4.2). A checkout the shop has no record of is acknowledged and recorded as an
 * anomaly: the shop records every label before the gateway hears of it, so a retry would not find it either.
 */
export function algovoiEventHandler({ orders: repository, jobs, logger }: AlgoVoiHandlerDeps) {
  const log = logger.child({ component: 'algovoi-events' });

  return async function onAlgoVoiEvent(event: AlgoVoiEvent, scope: TxScope): Promise<void> {
    const orders = ordersFor(repository, scope);
    const { payment_link_token: token, payment_link_label: label, tx_id: txId } = event.data;
    if (!token) {
      await reportAnomaly(orders, log, {
        kind: 'unknown-order',
        platform: 'algovoi',
        key: event.key,
        ref: event.id,
        detail: 'a gateway webhook without data.payment_link_token',
      });
      return;
    }
    const order = (await orders.findByCheckoutToken(token)) ?? (await byLabel(orders, label));
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
    const { outOrderNo } = order;
    const { changed } = await orders.update(
      outOrderNo,
      (o) => {
        const s = o?.algovoi;
        if (!o || !s || (s.token !== undefined && s.token !== token)) return undefined;
        if (s.token === token && s.gatewayEvent === event.type) return undefined;
        return {
          ...o,
          algovoi: {
            ...s,
            // A link whose create answer was lost: its webhook brings the token (matched by label).
            link: 'created',
            token,
            gatewayEvent: event.type,
            ...(txId ? { txId: s.txId ?? txId } : {}),
          },
        };
      },
      appliedEvent(event),
    );
    log.info({ outOrderNo, token, type: event.type, changed }, 'gateway webhook recorded');
    if (!order.algovoi.paidAt) {
      await jobs.add(
        txOf(scope),
        'confirm-algovoi-settlement',
        { outOrderNo, token, ...(txId ? { txId } : {}) },
        token,
      );
    }
  };
}

/** The order whose settlement was created with exactly this label and has no token yet. */
async function byLabel(orders: OrderRepository, label: string | undefined) {
  if (!label) return undefined;
  const outOrderNo = outOrderNoOfLabel(label);
  if (outOrderNo === undefined) return undefined;
  const order = await orders.get(outOrderNo);
  const settlement = order?.algovoi;
  return settlement?.label === label && settlement.token === undefined ? order : undefined;
}
