import {
  type AlgoVoiNetwork,
  isTtpayClientError,
  type SettlementClients,
  settleTikTokOrderViaAlgoVoi,
} from '@ttpay/client';
import { isTtpayError } from '@ttpay/core';
import type { Logger } from '../logger.js';
import type { OrderRepository } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import { decimalToMinorUnits, newTikTokOrder } from '../orders/tiktok-order.js';
import type { JobContext, ShopJobs } from './shop-jobs.js';

export interface SettleTikTokOrderJobDeps {
  orders: OrderRepository;
  clients: SettlementClients;
  network: AlgoVoiNetwork;
  logger: Logger;
}

/**
 * Step 1 of TikTok Shop → AlgoVoi, run after the webhook was acknowledged: fetch the order (the webhook
 * has no amount), create the payment link, record it. Idempotent: an order that has a link never gets a
 * second one (creating a link is not). A platform that is down throws, and the queue retries.
 */
export function settleTikTokOrderJob(
  deps: SettleTikTokOrderJobDeps,
): (data: ShopJobs['settle-tiktok-order'], context: JobContext) => Promise<void> {
  const { orders, clients, network } = deps;
  const log = deps.logger.child({ component: 'job', job: 'settle-tiktok-order' });

  return async ({ outOrderNo, event }, { attempt, signal }) => {
    const orderId = event.data.order_id;
    const existing = await orders.get(outOrderNo);
    if (existing?.algovoi) {
      log.debug({ outOrderNo, token: existing.algovoi.token }, 'order has a payment link already');
      return;
    }

    let result: Awaited<ReturnType<typeof settleTikTokOrderViaAlgoVoi>>;
    try {
      result = await settleTikTokOrderViaAlgoVoi(event, clients, { preferred_network: network, signal });
    } catch (error) {
      // A TtpayClientError is a TtpayError too, but a platform that could not be reached: retried.
      if (isTtpayError(error) && !isTtpayClientError(error)) {
        // Refused before anything was sent to AlgoVoi: an amount that is not positive (or not at most two
        // decimals), a currency off the allow-list, an order without an amount. A retry cannot change
        // that, so the job ends here and a human gets the anomaly.
        await reportAnomaly(orders, log, {
          kind: 'settlement-refused',
          platform: 'tiktok',
          key: event.key,
          ref: orderId,
          outOrderNo,
          detail: error.message,
        });
        return;
      }
      throw error; // TikTok or AlgoVoi down, a timeout, a 5xx: try again later
    }

    if (result.outcome === 'skipped') {
      // TikTok's order API can lag behind its own webhook: worth another try.
      if (result.reason === 'order-not-found')
        throw new Error(`TikTok does not serve order ${orderId} (yet).`);
      log.info(
        { outOrderNo, reason: result.reason, orderStatus: result.order_status },
        'no payment link needed',
      );
      return;
    }

    if (result.outcome === 'link-outcome-unknown') {
      // The gateway may hold a link already (its answer was lost): another create could give the buyer
      // two. Not retried; a human finds the link by its label and records it (docs/PROTOCOLS.md §4.2).
      await reportAnomaly(orders, log, {
        kind: 'settlement-refused',
        platform: 'algovoi',
        key: event.key,
        ref: orderId,
        outOrderNo,
        detail: `payment link outcome unknown; find the link labelled "${result.label}" before creating another`,
      });
      return;
    }

    const { link } = result;
    const { changed } = await orders.update(outOrderNo, (o) => {
      if (o?.algovoi) return undefined;
      return {
        ...(o ?? newTikTokOrder(orderId)),
        amount: decimalToMinorUnits(result.amount),
        currency: result.currency,
        status: 'awaiting_payment',
        algovoi: {
          token: link.token,
          checkoutUrl: link.checkout_url,
          amount: result.amount,
          currency: result.currency,
          packageIds: result.package_ids,
          linkCreatedAt: new Date().toISOString(),
        },
      };
    });
    if (!changed) {
      // Only a second, concurrent run could get here; the queue's job id (the TikTok order id) prevents it.
      log.error(
        { outOrderNo, token: link.token },
        'a second payment link was created for an order; it is not used',
      );
      return;
    }
    log.info(
      { outOrderNo, amount: result.amount, currency: result.currency, token: link.token, attempt },
      'payment link created',
    );
  };
}
