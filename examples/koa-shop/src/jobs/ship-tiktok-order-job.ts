import { isTtpayClientError, type SettlementClients, shipTikTokOrderPaidViaAlgoVoi } from '@ttpay/client';
import { isTtpayError } from '@ttpay/core';
import type { Logger } from '../logger.js';
import type { OrderRecord, OrderRepository } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import type { JobContext, ShopJobs } from './shop-jobs.js';

export interface ShipTikTokOrderJobDeps {
  orders: OrderRepository;
  clients: SettlementClients;
  shippingProviderId: string;
  logger: Logger;
}

/** Order statuses that mean a package has left already (shipped by the seller or collected). */
const SHIPPED_STATUSES: ReadonlySet<string> = new Set([
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
]);

/**
 * Step 2, after the gateway's webhook (a hint) was acknowledged: read the checkout back, and only when it
 * is paid ship the package with TikTok shipping (a handover method; TikTok's carrier provides tracking) —
 * accepted only on `code: 0`. The transaction id is recorded on the order, never sent as a tracking
 * number (docs/PROTOCOLS.md §5.6). Never ships twice: an order recorded as shipped is left alone, and a
 * retry first asks TikTok whether an earlier attempt shipped after all (its answer may have been lost).
 */
export function shipTikTokOrderJob(
  deps: ShipTikTokOrderJobDeps,
): (data: ShopJobs['ship-tiktok-order'], context: JobContext) => Promise<void> {
  // deps.shippingProviderId names the seller's carrier; seller shipping also needs that carrier's tracking
  // number, which this job never has — so it ships TikTok-shipped orders only (docs/PROTOCOLS.md §5.6).
  const { orders, clients } = deps;
  const log = deps.logger.child({ component: 'job', job: 'ship-tiktok-order' });

  const refuse = (order: { outOrderNo: string }, ref: string, detail: string) =>
    reportAnomaly(orders, log, {
      kind: 'shipment-refused',
      platform: 'algovoi',
      ref,
      outOrderNo: order.outOrderNo,
      detail,
    });

  return async ({ outOrderNo, token, txId }, { attempt, signal }) => {
    const order = await orders.get(outOrderNo);
    const settlement = order?.algovoi;
    if (!order || !settlement || settlement.token !== token || !order.platformOrderId) {
      await refuse({ outOrderNo }, token, 'no payment link with this token is recorded for the order');
      return;
    }
    if (settlement.shippedAt) {
      log.debug({ outOrderNo }, 'shipped already');
      return;
    }
    const orderId = order.platformOrderId;
    const packageId = settlement.packageIds.length === 1 ? settlement.packageIds[0] : undefined;

    if (attempt > 1) {
      const { orders: found } = await clients.tiktok.getOrders([orderId], { signal });
      const status = found.find((o) => o.id === orderId)?.status;
      if (status !== undefined && SHIPPED_STATUSES.has(status)) {
        log.warn(
          { outOrderNo, status },
          'TikTok says the order shipped already (an earlier answer was lost)',
        );
        await markShipped(orders, outOrderNo, { txId, packageId });
        return;
      }
    }

    let result: Awaited<ReturnType<typeof shipTikTokOrderPaidViaAlgoVoi>>;
    try {
      result = await shipTikTokOrderPaidViaAlgoVoi(
        {
          token,
          order_id: orderId,
          ...(packageId ? { package_id: packageId } : {}),
          ...(txId ? { tx_id: txId } : {}),
        },
        clients,
        { handover_method: 'DROP_OFF', signal },
      );
    } catch (error) {
      // The flow's own refusals are core-coded TtpayErrors; a TtpayClientError (a TtpayError too) is a
      // platform that could not be reached, which a retry can change.
      if (isTtpayError(error) && !isTtpayClientError(error)) {
        // The webhook's tx_id contradicts the checkout's, a paid checkout names no tx_id, or the order has
        // several packages: nothing was shipped, and retrying cannot change it.
        await refuse(order, token, error.message);
        return;
      }
      throw error; // AlgoVoi or TikTok down, or TikTok answered code ≠ 0: try again later
    }
    if (result.outcome === 'not-paid') {
      // The webhook said paid but the checkout does not (yet): the gateway may confirm a little later.
      throw new Error(`Checkout ${token} is "${result.checkout_status}", not paid: not shipping yet.`);
    }
    if (result.outcome !== 'shipped') {
      // Paid, but nothing to ship with: a seller-shipped order waits for the carrier's tracking number, and
      // a cancelled order is owed a refund. A human takes it from here.
      await refuse(order, token, `paid (tx ${result.tx_id ?? 'unknown'}) but not shipped: ${result.outcome}`);
      return;
    }
    await markShipped(orders, outOrderNo, { txId: result.tx_id, packageId: result.package_id });
    log.info({ outOrderNo, txId: result.tx_id, packageId: result.package_id, attempt }, 'shipped');
  };
}

async function markShipped(
  orders: OrderRepository,
  outOrderNo: string,
  shipped: { txId: string | undefined; packageId: string | undefined },
): Promise<void> {
  await orders.update(outOrderNo, (o): OrderRecord | undefined =>
    o?.algovoi && !o.algovoi.shippedAt
      ? {
          ...o,
          status: 'shipped',
          algovoi: {
            ...o.algovoi,
            ...(shipped.txId ? { txId: shipped.txId } : {}),
            ...(shipped.packageId ? { packageId: shipped.packageId } : {}),
            shippedAt: new Date().toISOString(),
          },
        }
      : undefined,
  );
}
