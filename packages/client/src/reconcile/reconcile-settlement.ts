import type { EcpaySettleEvent, TradeSettleEvent } from '@ttpay/core';
import { isTtpayApiError } from '../api-error.js';
import {
  applyFound,
  callOf,
  queryOf,
  type ReconcileContext,
  type ReconcileShared,
} from './reconcile-shared.js';
import { ecpaySettleEventFromQuery, tradeSettleEventFromQuery } from './settlement-from-query.js';

/** A settlement the shop started (its `out_settle_no`), its result not yet heard of. */
export interface OpenSettlement {
  /** The shop's settlement number: `out_settle_no` (`cp_settle_no` in ecpay callbacks). */
  readonly outSettleNo: string;
  /** The system of the order it settles (its callback's system, docs/PROTOCOLS.md §2.4). */
  readonly system: 'ecpay' | 'trade';
  /** ecpay: the platform's `order_id` and the shop's `out_order_no`, which the callback carries and `query_settle` does not. */
  readonly orderId?: string | undefined;
  readonly outOrderNo?: string | undefined;
}

/** What became of one open settlement in a run. */
export type SettlementFinding =
  | { readonly outSettleNo: string; readonly outcome: 'applied'; readonly status: 'SUCCESS' | 'FAIL' }
  | {
      readonly outSettleNo: string;
      readonly outcome: 'duplicate' | 'in-flight';
      readonly status: 'SUCCESS' | 'FAIL';
    }
  | { readonly outSettleNo: string; readonly outcome: 'open' }
  /** The platform has no settlement of that number: its create never reached the platform. */
  | { readonly outSettleNo: string; readonly outcome: 'not-found' }
  | { readonly outSettleNo: string; readonly outcome: 'failed'; readonly error: unknown };

/** The settlements part of a run (`reconcileDouyin`'s `settlements`). */
export interface ReconcileSettlementsPart<Tx> {
  /** Up to `limit` open settlements whose number sorts after `after`, in one stable order. */
  open(after: string | undefined, limit: number): Promise<readonly OpenSettlement[]>;
  /** The settlement handler the callbacks use: the reconciled event is the settlement callback, same key. */
  onSettle(event: EcpaySettleEvent | TradeSettleEvent, ctx: ReconcileContext<Tx>): unknown;
}

/** ecpay's "not found" (2000, docs/PROTOCOLS.md §5.3); trade answers an empty list (§5.1). */
const ECPAY_NOT_FOUND = 2000;

/** Asks the platform about one open settlement; applies a final answer through the settlement callback's path. */
export async function reconcileSettlement<Tx>(
  part: ReconcileSettlementsPart<Tx>,
  shared: ReconcileShared<Tx>,
  settlement: OpenSettlement,
): Promise<SettlementFinding> {
  const { outSettleNo } = settlement;
  try {
    const found = await ask(shared, settlement);
    if (found === 'not-found') return { outSettleNo, outcome: 'not-found' };
    if (!found) return { outSettleNo, outcome: 'open' };
    const outcome = await applyFound(shared, found, (e, ctx) => part.onSettle(e, ctx));
    return { outSettleNo, status: found.msg.status as 'SUCCESS' | 'FAIL', outcome };
  } catch (error) {
    return { outSettleNo, outcome: 'failed', error };
  }
}

async function ask(
  shared: ReconcileShared<unknown>,
  settlement: OpenSettlement,
): Promise<EcpaySettleEvent | TradeSettleEvent | 'not-found' | undefined> {
  const out_settle_no = settlement.outSettleNo;
  const what = `settlement ${out_settle_no}`;
  if (settlement.system === 'ecpay') {
    const query = queryOf(shared.clients.ecpay, 'querySettle', what);
    try {
      return ecpaySettleEventFromQuery(out_settle_no, await query({ out_settle_no }, callOf(shared)), {
        appId: shared.appId,
        orderId: settlement.orderId,
        outOrderNo: settlement.outOrderNo,
        now: shared.now,
      });
    } catch (error) {
      if (isTtpayApiError(error) && Number(error.platformCode) === ECPAY_NOT_FOUND) return 'not-found';
      throw error;
    }
  }
  const query = queryOf(shared.clients.trade, 'settleQuery', what);
  const match = (await query({ out_settle_no }, callOf(shared))).find(
    (s) => s.out_settle_no === out_settle_no,
  );
  if (!match) return 'not-found'; // "如果未查询到结果,会返回空数组" (§5.1)
  return tradeSettleEventFromQuery(match, { appId: shared.appId, now: shared.now });
}
