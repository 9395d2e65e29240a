import type { SimContext } from './sim-context.js';
import { SimulatorError } from './simulator-error.js';
import { sendTikTokWebhook } from './tiktok-webhooks.js';
import type { DeliveryResult, Simulator } from './types.js';

/** Webhook types the controls announce (docs/PROTOCOLS.md §3.1). */
const ORDER_STATUS_CHANGE = 1;
const CANCELLATION_STATUS_CHANGE = 11;

/**
 * `sim.tiktok`: the shop's orders as TikTok holds them, and what a buyer does to them — pays at TikTok's
 * checkout (no payment gateway involved), asks to cancel — each announced by its webhook, which can be
 * "lost" to leave something for a backfill to find.
 */
export function createTikTokControl(sim: SimContext): Simulator['tiktok'] {
  const store = sim.tiktok;
  const orderOf = (orderId: string) => {
    const order = store.orders.get(orderId);
    if (!order) throw new SimulatorError('UNKNOWN_ORDER', `No TikTok order "${orderId}": add it first.`);
    return order;
  };
  const lost = (url: string | undefined): DeliveryResult => ({
    url: url ?? sim.options.tiktok.webhookUrl ?? '',
    attempts: 0,
    acknowledged: false,
    responses: [],
  });

  return {
    addOrder: (order) => store.addOrder(order),
    order: (orderId) => {
      const found = store.orders.get(orderId);
      return found ? store.render(found) : undefined;
    },
    shipments: (orderId) => (store.shipments.get(orderId) ?? []).map((s) => ({ ...s })),
    sendWebhook: (type, data, opts) => sendTikTokWebhook(sim, type, data, opts),

    async pay(orderId, opts = {}) {
      const order = orderOf(orderId);
      store.pay(order);
      if (opts.loseWebhook === true) return lost(opts.url);
      const data = {
        order_id: order.id,
        order_status: order.status,
        is_on_hold_order: false,
        update_time: order.update_time,
      };
      return sendTikTokWebhook(sim, ORDER_STATUS_CHANGE, data, {
        ...(opts.url === undefined ? {} : { url: opts.url }),
        ...(opts.duplicates === undefined ? {} : { duplicates: opts.duplicates }),
      });
    },

    async requestCancellation(orderId, opts = {}) {
      const order = orderOf(orderId);
      const cancellation = store.requestCancellation(
        order,
        opts.reason ?? 'ecom_order_to_ship_canceled_reason_created_by_mistakes',
      );
      const delivery = opts.loseWebhook
        ? lost(opts.url)
        : await sendTikTokWebhook(
            sim,
            CANCELLATION_STATUS_CHANGE,
            {
              order_id: order.id,
              cancellations_role: 'BUYER',
              cancel_status: cancellation.cancel_status,
              cancel_id: cancellation.cancel_id,
              create_time: cancellation.create_time,
            },
            opts.url === undefined ? {} : { url: opts.url },
          );
      return { cancel_id: cancellation.cancel_id, delivery };
    },

    cancellation(cancelId) {
      const found = store.cancellations.get(cancelId);
      return found
        ? {
            ...store.renderCancellation(found),
            ...(found.reject_reason ? { reject_reason: found.reject_reason } : {}),
          }
        : undefined;
    },

    expireAccessTokens() {
      store.expireAccessTokens();
    },
  };
}
