import { isTikTokOrderCancelled, isTtpayApiError, type TikTokShopClient } from '@ttpay/client';
import type { Logger } from '../logger.js';
import type { OrderRecord, OrderRepository } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import { decimalToMinorUnits, TO_SHIP } from '../orders/tiktok-order.js';
import type { JobContext, ShopJobs } from './shop-jobs.js';

export interface ShipTikTokOrderJobDeps {
  orders: OrderRepository;
  tiktok: TikTokShopClient;
  logger: Logger;
}

/** "Package has already been shipped" (ship-package 11006021; the simulator's 21011040 from Batch Ship). */
const ALREADY_SHIPPED = new Set([11006021, 21011040]);

/**
 * Ships a TikTok order the buyer paid at TikTok's checkout, through TikTok's own flow (docs/PROTOCOLS.md
 * §3.8, §5.6) — it never waits on a payment gateway:
 * - `shipping_type: TIKTOK`: `shipPackage` with no handover method (optional; unused for SEA local sellers
 *   since 2024-10-30 — the warehouse's collection setting applies); TikTok's carrier brings the tracking.
 * - `shipping_type: SELLER`: only with the seller's carrier and ITS tracking number (`selfShipment`, given by
 *   `POST /orders/:outOrderNo/shipment` once the parcel is handed over), checked against Get Shipping
 *   Providers; until then the order waits, paid.
 * Holds: an order marked for an outside settlement that is not paid yet (`awaiting_payment`), and an order
 * with a buyer's cancellation request pending (the cancellation job decides).
 * Never ships twice: a shipped order is left alone, and a retry first asks TikTok whether an earlier
 * attempt shipped after all (its answer may have been lost).
 */
export function shipTikTokOrderJob(
  deps: ShipTikTokOrderJobDeps,
): (data: ShopJobs['ship-tiktok-order'], context: JobContext) => Promise<void> {
  const { orders, tiktok } = deps;
  const log = deps.logger.child({ component: 'job', job: 'ship-tiktok-order' });

  const refuse = (outOrderNo: string, ref: string, detail: string) =>
    reportAnomaly(orders, log, { kind: 'shipment-refused', platform: 'tiktok', ref, outOrderNo, detail });

  return async ({ outOrderNo, selfShipment }, { signal, attempt }) => {
    const record = await orders.get(outOrderNo);
    const orderId = record?.platformOrderId;
    // Added in the transaction that recorded the order (or after reading it): it exists when this runs.
    if (record?.channel !== 'tiktok' || !orderId) {
      await refuse(outOrderNo, outOrderNo, record ? 'not a TikTok order' : 'no such order');
      return;
    }
    if (record.status === 'shipped' || record.status === 'cancelled') {
      log.debug({ outOrderNo, status: record.status }, 'nothing to ship');
      return;
    }
    if (record.status === 'awaiting_payment') {
      log.info({ outOrderNo }, 'held: marked for an outside settlement that is not paid yet');
      return;
    }

    const { orders: found } = await tiktok.getOrders([orderId], { signal });
    const order = found.find((o) => o?.id === orderId);
    // TikTok's order API can lag behind its own webhook: worth another try.
    if (!order) throw new Error(`TikTok does not serve order ${orderId} (yet).`);
    const status = String(order.status ?? '');
    if (isTikTokOrderCancelled(status)) {
      await mark(orders, outOrderNo, order, 'cancelled');
      return;
    }
    if (!TO_SHIP.has(status)) {
      // Shipped already (an earlier answer was lost), or not paid / on hold yet: a later webhook says more.
      if (['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'].includes(status)) {
        await mark(orders, outOrderNo, order, 'shipped');
      } else log.info({ outOrderNo, orderStatus: status }, 'not ready to ship');
      return;
    }
    if (order.is_buyer_request_cancel === true) {
      log.info({ outOrderNo }, 'held: the buyer asked to cancel; the cancellation job decides');
      return;
    }
    const packageIds = (order.packages ?? []).map((p) => p?.id).filter((id): id is string => !!id);
    if (packageIds.length !== 1) {
      await refuse(
        outOrderNo,
        orderId,
        `the order has ${packageIds.length} packages: ship them from Seller Center`,
      );
      return;
    }
    const packageId = packageIds[0] as string;

    if (order.shipping_type === 'SELLER') {
      if (!selfShipment) {
        await mark(orders, outOrderNo, order, 'paid');
        log.info({ outOrderNo }, 'seller shipping: waiting for the carrier tracking number');
        return;
      }
      const { shipping_providers } = await tiktok.getShippingProviders(String(order.delivery_option_id), {
        signal,
      });
      if (!shipping_providers.some((p) => p?.id === selfShipment.shipping_provider_id)) {
        await refuse(
          outOrderNo,
          orderId,
          `shipping_provider_id ${selfShipment.shipping_provider_id} is not a carrier of the order's delivery option`,
        );
        return;
      }
    }
    try {
      await tiktok.shipPackage(
        packageId,
        order.shipping_type === 'SELLER' && selfShipment ? { self_shipment: selfShipment } : {},
        { signal },
      );
    } catch (error) {
      if (!(isTtpayApiError(error) && ALREADY_SHIPPED.has(error.platformCode as number))) throw error;
    }
    await mark(orders, outOrderNo, order, 'shipped', packageId);
    log.info({ outOrderNo, packageId, shipping: order.shipping_type, attempt }, 'shipped through TikTok');
  };
}

/** Records the order's state as TikTok has it (and, when shipped, which package went). */
async function mark(
  orders: OrderRepository,
  outOrderNo: string,
  order: TikTokShopClient.Order,
  status: OrderRecord['status'],
  packageId?: string,
): Promise<void> {
  await orders.update(
    outOrderNo,
    (o): OrderRecord | undefined => {
      if (!o || (o.status === status && o.amount !== null)) return undefined;
      // What the buyer paid at TikTok's checkout, for the shop's books (no gateway involved).
      const amount = decimalToMinorUnits(String(order.payment?.total_amount ?? ''));
      return {
        ...o,
        status,
        ...(amount === null ? {} : { amount, currency: String(order.payment.currency) }),
        ...(order.paid_time ? { paidAt: new Date(order.paid_time * 1000).toISOString() } : {}),
      };
    },
    packageId
      ? {
          platform: 'tiktok',
          type: 'PACKAGE_SHIPPED',
          key: `tiktok:shipped:${packageId}`,
          ref: String(order.id),
          at: new Date().toISOString(),
        }
      : undefined,
  );
}
