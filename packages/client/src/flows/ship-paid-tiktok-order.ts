import { TtpayError } from '@ttpay/core';
import { checkOneOf, checkPlainObject, checkString } from '../argument-checks.js';
import { isTikTokOrderCancelled } from '../tiktok/order-status.js';
import type { TikTokOrder } from '../tiktok/types.js';
import type { SettlementClients, TikTokShopCredentials } from './settle-tiktok-order.js';

export interface ShipPaidTikTokOrderInput {
  /** The checkout token (from step 1's `link.token`, or a verified gateway webhook). */
  token: string;
  /** The TikTok order the link was made for (persisted in step 1). */
  order_id: string;
  /** Default: the order's only package, read with `getOrders`. */
  package_id?: string;
  /** The gateway webhook's `tx_id`; the checkout's own `tx_id`, when it has one, must agree. */
  tx_id?: string;
}

export interface ShipPaidTikTokOrderOptions {
  /**
   * Seller shipping: the carrier that carries the parcel (`shipping_provider_id` from
   * `getShippingProviders`) and THAT carrier's tracking number. TikTok matches tracking numbers against
   * carriers and refuses others (11028006), so the payment's on-chain transaction id is never one.
   */
  self_shipment?: { shipping_provider_id: string; tracking_number: string };
  /** TikTok shipping (`shipping_type: TIKTOK`): how the parcel reaches TikTok's carrier. Default `DROP_OFF`. */
  handover_method?: 'PICKUP' | 'DROP_OFF';
  /**
   * Check `self_shipment.shipping_provider_id` against `getShippingProviders(order.delivery_option_id)`
   * before shipping. Default true.
   */
  checkShippingProvider?: boolean;
  shop?: TikTokShopCredentials;
  signal?: AbortSignal;
}

interface Paid {
  order_id: string;
  /** The payment's on-chain transaction id (gateway checkout or webhook), for the shop's books. */
  tx_id?: string;
  checkout_status: string;
}

export type ShipPaidTikTokOrderResult =
  | (Paid & {
      outcome: 'shipped';
      package_id: string;
      shipping: 'tiktok';
      handover_method: 'PICKUP' | 'DROP_OFF';
    })
  | (Paid & {
      outcome: 'shipped';
      package_id: string;
      shipping: 'seller';
      tracking_number: string;
      shipping_provider_id: string;
    })
  /** Paid, seller-shipped, and no carrier tracking number yet: call again with `self_shipment`. */
  | (Paid & { outcome: 'awaiting-seller-shipment'; package_id: string })
  /** Paid, but TikTok says the order is cancelled: nothing shipped; the buyer is owed a refund. */
  | (Paid & { outcome: 'order-cancelled'; order_status: string })
  | { outcome: 'not-paid'; order_id: string; checkout_status: string };

/**
 * Step 2, on the gateway's paid webhook: a webhook is only a hint (docs/PROTOCOLS.md §4), so the checkout
 * is read back first. A paid order then ships the way TikTok documents (docs/PROTOCOLS.md §5.6):
 * - `shipping_type: TIKTOK` — `shipPackage` with a handover method; TikTok's carrier provides tracking;
 * - `shipping_type: SELLER` — `shipPackage` with `self_shipment` naming the real carrier and its tracking
 *   number, given by the caller once the parcel is handed over; until then `awaiting-seller-shipment`.
 * The seed adapter posted the on-chain transaction id as the tracking number; TikTok validates tracking
 * numbers against carriers (11028006), so that call fails in production. The transaction id is returned
 * as `tx_id` for the shop's own records instead, and refused as a tracking number.
 */
export async function shipTikTokOrderPaidViaAlgoVoi(
  input: ShipPaidTikTokOrderInput,
  clients: SettlementClients,
  options: ShipPaidTikTokOrderOptions = {},
): Promise<ShipPaidTikTokOrderResult> {
  checkString(input?.order_id, 'order_id');
  const self = options.self_shipment === undefined ? undefined : checkSelfShipment(options.self_shipment);
  const handover = checkOneOf(options.handover_method ?? 'DROP_OFF', 'handover_method', [
    'PICKUP',
    'DROP_OFF',
  ]);
  const signal = options.signal;
  const call = { ...options.shop, ...(signal ? { signal } : {}) };

  const verification = await clients.algovoi.verifyPayment(input.token, signal ? { signal } : {});
  if (!verification.paid) {
    return { outcome: 'not-paid', order_id: input.order_id, checkout_status: verification.status };
  }
  if (input.tx_id !== undefined && verification.tx_id !== undefined && input.tx_id !== verification.tx_id) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      'tx_id from the webhook differs from the checkout’s tx_id: nothing was shipped; investigate before retrying.',
    );
  }
  const txId = verification.tx_id ?? input.tx_id;
  if (txId !== undefined) checkString(txId, 'tx_id', { maxLength: 200 });
  const paid: Paid = {
    order_id: input.order_id,
    ...(txId === undefined ? {} : { tx_id: txId }),
    checkout_status: verification.status,
  };

  const { orders } = await clients.tiktok.getOrders([input.order_id], call);
  const order = orders.find((o) => o?.id === input.order_id);
  if (order === undefined) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      `TikTok does not serve order ${input.order_id}: nothing was shipped.`,
    );
  }
  if (isTikTokOrderCancelled(order.status)) {
    return { ...paid, outcome: 'order-cancelled', order_status: String(order.status) };
  }
  const packageId = input.package_id ?? onlyPackage(order);

  if (self !== undefined) {
    if (txId !== undefined && self.tracking_number === txId) {
      throw new TtpayError(
        'INVALID_ARGUMENT',
        'self_shipment.tracking_number is the payment’s transaction id: TikTok accepts only carrier tracking numbers (11028006).',
      );
    }
    if (options.checkShippingProvider !== false && typeof order.delivery_option_id === 'string') {
      const { shipping_providers } = await clients.tiktok.getShippingProviders(
        order.delivery_option_id,
        call,
      );
      if (!shipping_providers.some((p) => p?.id === self.shipping_provider_id)) {
        throw new TtpayError(
          'INVALID_ARGUMENT',
          `shipping_provider_id ${self.shipping_provider_id} is not a carrier of the order’s delivery option: nothing was shipped.`,
        );
      }
    }
    await clients.tiktok.shipPackage(packageId, { self_shipment: self }, call);
    return { ...paid, outcome: 'shipped', package_id: packageId, shipping: 'seller', ...self };
  }
  if (order.shipping_type === 'TIKTOK') {
    await clients.tiktok.shipPackage(packageId, { handover_method: handover }, call);
    return {
      ...paid,
      outcome: 'shipped',
      package_id: packageId,
      shipping: 'tiktok',
      handover_method: handover,
    };
  }
  return { ...paid, outcome: 'awaiting-seller-shipment', package_id: packageId };
}

function checkSelfShipment(value: unknown): { shipping_provider_id: string; tracking_number: string } {
  const self = checkPlainObject(value, 'self_shipment');
  return {
    shipping_provider_id: checkString(self.shipping_provider_id, 'self_shipment.shipping_provider_id'),
    tracking_number: checkString(self.tracking_number, 'self_shipment.tracking_number'),
  };
}

function onlyPackage(order: TikTokOrder): string {
  const ids = (order.packages ?? []).map((p) => p?.id);
  if (ids.length !== 1 || typeof ids[0] !== 'string') {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      `Order ${order.id} has ${ids.length} packages: pass package_id to say which one to ship.`,
    );
  }
  return ids[0];
}
