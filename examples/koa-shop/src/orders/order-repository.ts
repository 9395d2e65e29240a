/**
 * Where the shop keeps its orders, the events it applied and the anomalies it found: `SqlOrderRepository`
 * (PostgreSQL, or the embedded PGlite) in this shop; your own database goes behind this interface.
 *
 * The one method that matters is `update`: read the order, change it, and record the event that
 * caused the change — all in ONE transaction (`SELECT … FOR UPDATE`, `UPDATE orders`, `INSERT INTO
 * applied_events`). If your `IdempotencyStore` (the `claim`/`complete` behind @ttpay/koa) lives in the
 * same database, its `done` row can go into that transaction too: then an event is applied exactly once
 * even across crashes. See the root README, "Your own persistence".
 */
/** Anything that runs a parameterised statement: a `pg` client or pool, a PGlite or its transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export type OrderChannel = 'douyin-ecpay' | 'douyin-trade' | 'tiktok';

export type OrderStatus =
  /** Recorded; waiting for the buyer (Douyin), or a TikTok order not paid yet (`UNPAID`). */
  | 'created'
  /** The platform refused to create it (err_no ≠ 0): it can never be paid. */
  | 'failed'
  /** Paid: Douyin's callback said so, or — TikTok — the buyer paid at TikTok's checkout (to ship). */
  | 'paid'
  | 'partially_refunded'
  | 'refunded'
  | 'settled'
  | 'cancelled'
  /**
   * TikTok: marked for settlement OUTSIDE TikTok's checkout before it shipped; its shipment waits for that
   * AlgoVoi link to be paid (confirmed through `GET /checkout/{token}/status`).
   */
  | 'awaiting_payment'
  /** TikTok: shipped through TikTok's own flow (a TikTok-shipped package, or the seller's carrier number). */
  | 'shipped';

/**
 * `PROCESSING` until the platform says `SUCCESS` or `FAIL` (its callback, or reconciliation's query):
 * while it is, reconciliation asks about it.
 */
export type MoneyStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL' | (string & {});

export interface RefundRecord {
  /** The shop's refund number (`out_refund_no`): answered to the refund application, or the shop's own. */
  refundNo: string;
  /** Integer minor units, when known. */
  amount: number | null;
  status: MoneyStatus;
  at: string;
  /** Douyin trade: the platform's `refund_id` of a user-started refund (its application's key). */
  refundId?: string;
  /** A user-started refund the shop must audit: `pending` until the operator decides (`refundAuditCallback`). */
  audit?: 'pending' | 'approved' | 'denied';
  denyMessage?: string;
}

export interface SettlementRecord {
  settleNo: string;
  amount: number | null;
  status: MoneyStatus;
  at: string;
}

/**
 * A TikTok order marked for settlement OUTSIDE TikTok's checkout (a B2B invoice, a supplier or fee
 * settlement): the operator names the payer, the amount and the currency (`POST /orders/:outOrderNo/
 * settlement`); the shop creates exactly one AlgoVoi link for it. An order the buyer paid at TikTok's
 * checkout never gets one on its own (docs/PROTOCOLS.md §3.8).
 */
export interface AlgoVoiSettlement {
  payer: string;
  /** Decimal with at most two places, e.g. "120.00". */
  amount: string;
  currency: string;
  /**
   * `Settlement of <outOrderNo> — <payer>`: unique and deterministic, written BEFORE the gateway is asked,
   * so that a link whose create answer was lost is recognised by the webhook's `data.payment_link_label`.
   */
  label: string;
  /**
   * `creating`: asked, answer not in yet (found so later, it means the answer was lost: never create again);
   * `created`: the link exists (`token`); `outcome-unknown`: the gateway may hold a link nobody has seen
   * yet — its webhook, matched by `label`, brings the token.
   */
  link: 'creating' | 'created' | 'outcome-unknown';
  requestedAt: string;
  /** The checkout token: the key for `GET /checkout/{token}/status` and the webhook's `data.payment_link_token`. */
  token?: string;
  checkoutUrl?: string;
  linkCreatedAt?: string;
  /** The last gateway event applied (`payment.confirmed`): a hint; `paidAt` is what counts. */
  gatewayEvent?: string;
  /** The on-chain transaction id, from the status answer (or the webhook's `data.tx_id`). */
  txId?: string;
  /** When `GET /checkout/{token}/status` said paid. */
  paidAt?: string;
}

export interface OrderRecord {
  /** The shop's order number: Douyin `out_order_no` / `cp_orderno`, or `tiktok-<order_id>`. */
  outOrderNo: string;
  channel: OrderChannel;
  /** Integer minor units (fen, cents). Null until known: a TikTok webhook carries no amount. */
  amount: number | null;
  currency: string;
  status: OrderStatus;
  subject?: string;
  /** Douyin `order_id` / TikTok order id. */
  platformOrderId?: string;
  /** TikTok: `order_status` of the latest notification applied, and its `update_time`. */
  platformStatus?: string;
  platformStatusTime?: number;
  createdAt: string;
  updatedAt: string;
  paidAt?: string;
  refundedAmount: number;
  refunds: RefundRecord[];
  settlements: SettlementRecord[];
  algovoi?: AlgoVoiSettlement;
}

