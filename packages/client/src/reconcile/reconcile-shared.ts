import { applyOnce } from '@ttpay/core';
import type { IdempotencyStore, TransactionalIdempotencyStore } from '@ttpay/core/store';
import type { DouyinEcpayClient } from '../ecpay/ecpay-client.js';
import type { DouyinTradeClient } from '../trade/trade-client.js';

/** What the handlers get: the callback handler's own context shape (`ctx.payment.tx`). */
export interface ReconcileContext<Tx> {
  readonly payment: { readonly tx: Tx | undefined };
}

/**
 * The clients of the systems the shop uses. Only the query methods are called (`queryOrder`,
 * `queryRefund`, `querySettle`; `orderQuery`, `refundQuery`, `settleQuery`); an open item of a system
 * or kind without its method is reported `failed`.
 */
export interface ReconcileClients {
  ecpay?: Partial<Pick<DouyinEcpayClient, 'queryOrder' | 'queryRefund' | 'querySettle'>> | undefined;
  trade?: Partial<Pick<DouyinTradeClient, 'orderQuery' | 'refundQuery' | 'settleQuery'>> | undefined;
}

/** What every kind of a run shares. */
export interface ReconcileShared<Tx> {
  readonly clients: ReconcileClients;
  readonly appId: string;
  readonly store: IdempotencyStore | TransactionalIdempotencyStore<Tx>;
  readonly leaseMs: number;
  readonly doneTtlMs: number;
  readonly now: () => number;
  readonly signal?: AbortSignal | undefined;
}

/** What `applyOnce` made of a finding: applied now, applied before (or by its callback), or being applied. */
export type AppliedOutcome = 'applied' | 'duplicate' | 'in-flight';

/**
 * A finding through the callback's handler and store, under the callback's key: a callback arriving
 * afterwards (or racing it) is a duplicate, and the handler runs once in all.
 */
export async function applyFound<Tx, E extends { key: string }>(
  shared: ReconcileShared<Tx>,
  event: E,
  handler: (event: E, ctx: ReconcileContext<Tx>) => unknown,
): Promise<AppliedOutcome> {
  const applied = await applyOnce(shared.store, event.key, (tx) => handler(event, { payment: { tx } }), {
    leaseMs: shared.leaseMs,
    doneTtlMs: shared.doneTtlMs,
  });
  return applied === 'applied' ? 'applied' : applied === 'done' ? 'duplicate' : 'in-flight';
}

/** The query method a kind needs, or an error naming what is missing (the finding is `failed`). */
export function queryOf<C extends object, M extends keyof C>(
  client: C | undefined,
  method: M,
  what: string,
): NonNullable<C[M]> {
  const found = client?.[method];
  if (typeof found !== 'function')
    throw new Error(`reconcileDouyin: no ${String(method)} client for ${what}`);
  return (found as (...args: unknown[]) => unknown).bind(client) as NonNullable<C[M]>;
}

/** The call options every query gets: the run's signal. */
export function callOf(shared: ReconcileShared<unknown>): { signal: AbortSignal } | undefined {
  return shared.signal ? { signal: shared.signal } : undefined;
}
