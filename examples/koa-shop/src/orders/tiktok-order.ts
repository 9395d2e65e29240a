import type { OrderRecord } from './order-repository.js';

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

/**
 * "12.34" → 1234. TikTok gives decimal strings; the AlgoVoi client has already refused anything that is
 * not a positive amount with at most two decimals (its currencies, USD/EUR/GBP, have two).
 */
export function decimalToMinorUnits(amount: string): number | null {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