/** One event a handler applied (`GET /events`); `ref` is the platform's business id (`eventRef`). */
export interface AppliedEvent {
  platform: 'douyin' | 'tiktok' | 'algovoi';
  type: string;
  key: string;
  ref: string;
  at: string;
}

export type AnomalyKind =
  /** A verified payment whose amount is not the order's: acknowledged, not applied. */
  | 'amount-mismatch'
  /** A verified callback or webhook for an order (or checkout) this shop has no record of. */
  | 'unknown-order'
  /** An outside settlement the gateway refused, or whose link outcome is unknown (find it by its label). */
  | 'settlement-refused'
  /** The ship job could not ship (several packages, a carrier not on the order's delivery option, …). */
  | 'shipment-refused'
  /** TikTok: the seller's authorization is expiring (webhook type 7): the seller must re-authorize. */
  | 'authorization-expiring'
  /** A verified event with text the database cannot store (NUL, a lone surrogate): acknowledged, not applied. */
  | 'unstorable-text'
  /** A Douyin payment of one system (ecpay / trade) for an order made through the other: not applied. */
  | 'system-mismatch'
  /** Douyin refused the operator's refund audit (22006): e.g. the 72-hour default approval came first. */
  | 'refund-audit-refused';

/** Something a human should look at. Logged as an error as well. */
export interface Anomaly {
  kind: AnomalyKind;
  platform: AppliedEvent['platform'];
  /** The event's idempotency key, when an event caused it. */
  key?: string;
  ref: string;
  outOrderNo?: string;
  detail: string;
  at: string;
}

/** `change` returns the new order, or `undefined` to leave everything as it is. */
export type OrderChange = (current: OrderRecord | undefined) => OrderRecord | undefined;

export class OrderExistsError extends Error {
  override readonly name = 'OrderExistsError';
}

/**
 * What a webhook handler runs in: `ctx.payment.tx` is the idempotency store's transaction when the
 * store is `PostgresStore` (its done-record commits with what the handler writes through it), and
 * undefined with any other store. A reconciliation job passes the same shape.
 */
export interface TxScope {
  readonly payment: { readonly tx?: unknown };
}

/**
 * Runs `work` in one transaction of the shop's database, in the scope a webhook handler gets: what a job
 * changes and the jobs it adds commit together, as a handler's do.
 */
export type InTransaction = <R>(work: (scope: TxScope) => Promise<R>) => Promise<R>;

export interface OrderRepository {
  /**
   * The same repository inside a transaction someone else opened (`ctx.payment.tx`): every method runs
   * in it and commits or rolls back with it. Optional: a repository without it cannot join the store's
   * transaction, and a handler given one fails loudly instead of writing outside it.
   */
  within?(tx: unknown): OrderRepository;
  get(outOrderNo: string): Promise<OrderRecord | undefined>;
  findByPlatformOrderId(platformOrderId: string): Promise<OrderRecord | undefined>;
  findByCheckoutToken(token: string): Promise<OrderRecord | undefined>;
  /** Inserts a new order; rejects with `OrderExistsError` when the number is taken. */
  create(order: OrderRecord): Promise<void>;
  /**
   * Atomically: reads the order (undefined when absent, so `change` may also insert one), applies
   * `change`, and — only when it changed something — records `event`. Resolves to the order as it is
   * now and whether it changed.
   */
  update(
    outOrderNo: string,
    change: OrderChange,
    event?: AppliedEvent,
  ): Promise<{ order: OrderRecord | undefined; changed: boolean }>;
  recordAnomaly(anomaly: Anomaly): Promise<void>;
  anomalies(filter?: { outOrderNo?: string }): Promise<Anomaly[]>;
  /** Every event applied, oldest first. */
  events(): Promise<AppliedEvent[]>;
}

/** The handler's transaction (`ctx.payment.tx`) as something that runs statements, for adding jobs in it. */
export function txOf(scope: TxScope): Queryable | undefined {
  return scope.payment.tx as Queryable | undefined;
}

/** The repository a handler writes through: inside the store's transaction when there is one. */
export function ordersFor(orders: OrderRepository, scope: TxScope): OrderRepository {
  const tx = scope.payment.tx;
  if (tx === undefined) return orders;
  if (!orders.within) {
    throw new Error(
      'The idempotency store runs handlers in a transaction, but this OrderRepository has no within(tx): its writes would not commit with the event.',
    );
  }
  return orders.within(tx);
}
