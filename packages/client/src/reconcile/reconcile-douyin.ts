import type { IdempotencyStore, TransactionalIdempotencyStore } from '@ttpay/core/store';
import { nextBatch, type OpenItems } from './open-items.js';
import {
  type OpenPayment,
  type PaymentFinding,
  type ReconcilePaymentsPart,
  reconcilePayment,
} from './reconcile-payment.js';
import {
  type OpenRefund,
  type ReconcileRefundsPart,
  type RefundFinding,
  reconcileRefund,
} from './reconcile-refund.js';
import {
  type OpenSettlement,
  type ReconcileSettlementsPart,
  reconcileSettlement,
  type SettlementFinding,
} from './reconcile-settlement.js';
import type { ReconcileClients, ReconcileShared } from './reconcile-shared.js';

/** Where each kind's rotation stopped: pass the run's `cursor` to the next run. */
export interface ReconcileCursor {
  readonly payments?: string | undefined;
  readonly refunds?: string | undefined;
  readonly settlements?: string | undefined;
}

export interface ReconcileDouyinOptions<Tx = unknown> {
  /** Open orders, their handler (`onPayment`) and how to close them (`onExpired`). */
  payments?: ReconcilePaymentsPart<Tx> | undefined;
  /** Open refunds and their handler (`onRefund`). */
  refunds?: ReconcileRefundsPart<Tx> | undefined;
  /** Open settlements and their handler (`onSettle`). */
  settlements?: ReconcileSettlementsPart<Tx> | undefined;
  /** Where the previous run stopped (its result's `cursor`); undefined starts every rotation at the first item. */
  cursor?: ReconcileCursor | undefined;
  /**
   * The most platform queries of the whole run, shared by the kinds given: each gets at least
   * ⌊maxQueries / kinds⌋, and what one leaves unused goes to the next (settlements, then refunds, then
   * payments). At least one per kind.
   */
  maxQueries: number;
  clients: ReconcileClients;
  /** The mini-program's app id: the queries do not echo it, the callbacks carry it. */
  appId: string;
  /** The store the callbacks go through: the same keys, so a reconciled event and its callback are one event. */
  store: IdempotencyStore | TransactionalIdempotencyStore<Tx>;
  /** The callbacks' lease and done-TTL (`claimTtlMs`, `doneTtlMs` of the delivery). */
  leaseMs: number;
  doneTtlMs: number;
  now?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
}

export interface ReconcileDouyinRun {
  /** Pass as `cursor` to the next run: each rotation goes on after the last item asked about. */
  readonly cursor: ReconcileCursor;
  /** One finding per item asked about; at most `maxQueries` in all. */
  readonly payments: readonly PaymentFinding[];
  readonly refunds: readonly RefundFinding[];
  readonly settlements: readonly SettlementFinding[];
}

interface Kind<Item, Finding> {
  readonly name: keyof ReconcileCursor;
  readonly open: OpenItems<Item>;
  keyOf(item: Item): string;
  one(item: Item): Promise<Finding>;
}

/**
 * One reconciliation run of Douyin money whose every callback was lost — the shop was down longer than
 * the platform retries (a trade payment's ~29 minutes, docs/PROTOCOLS.md §2.3), or a callback went
 * missing: payments (ecpay `query_order`, trade `order_query/`), refunds (`query_refund`,
 * `refund_query/`) and settlements (`query_settle`, `settle_query/`).
 *
 * - **Fair**: each kind is a rotation over ALL its open items — the next ones after its cursor, wrapping
 *   to the first — so items that never close (abandoned orders, which any buyer can make) cannot starve
 *   the one that was paid, and no kind starves another: each gets its share of every run.
 * - **Bounded**: at most `maxQueries` platform queries in the run, one per item (plus a client's own
 *   retries of a query).
 * - **Applied once**: a final answer — a payment `SUCCESS` or trade `CANCEL`, a refund or settlement
 *   `SUCCESS` or `FAIL` — becomes the event its callback would have carried, same type and key, and goes
 *   through the callback's handler and store (`applyOnce`): a callback arriving afterwards, or racing the
 *   run, is a duplicate.
 * - Orders past their payment window are closed (`onExpired`) instead of asked about forever.
 *
 * Never throws for one item: each ends as a finding, and the run goes on.
 */
export async function reconcileDouyin<Tx = unknown>(
  options: ReconcileDouyinOptions<Tx>,
): Promise<ReconcileDouyinRun> {
  const shared: ReconcileShared<Tx> = {
    clients: options.clients,
    appId: options.appId,
    store: options.store,
    leaseMs: options.leaseMs,
    doneTtlMs: options.doneTtlMs,
    now: options.now ?? Date.now,
    signal: options.signal,
  };
  const { payments, refunds, settlements } = options;
  const findings = {
    payments: [] as PaymentFinding[],
    refunds: [] as RefundFinding[],
    settlements: [] as SettlementFinding[],
  };
  // Smaller kinds first: what they leave unused goes to payments, where abandoned orders pile up.
  const kinds = [
    settlements &&
      kind<OpenSettlement, SettlementFinding>(
        'settlements',
        settlements.open,
        (s) => s.outSettleNo,
        (s) => reconcileSettlement(settlements, shared, s),
      ),
    refunds &&
      kind<OpenRefund, RefundFinding>(
        'refunds',
        refunds.open,
        (r) => r.outRefundNo,
        (r) => reconcileRefund(refunds, shared, r),
      ),
    payments &&
      kind<OpenPayment, PaymentFinding>(
        'payments',
        payments.open,
        (o) => o.outOrderNo,
        (o) => reconcilePayment(payments, shared, o),
      ),
  ].filter((k) => k !== undefined);
  const { maxQueries } = options;
  if (!Number.isSafeInteger(maxQueries) || maxQueries < Math.max(1, kinds.length)) {
    throw new RangeError(
      `reconcileDouyin: \`maxQueries\` must be an integer of at least ${Math.max(1, kinds.length)} (one per kind reconciled).`,
    );
  }

  const cursor: Record<keyof ReconcileCursor, string | undefined> = {
    payments: options.cursor?.payments,
    refunds: options.cursor?.refunds,
    settlements: options.cursor?.settlements,
  };
  let left = maxQueries;
  for (const [i, k] of kinds.entries()) {
    const share = Math.floor(left / (kinds.length - i));
    const next = await nextBatch(k.open, k.keyOf, cursor[k.name], share);
    cursor[k.name] = next.cursor;
    left -= next.batch.length;
    for (const item of next.batch) {
      options.signal?.throwIfAborted();
      (findings[k.name] as unknown[]).push(await k.one(item));
    }
  }
  return { cursor: withoutUndefined(cursor), ...findings };

  function kind<Item, Finding>(
    name: keyof ReconcileCursor,
    open: OpenItems<Item>,
    keyOf: (item: Item) => string,
    one: (item: Item) => Promise<Finding>,
  ): Kind<unknown, unknown> {
    // Each kind pairs its own item and finding types; the loop above needs only that they match.
    return { name, open, keyOf, one } as unknown as Kind<unknown, unknown>;
  }
}

function withoutUndefined(cursor: Record<keyof ReconcileCursor, string | undefined>): ReconcileCursor {
  return Object.fromEntries(Object.entries(cursor).filter(([, v]) => v !== undefined));
}
