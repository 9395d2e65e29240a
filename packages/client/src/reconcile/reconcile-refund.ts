import type { EcpayRefundEvent, TradeRefundEvent } from '@ttpay/core';
import { isTtpayApiError } from '../api-error.js';
import {
  applyFound,
  callOf,
  queryOf,
  type ReconcileContext,
  type ReconcileShared,
} from './reconcile-shared.js';
import { ecpayRefundEventFromQuery, tradeRefundEventFromQuery } from './refund-from-query.js';

/** A refund the shop started or answered (its `out_refund_no`), its result not yet heard of. */
export interface OpenRefund {
  /** The shop's refund number: `out_refund_no` (`cp_refundno` in ecpay callbacks). */
  readonly outRefundNo: string;
  /**
   * The system of the order it refunds: its result callback comes signed and shaped as that system's,
   * even when the refund was started through the other (docs/PROTOCOLS.md §2.4), and it is asked about
   * there (ecpay `query_refund`, trade `refund_query/`).
   */
  readonly system: 'ecpay' | 'trade';
  /** The platform's order id (`order_id`): ecpay's refund callback carries it, `query_refund` does not. */
  readonly orderId?: string | undefined;
}

/** What became of one open refund in a run. */
export type RefundFinding =
  /** The platform says the refund succeeded or failed (a denied refund: `FAIL`); applied now, ... */
  | { readonly outRefundNo: string; readonly outcome: 'applied'; readonly status: 'SUCCESS' | 'FAIL' }
  /** ... applied before (its callback, or an earlier run), or being applied right now. */
  | {
      readonly outRefundNo: string;
      readonly outcome: 'duplicate' | 'in-flight';
      readonly status: 'SUCCESS' | 'FAIL';
    }
  /** Still in progress (awaiting the audit, or the money). */
  | { readonly outRefundNo: string; readonly outcome: 'open' }
  /**
   * The platform has no refund of that number (ecpay 3101, trade an empty list): its create never
   * reached the platform, or — trade — the application went unanswered and the platform numbered it.
   */
  | { readonly outRefundNo: string; readonly outcome: 'not-found' }
  /** The query or the handler failed; the next rotation asks again. */
  | { readonly outRefundNo: string; readonly outcome: 'failed'; readonly error: unknown };

/** The refunds part of a run (`reconcileDouyin`'s `refunds`). */
export interface ReconcileRefundsPart<Tx> {
  /** Up to `limit` open refunds whose number sorts after `after`, in one stable order (as for payments). */
  open(after: string | undefined, limit: number): Promise<readonly OpenRefund[]>;
  /** The refund handler the callbacks use: the reconciled event is the refund callback, same key. */
  onRefund(event: EcpayRefundEvent | TradeRefundEvent, ctx: ReconcileContext<Tx>): unknown;
}

/** ecpay `query_refund`'s "refund not found" (docs/PROTOCOLS.md §5.3); trade's "not found" (§5.3). */
const NOT_FOUND = { ecpay: 3101, trade: 20000 } as const;

/** Asks the platform about one open refund; applies a final answer through the refund callback's path. */
export async function reconcileRefund<Tx>(
  part: ReconcileRefundsPart<Tx>,
  shared: ReconcileShared<Tx>,
  refund: OpenRefund,
): Promise<RefundFinding> {
  const { outRefundNo } = refund;
  try {
    const found = await ask(shared, refund);
    if (found === 'not-found') return { outRefundNo, outcome: 'not-found' };
    if (!found) return { outRefundNo, outcome: 'open' };
    const outcome = await applyFound(shared, found, (e, ctx) => part.onRefund(e, ctx));
    return { outRefundNo, status: found.msg.status, outcome };
  } catch (error) {
    return { outRefundNo, outcome: 'failed', error };
  }
}

async function ask(
  shared: ReconcileShared<unknown>,
  refund: OpenRefund,
): Promise<EcpayRefundEvent | TradeRefundEvent | 'not-found' | undefined> {
  const out_refund_no = refund.outRefundNo;
  const what = `refund ${out_refund_no}`;
  try {
    if (refund.system === 'ecpay') {
      const query = queryOf(shared.clients.ecpay, 'queryRefund', what);
      return ecpayRefundEventFromQuery(out_refund_no, await query({ out_refund_no }, callOf(shared)), {
        appId: shared.appId,
        orderId: refund.orderId,
        now: shared.now,
      });
    }
    const query = queryOf(shared.clients.trade, 'refundQuery', what);
    const { refund_list } = await query({ out_refund_no }, callOf(shared));
    const match = refund_list.find((r) => r.out_refund_no === out_refund_no);
    if (!match) return 'not-found';
    return tradeRefundEventFromQuery(match, { appId: shared.appId, now: shared.now });
  } catch (error) {
    if (isTtpayApiError(error) && Number(error.platformCode) === NOT_FOUND[refund.system]) return 'not-found';
    throw error;
  }
}
