import { eventRef, type TtpayEvent } from '@ttpay/core';
import type { Logger } from '../logger.js';
import { type OrderRepository, ordersFor, type TxScope } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import { isStorable } from '../orders/sql-order-repository.js';

type Handler = (event: TtpayEvent, scope: TxScope) => Promise<void>;

/**
 * Wraps a set of handlers: a verified event carrying text PostgreSQL cannot store (NUL; a lone surrogate,
 * which the driver would silently replace) is acknowledged and recorded as an `unstorable-text` anomaly —
 * stored escaped — instead of failing its transaction: that would be a 500, and the platform would retry
 * the same bytes for a day. No order of this shop can carry such text (POST /orders refuses it).
 */
export function unstorableIsAnAnomaly<H extends object>(
  handlers: H,
  repository: OrderRepository,
  logger: Logger,
): H {
  const log = logger.child({ component: 'unstorable-events' });
  const wrap = (handler: Handler): Handler =>
    async function guarded(event, scope) {
      const field = unstorableField(event, 'event');
      if (field === undefined) return handler(event, scope);
      await reportAnomaly(ordersFor(repository, scope), log, {
        kind: 'unstorable-text',
        platform: event.platform,
        key: event.key,
        ref: eventRef(event),
        detail: `a verified event with text the database cannot store (NUL or a lone surrogate) in ${field}; acknowledged, not applied`,
      });
    };
  const wrapAll = (object: object): object =>
    Object.fromEntries(
      Object.entries(object).map(([name, value]) => [
        name,
        typeof value === 'function'
          ? wrap(value as Handler)
          : value && typeof value === 'object'
            ? wrapAll(value)
            : value,
      ]),
    );
  return wrapAll(handlers) as H;
}

/** The path of the first string in `value` that text cannot hold as it is. */
function unstorableField(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return isStorable(value) ? undefined : path;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = unstorableField(inner, `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
