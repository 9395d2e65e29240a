import { eventRef, type TtpayEvent } from '@ttpay/core';
import type { AppliedEvent } from './order-repository.js';

/**
 * What `GET /events` lists for an event: `ref` is the platform's business id (core's `eventRef`), `type`
 * names the event as @ttpay/koa's logs do (`ecpay.payment`, `ORDER_STATUS_CHANGE`, `payment.confirmed`).
 */
export function appliedEvent(event: TtpayEvent): AppliedEvent {
  return {
    platform: event.platform,
    type: eventType(event),
    key: event.key,
    ref: eventRef(event),
    at: new Date().toISOString(),
  };
}

function eventType(event: TtpayEvent): string {
  switch (event.platform) {
    case 'douyin':
      return `${event.system}.${event.type === 'other' ? event.callbackType || 'other' : event.type}`;
    case 'tiktok':
      return event.name === 'UNKNOWN' ? `type ${event.type}` : event.name;
    case 'algovoi':
      return event.type;
  }
}
