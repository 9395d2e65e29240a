import type { EcpayPaymentEvent, TradePaymentEvent } from '@ttpay/core';
import type { IdempotencyStore, TransactionalIdempotencyStore } from '@ttpay/core/store';
import type { DouyinEcpayClient } from '../ecpay/ecpay-client.js';
import type { DouyinTradeClient } from '../trade/trade-client.js';
import { reconcileDouyin } from './reconcile-douyin.js';
import type { OpenPayment, PaymentFinding } from './reconcile-payment.js';
import type { ReconcileContext } from './reconcile-shared.js';

/** `reconcilePayments`: `reconcileDouyin` with payments only, its options flat. */
export interface ReconcilePaymentsOptions<Tx = unknown> {
  /** As `payments.open` of `reconcileDouyin`. */
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
  appId: string;
  store: IdempotencyStore | TransactionalIdempotencyStore<Tx>;
  onPayment(event: EcpayPaymentEvent | TradePaymentEvent, ctx: ReconcileContext<Tx>): unknown;
  onExpired(order: OpenPayment): unknown;
  leaseMs: number;
  doneTtlMs: number;
  /** How long after `payBy` an order the platform still calls open is asked about. Default 1 hour. */
  graceMs?: number;
  now?: () => number;
  signal?: AbortSignal;
}

export interface ReconcileRun {
  /** Pass as `cursor` to the next run: the rotation goes on after the last order asked about. */
  readonly cursor: string | undefined;
  /** One per order asked about, at most `maxQueries`. */
  readonly findings: readonly PaymentFinding[];
}

/**
 * Payments only: `reconcileDouyin({ payments: { open, onPayment, onExpired }, … })` with the cursor and
 * findings of that one kind. A shop that also refunds or settles uses `reconcileDouyin`.
 */
export async function reconcilePayments<Tx = unknown>(
  options: ReconcilePaymentsOptions<Tx>,
): Promise<ReconcileRun> {
  const run = await reconcileDouyin<Tx>({
    payments: {
      open: options.openPayments,
      onPayment: options.onPayment,
      onExpired: options.onExpired,
      graceMs: options.graceMs,
    },
    cursor: { payments: options.cursor },
    maxQueries: options.maxQueries,
    clients: options.clients,
    appId: options.appId,
    store: options.store,
    leaseMs: options.leaseMs,
    doneTtlMs: options.doneTtlMs,
    now: options.now,
    signal: options.signal,
  });
  return { cursor: run.cursor.payments, findings: run.payments };
}
