import { isTikTokOrderCancelled } from '@ttpay/client';
import type { AppliedEvent, OrderRecord, OrderRepository } from './order-repository.js';

/** The shop's number for a TikTok Shop order. Douyin numbers are generated as `dy_…`, so they never clash. */
export function tiktokOutOrderNo(orderId: string): string {
  return `tiktok-${orderId}`;
}

/** A TikTok order as first recorded from a webhook: no amount yet (the webhook carries none). */
export function newTikTokOrder(orderId: string): OrderRecord {
  const now = new Date().toISOString();
  return {
    outOrderNo: tiktokOutOrderNo(orderId),
    channel: 'tiktok',
    amount: null,
    currency: '',
    status: 'created',
    platformOrderId: orderId,
    createdAt: now,
    updatedAt: now,
    refundedAmount: 0,
    refunds: [],
    settlements: [],
  };
}

/** What TikTok says about an order, from a type-1 webhook or from Search Orders (the backfill). */
export interface TikTokOrderStatus {
  orderId: string;
  status: string;
  /** Unix seconds; orders the notifications of one order. */
  updateTime?: number | undefined;
}

/** Statuses after which the package has left: nothing more to ship. */
const SHIPPED: ReadonlySet<string> = new Set(['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED']);
/** Statuses in which the buyer has paid at TikTok's checkout and the package is still to go. */
export const TO_SHIP: ReadonlySet<string> = new Set(['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING']);

/**
 * Records what TikTok says about an order — the ONE place both the webhook handler and the backfill go
 * through, so a webhook that arrives after the backfill applied its news changes nothing (the same status
 * is already there: a duplicate). Notifications can arrive out of order: an older one never overwrites a
 * newer status. Past `UNPAID` the buyer has paid at TikTok's checkout: the order is `paid`, never sent to
 * a payment gateway (docs/PROTOCOLS.md §3.8).
 */
export async function applyTikTokOrderStatus(
  orders: OrderRepository,
  news: TikTokOrderStatus,
  event?: AppliedEvent,
): Promise<{ order: OrderRecord | undefined; changed: boolean }> {
  const { orderId, status, updateTime } = news;
  return orders.update(
    tiktokOutOrderNo(orderId),
    (o) => {
      if (o && typeof updateTime === 'number' && (o.platformStatusTime ?? 0) > updateTime) return undefined;
      if (o && o.platformStatus === status) return undefined;
      const current = o ?? newTikTokOrder(orderId);
      return {
        ...current,
        platformStatus: status,
        ...(typeof updateTime === 'number' ? { platformStatusTime: updateTime } : {}),
        status: localStatus(current, status),
      };
    },
    event,
  );
}

function localStatus(order: OrderRecord, platformStatus: string): OrderRecord['status'] {
  // The webhook documents `CANCEL`, the Order API `CANCELLED`: either cancels (docs/PROTOCOLS.md §5.4).
  if (isTikTokOrderCancelled(platformStatus)) return order.status === 'shipped' ? 'shipped' : 'cancelled';
  if (SHIPPED.has(platformStatus)) return 'shipped';
  if (platformStatus === 'UNPAID') return order.status;
  // Paid at TikTok's checkout; an order held for an unpaid outside settlement stays held.
  return order.status === 'created' ? 'paid' : order.status;
}

/** The label of an outside settlement: names the order, so a webhook's label leads back to it. */
export function settlementLabel(outOrderNo: string, payer: string): string {
  return `Settlement of ${outOrderNo} — ${payer}`;
}

/** The order a settlement label names (its record must then hold exactly that label). */
export function outOrderNoOfLabel(label: string): string | undefined {
  return /^Settlement of (\S+) — /.exec(label)?.[1];
}

/**
 * "12.34" → 1234. TikTok gives decimal strings; the currencies the shop sells in (USD/EUR/GBP) have two
 * decimals. Anything else is left unknown (null) rather than guessed.
 */
export function decimalToMinorUnits(amount: string): number | null {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
