import type { SignedDelivery } from '@ttpay/testing';
import type { DeliveryPlan } from '../deliver-with-retries.js';
import { parseJsonObject } from '../read-body.js';

export type DeliveryPlatform = DeliveryPlan['platform'];

/** Which signature scheme a delivery carries: Douyin has two (docs/PROTOCOLS.md §1.3, §2). */
export type DeliveryScheme = 'ecpay' | 'trade' | 'tiktok' | 'algovoi';

/** What a delivery is about, read back from its own bytes: the scheme, the event type, the business id. */
export interface DeliveryLabel {
  scheme: DeliveryScheme;
  /** `payment`, `refund`, `settle`; `1 order status change`; `payment.confirmed`… */
  type: string;
  /** The business id the receiver keys on: `cp_orderno`, `out_refund_no`, `order_id`, the checkout token… */
  ref: string;
}

/** TikTok Shop webhook types by number (docs/PROTOCOLS.md §3). */
const TIKTOK_TYPES: Record<number, string> = {
  1: 'order status change',
  3: 'recipient address update',
  4: 'package update',
  5: 'product status',
  6: 'seller deauthorization',
  7: 'authorization expiring',
  11: 'cancellation',
  12: 'return status',
  15: 'product change',
  16: 'product creation',
  36: 'invoice status',
  37: 'product audit',
};

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

function firstOf(fields: Record<string, unknown>, names: readonly string[]): string {
  for (const name of names) {
    const value = text(fields[name]);
    if (value !== '') return value;
  }
  return '';
}

/**
 * Labels a delivery from its body and headers, defensively: a body the simulator was told to break (or
 * a fixture shape that changes) yields empty fields, never an exception.
 */
export function describeDelivery(platform: DeliveryPlatform, d: SignedDelivery): DeliveryLabel {
  const body = parseJsonObject(d.body) ?? {};
  if (platform === 'douyin') {
    const msg = parseJsonObject(text(body.msg)) ?? {};
    // The trade system signs in headers; ecpay in the body (docs/PROTOCOLS.md §2 "mixed systems").
    const scheme = d.headers['byte-signature'] === undefined ? 'ecpay' : 'trade';
    return {
      scheme,
      type: text(body.type),
      ref: firstOf(msg, [
        'cp_orderno',
        'cp_refundno',
        'cp_settle_no',
        'out_refund_no',
        'out_settle_no',
        'out_order_no',
      ]),
    };
  }
  if (platform === 'tiktok') {
    const type = typeof body.type === 'number' ? body.type : undefined;
    const data = (typeof body.data === 'object' && body.data !== null ? body.data : {}) as Record<
      string,
      unknown
    >;
    const name = type === undefined ? '' : (TIKTOK_TYPES[type] ?? 'webhook');
    return {
      scheme: 'tiktok',
      type: type === undefined ? '' : `${type} ${name}`,
      ref: firstOf(data, ['order_id', 'package_id', 'product_id', 'shop_id']),
    };
  }
  // The published event: {id, type, data{payment_link_token, …}} (docs/PROTOCOLS.md §4.3).
  const data = (typeof body.data === 'object' && body.data !== null ? body.data : {}) as Record<
    string,
    unknown
  >;
  return { scheme: 'algovoi', type: text(body.type), ref: text(data.payment_link_token) };
}
