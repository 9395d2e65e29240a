import { hash } from 'node:crypto';
import type { TtpayEvent } from './events.js';

/** What a store says when a delivery tries to claim its key. */
export type ClaimResult = 'claimed' | 'in-flight' | 'done';

/**
 * The persistence hook behind de-duplication (DESIGN.md). `claim` must be atomic: of any number of
 * concurrent claims on one key exactly one gets `'claimed'`. `complete` marks it done for `ttlMs`;
 * `release` gives up a claim so a redelivery can process it.
 */
export interface IdempotencyStore {
  claim(key: string, ttlMs: number): Promise<ClaimResult> | ClaimResult;
  complete(key: string, ttlMs: number): Promise<void> | void;
  release(key: string): Promise<void> | void;
}

/** A short stable digest used when an event carries no natural business key. */
export function digestKey(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 32);
}

/**
 * The platform's business id for an event: `cp_orderno`, `cp_refundno`, `cp_settle_no`, `out_order_no`,
 * `out_refund_no`, `out_settle_no`, `tts_notification_id` or the gateway token.
 */
export function eventRef(event: TtpayEvent): string {
  switch (event.platform) {
    case 'douyin': {
      const msg = event.msg as Record<string, unknown>;
      const fields =
        event.system === 'ecpay'
          ? ['cp_orderno', 'cp_refundno', 'cp_settle_no']
          : ['out_order_no', 'out_refund_no', 'out_settle_no'];
      const order =
        event.type === 'refund'
          ? [fields[1], fields[0]]
          : event.type === 'settle'
            ? [fields[2], fields[0]]
            : [fields[0]];
      for (const f of order) {
        const v = msg[f as string];
        if (typeof v === 'string' && v) return v;
      }
      return event.key;
    }
    case 'tiktok':
      return event.tts_notification_id;
    case 'algovoi':
      return event.token ?? event.order_id ?? event.key;
  }
}
