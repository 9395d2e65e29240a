import {
  applyOnce,
  type EcpayPaymentEvent,
  type IdempotencyStore,
  type TradePaymentEvent,
  type TransactionalIdempotencyStore,
} from '@ttpay/core';
import { isTtpayApiError } from '../api-error.js';
import type { DouyinEcpayClient } from '../ecpay/ecpay-client.js';
import type { DouyinTradeClient } from '../trade/trade-client.js';
import { nextBatch } from './open-items.js';
import { ecpayPaymentEventFromQuery, tradePaymentEventFromQuery } from './payment-from-query.js';

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

/** What `onPayment` and `onExpired` get: the callback handler's own context shape (`ctx.payment.tx`). */
export interface ReconcileContext<Tx> {
  readonly payment: { readonly tx: Tx | undefined };
}

export interface ReconcilePaymentsOptions<Tx = unknown> {
  /**
   * Up to `limit` open orders whose number sorts after `after` (from the first when undefined), in one
   * stable order — e.g. `WHERE status = 'created' AND ($1::text IS NULL OR out_order_no > $1) ORDER BY
   * out_order_no LIMIT $2`. Leave out orders too young to have missed their callback.
   */
  openPayments(after: string | undefined, limit: number): Promise<readonly OpenPayment[]>;
  /** Where the previous run stopped (its result's `cursor`); undefined starts from the first order. */
  cursor?: string | undefined;
  /** The most orders asked about in this run: each costs one platform query (plus the client's own retries). */
  maxQueries: number;
  /** The clients of the systems the shop uses; an open order of a system without one is reported `failed`. */
  clients: {
    ecpay?: Pick<DouyinEcpayClient, 'queryOrder'>;
    trade?: Pick<DouyinTradeClient, 'orderQuery'>;
  };
  /** The mini-program's app id: ecpay's query does not echo `appid`, its callback carries it. */
  appId: string;
  /** The store the callbacks go through: the same keys, so a reconciled payment and its callback are one event. */
  store: IdempotencyStore | TransactionalIdempotencyStore<Tx>;
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
  /** The callbacks' lease and done-TTL (`claimTtlMs`, `doneTtlMs` of the delivery). */
  leaseMs: number;
  doneTtlMs: number;
  /** How long after `payBy` an order the platform still calls open is asked about. Default 1 hour. */
  graceMs?: number;
  now?: () => number;
  signal?: AbortSignal;
}

/** What became of one order in a run. */
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

export interface ReconcileRun {
  /** Pass as `cursor` to the next run: the rotation goes on after the last order asked about. */
  readonly cursor: string | undefined;
  /** One per order asked about, at most `maxQueries`. */
  readonly findings: readonly PaymentFinding[];
}

const DEFAULT_GRACE_MS = 60 * 60_000;

/** The platforms' "no such order" (docs/PROTOCOLS.md §5.3): ecpay 2000, trade 20000. */
const NOT_FOUND = { ecpay: 2000, trade: 20000 } as const;

/**
 * One reconciliation run for payments whose every callback was lost (the shop was down longer than
 * the platform retries, docs/PROTOCOLS.md §1.3): asks the platform about at most `maxQueries` open
 * orders — the next ones in a fair rotation over ALL open orders, so orders that stay open forever
 * cannot starve the one that was paid — and applies what it learns through the callback's handler,
 * store and key (`applyOnce`): a callback arriving afterwards is a duplicate, and a reconciled event is
 * the event its callback would have carried. Orders past their payment window are closed rather than
 * asked about again. Never throws for one order: each ends as a finding, and the run goes on.
 */
export async function reconcilePayments<Tx = unknown>(
  options: ReconcilePaymentsOptions<Tx>,
): Promise<ReconcileRun> {
  const { maxQueries } = options;
  if (!Number.isSafeInteger(maxQueries) || maxQueries < 1) {
    throw new RangeError('reconcilePayments: `maxQueries` must be a positive integer.');
  }
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const { batch, cursor } = await nextBatch(
    options.openPayments,
    (order) => order.outOrderNo,
    options.cursor,
    maxQueries,
  );
  const findings: PaymentFinding[] = [];
  for (const order of batch) {
    options.signal?.throwIfAborted();
    findings.push(await reconcileOne(order));
  }
  return { cursor, findings };

  async function reconcileOne(order: OpenPayment): Promise<PaymentFinding> {
    const { outOrderNo } = order;
    try {
      const answer = await ask(order);
      if (answer.event) {
        const status = answer.event.msg.status as 'SUCCESS' | 'CANCEL';
        const event = answer.event;
        const applied = await applyOnce(
          options.store,
          event.key,
          (tx) => options.onPayment(event, { payment: { tx } }),
          { leaseMs: options.leaseMs, doneTtlMs: options.doneTtlMs },
        );
        return {
          outOrderNo,
          status,
          outcome: applied === 'applied' ? 'applied' : applied === 'done' ? 'duplicate' : 'in-flight',
        };
      }
      if (answer.closed || now() > order.payBy + graceMs) {
        await options.onExpired(order);
        return { outOrderNo, outcome: 'expired' };
      }
      return { outOrderNo, outcome: 'open' };
    } catch (error) {
      return { outOrderNo, outcome: 'failed', error };
    }
  }

  /** The event the platform's answer stands for, or whether it says the order closed unpaid. */
  async function ask(
    order: OpenPayment,
  ): Promise<{ event?: EcpayPaymentEvent | TradePaymentEvent; closed?: boolean }> {
    const call = options.signal ? { signal: options.signal } : undefined;
    const out_order_no = order.outOrderNo;
    try {
      if (order.system === 'ecpay') {
        const ecpay = options.clients.ecpay;
        if (!ecpay) throw new Error(`reconcilePayments: no ecpay client for order ${out_order_no}`);
        const answer = await ecpay.queryOrder({ out_order_no }, call);
        const event = ecpayPaymentEventFromQuery(out_order_no, answer, { appId: options.appId, now });
        if (event) return { event };
        // ecpay calls back for successes only (§1.3): TIMEOUT and FAIL are final, and only a query says so.
        const status = answer.payment_info.order_status;
        return { closed: status === 'TIMEOUT' || status === 'FAIL' };
      }
      const trade = options.clients.trade;
      if (!trade) throw new Error(`reconcilePayments: no trade client for order ${out_order_no}`);
      const event = tradePaymentEventFromQuery(await trade.orderQuery({ out_order_no }, call), { now });
      // TIMEOUT and FAIL come back as the CANCEL callback they stand for (§5.5): the handler closes the order.
      return event ? { event } : {};
    } catch (error) {
      // The platform has no such order (create_order failed, or the buyer never opened tt.requestOrder):
      // nothing to apply, and only its payment window decides when to stop asking.
      if (isTtpayApiError(error) && Number(error.platformCode) === NOT_FOUND[order.system]) return {};
      throw error;
    }
  }
}
