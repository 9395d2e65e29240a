import type { EcpayPaymentEvent, TradePaymentEvent } from '@ttpay/core';
import { isTtpayApiError } from '../api-error.js';
import { ecpayPaymentEventFromQuery, tradePaymentEventFromQuery } from './payment-from-query.js';
import {
  applyFound,
  callOf,
  queryOf,
  type ReconcileContext,
  type ReconcileShared,
} from './reconcile-shared.js';

/** An order the shop still considers open: created, its payment not yet heard of. */
export interface OpenPayment {
  /** The shop's order number: ecpay `out_order_no` (`cp_orderno` in callbacks), trade `out_order_no`. */
  readonly outOrderNo: string;
  readonly system: 'ecpay' | 'trade';
  /**
   * When the buyer's payment window closes, in ms since the epoch: the order's creation plus its
   * `valid_time` (ecpay) or `payExpireSeconds` (trade), docs/PROTOCOLS.md §1.1 and §2.1.
   */
  readonly payBy: number;
}

/** What became of one open order in a run. */
export type PaymentFinding =
  /** The platform reports a payment (or a trade `CANCEL`) and it was applied now. */
  | { readonly outOrderNo: string; readonly outcome: 'applied'; readonly status: 'SUCCESS' | 'CANCEL' }
  /** ... applied before (its callback, or an earlier run), or being applied right now. */
  | {
      readonly outOrderNo: string;
      readonly outcome: 'duplicate' | 'in-flight';
      readonly status: 'SUCCESS' | 'CANCEL';
    }
  /** The payment window passed unpaid: `onExpired` closed it. */
  | { readonly outOrderNo: string; readonly outcome: 'expired' }
  /** Still waiting for the buyer. */
  | { readonly outOrderNo: string; readonly outcome: 'open' }
  /** The query or the handler failed; the next rotation asks again. */
  | { readonly outOrderNo: string; readonly outcome: 'failed'; readonly error: unknown };

/** The payments part of a run (`reconcileDouyin`'s `payments`). */
export interface ReconcilePaymentsPart<Tx> {
  /**
   * Up to `limit` open orders whose number sorts after `after` (from the first when undefined), in one
   * stable order — e.g. `WHERE status = 'created' AND ($1::text IS NULL OR out_order_no > $1) ORDER BY
   * out_order_no LIMIT $2`. Leave out orders too young to have missed their callback.
   */
  open(after: string | undefined, limit: number): Promise<readonly OpenPayment[]>;
  /**
   * The payment handler the callbacks use: a `SUCCESS`, or a trade `CANCEL`, goes through it exactly as
   * its callback would (same event shape and key, `reconciled: true`), inside the store's transaction.
   */
  onPayment(event: EcpayPaymentEvent | TradePaymentEvent, ctx: ReconcileContext<Tx>): unknown;
  /**
   * An order whose payment window has passed unpaid: the platform says `TIMEOUT`/`FAIL` (ecpay, which
   * sends no callback for those), does not know the order, or still says it is waiting `graceMs` after
   * `payBy`. Close it (a payment callback that does come later must still be applied), so it is not asked
   * about forever. Runs outside any transaction; make it idempotent (`WHERE status = 'created'`).
   */
  onExpired(order: OpenPayment): unknown;
  /** How long after `payBy` an order the platform still calls open is asked about. Default 1 hour. */
  graceMs?: number | undefined;
}

const DEFAULT_GRACE_MS = 60 * 60_000;

/** The platforms' "no such order" (docs/PROTOCOLS.md §5.3): ecpay 2000, trade 20000. */
const NOT_FOUND = { ecpay: 2000, trade: 20000 } as const;

/**
 * Asks the platform about one open order and applies what it says through the payment callback's
 * handler, store and key; closes it when its payment window has passed. Never throws: a finding.
 */
export async function reconcilePayment<Tx>(
  part: ReconcilePaymentsPart<Tx>,
  shared: ReconcileShared<Tx>,
  order: OpenPayment,
): Promise<PaymentFinding> {
  const { outOrderNo } = order;
  try {
    const answer = await ask(shared, order);
    if (answer.event) {
      const status = answer.event.msg.status as 'SUCCESS' | 'CANCEL';
      const outcome = await applyFound(shared, answer.event, (e, ctx) => part.onPayment(e, ctx));
      return { outOrderNo, status, outcome };
    }
    if (answer.closed || shared.now() > order.payBy + (part.graceMs ?? DEFAULT_GRACE_MS)) {
      await part.onExpired(order);
      return { outOrderNo, outcome: 'expired' };
    }
    return { outOrderNo, outcome: 'open' };
  } catch (error) {
    return { outOrderNo, outcome: 'failed', error };
  }
}

/** The event the platform's answer stands for, or whether it says the order closed unpaid. */
async function ask(
  shared: ReconcileShared<unknown>,
  order: OpenPayment,
): Promise<{ event?: EcpayPaymentEvent | TradePaymentEvent; closed?: boolean }> {
  const out_order_no = order.outOrderNo;
  const what = `order ${out_order_no}`;
  try {
    if (order.system === 'ecpay') {
      const query = queryOf(shared.clients.ecpay, 'queryOrder', what);
      const answer = await query({ out_order_no }, callOf(shared));
      const event = ecpayPaymentEventFromQuery(out_order_no, answer, {
        appId: shared.appId,
        now: shared.now,
      });
      if (event) return { event };
      // ecpay calls back for successes only (§1.3): TIMEOUT and FAIL are final, and only a query says so.
      const status = answer.payment_info.order_status;
      return { closed: status === 'TIMEOUT' || status === 'FAIL' };
    }
    const query = queryOf(shared.clients.trade, 'orderQuery', what);
    const event = tradePaymentEventFromQuery(await query({ out_order_no }, callOf(shared)), {
      now: shared.now,
    });
    // TIMEOUT and FAIL come back as the CANCEL callback they stand for (§5.5): the handler closes the order.
    return event ? { event } : {};
  } catch (error) {
    // The platform has no such order (create_order failed, or the buyer never opened tt.requestOrder):
    // nothing to apply, and only its payment window decides when to stop asking.
    if (isTtpayApiError(error) && Number(error.platformCode) === NOT_FOUND[order.system]) return {};
    throw error;
  }
}
