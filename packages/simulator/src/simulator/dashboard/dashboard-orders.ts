import { isLedgerProblem } from '../douyin-store.js';
import { randomDigits } from '../random-ids.js';
import type { SimContext } from '../sim-context.js';
import { SimulatorError } from '../simulator-error.js';
import type { DeliveryResult, Simulator } from '../types.js';

export type OrderPlatform = 'douyin' | 'tiktok' | 'algovoi';
export type OrderAction = 'pay' | 'cancel' | 'refund' | 'settle';

export const ORDER_PLATFORMS: readonly OrderPlatform[] = ['douyin', 'tiktok', 'algovoi'];
export const ORDER_ACTIONS: readonly OrderAction[] = ['pay', 'cancel', 'refund', 'settle'];

/** One row of the dashboard's order list: display fields only, picked one by one. */
export interface OrderView {
  platform: OrderPlatform;
  /** `out_order_no` (Douyin), the order id (TikTok Shop), the checkout token (AlgoVoi). */
  id: string;
  /** Douyin: `ecpay` or `trade`. */
  system?: string;
  amount: string;
  status: string;
  subject?: string;
  createdAt: number;
  /** What the buttons can do now. */
  actions: OrderAction[];
  /** Douyin: refunds and the settlement of the order. */
  refunds?: { id: string; amount: string; status: string }[];
  settlement?: { id: string; amount: string; status: string };
}

type Controls = Pick<Simulator, 'douyin' | 'tiktok' | 'algovoi'>;

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
/** TikTok order states after which the buyer has nothing left to pay or cancel. */
const TIKTOK_FINAL = new Set(['CANCELLED', 'COMPLETED', 'DELIVERED', 'IN_TRANSIT']);
const seconds = () => Math.floor(Date.now() / 1000);

/** Every order, newest first, as the dashboard lists it. */
export function orderViews(sim: SimContext): OrderView[] {
  const views: OrderView[] = [];
  const douyin = sim.douyin;
  for (const order of douyin.orders.values()) {
    const status = douyin.statusOf(order);
    const refunds = [...douyin.refunds.values()].filter((r) => r.out_order_no === order.out_order_no);
    const settlement = douyin.settlementOf(order);
    const actions: OrderAction[] = [];
    if (status === 'PROCESSING') actions.push('pay', 'cancel');
    if (status === 'SUCCESS') {
      if (refunds.some((r) => r.status === 'PROCESSING') || douyin.refundable(order) > 0)
        actions.push('refund');
      if (settlement?.status === 'PROCESSING') actions.push('settle');
    }
    views.push({
      platform: 'douyin',
      id: order.out_order_no,
      system: order.system,
      amount: yuan(order.total_amount),
      status,
      ...(order.subject === undefined ? {} : { subject: order.subject }),
      createdAt: order.created_at,
      actions,
      refunds: refunds.map((r) => ({ id: r.out_refund_no, amount: yuan(r.refund_amount), status: r.status })),
      ...(settlement
        ? {
            settlement: {
              id: settlement.out_settle_no,
              amount: yuan(settlement.amount),
              status: settlement.status,
            },
          }
        : {}),
    });
  }
  for (const order of sim.tiktok.orders.values()) {
    const final = TIKTOK_FINAL.has(order.status);
    views.push({
      platform: 'tiktok',
      id: order.id,
      amount: `${order.payment.total_amount} ${order.payment.currency}`,
      status: order.status,
      createdAt: order.create_time * 1000,
      actions: final ? [] : ['pay', 'cancel', 'refund'],
    });
  }
  for (const token of sim.algovoi.checkouts.keys()) {
    const checkout = sim.algovoi.get(token);
    if (!checkout) continue;
    views.push({
      platform: 'algovoi',
      id: checkout.token,
      amount: `${checkout.amount.toFixed(2)} ${checkout.currency}`,
      status: checkout.status,
      ...(checkout.label === undefined ? {} : { subject: checkout.label }),
      createdAt: checkout.created_at,
      actions: checkout.status === 'pending' ? ['pay', 'cancel'] : [],
    });
  }
  return views.sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * What a button on an order does, as the platform would do it:
 * - Douyin: pay → the payment callback; cancel → the buyer walks away: a trade-system order gets its
 *   payment callback with status CANCEL (`sim.douyin.cancel`), an ecpay order just times out (ecpay
 *   notifies successes only, docs/PROTOCOLS.md §1.3); refund → completes the order's pending refund, or
 *   refunds what is left as a merchant would from the console, and sends the refund callback; settle →
 *   completes the pending settlement.
 * - TikTok Shop: pay → the buyer pays at TikTok's checkout (UNPAID → AWAITING_SHIPMENT, type-1 webhook; a
 *   paid order's webhook is sent again); cancel → type-11 webhook, cancellation
 *   complete; refund → type-12 webhook, a buyer's refund request.
 * - AlgoVoi: pay → the gateway's payment.confirmed webhook; cancel → the link expires (no webhook).
 * Resolves to the delivery, or undefined when the action sends nothing.
 */
export function runOrderAction(
  sim: SimContext,
  controls: Controls,
  platform: OrderPlatform,
  id: string,
  action: OrderAction,
): Promise<DeliveryResult> | undefined {
  if (platform === 'douyin') return douyinAction(sim, controls, id, action);
  if (platform === 'tiktok') {
    const order = sim.tiktok.orders.get(id);
    if (!order) throw new SimulatorError('UNKNOWN_ORDER', `No TikTok Shop order "${id}".`);
    if (TIKTOK_FINAL.has(order.status)) {
      throw new SimulatorError('INVALID_STATE', `TikTok Shop order "${id}" is ${order.status}.`);
    }
    const update_time = seconds();
    // An UNPAID order is paid at TikTok's checkout (no gateway); a paid one is announced again.
    if (action === 'pay' && order.status === 'UNPAID') return controls.tiktok.pay(id);
    if (action === 'pay') {
      return controls.tiktok.sendWebhook(1, {
        order_id: id,
        order_status: 'AWAITING_SHIPMENT',
        is_on_hold_order: false,
        update_time,
      });
    }
    // Types 11 and 12 carry the fixtures' typical fields (docs/PROTOCOLS.md §5.4) with this order's id.
    if (action === 'cancel') {
      return controls.tiktok.sendWebhook(11, {
        order_id: id,
        cancel_status: 'CANCELLATION_REQUEST_COMPLETE',
      });
    }
    if (action === 'refund') return controls.tiktok.sendWebhook(12, { order_id: id });
    throw notOffered(action, 'TikTok Shop orders');
  }
  if (action === 'pay') return controls.algovoi.pay(id);
  if (action === 'cancel') {
    const checkout = sim.algovoi.get(id);
    if (!checkout) throw new SimulatorError('UNKNOWN_CHECKOUT', `No AlgoVoi checkout "${id}".`);
    if (checkout.status !== 'pending') {
      throw new SimulatorError('INVALID_STATE', `Checkout "${id}" is ${checkout.status}, not pending.`);
    }
    checkout.status = 'expired';
    return undefined;
  }
  throw notOffered(action, 'AlgoVoi checkouts');
}

function douyinAction(
  sim: SimContext,
  controls: Controls,
  id: string,
  action: OrderAction,
): Promise<DeliveryResult> | undefined {
  const store = sim.douyin;
  if (action === 'pay') return controls.douyin.pay(id);
  const order = store.orders.get(id);
  if (!order) throw new SimulatorError('UNKNOWN_ORDER', `No Douyin order "${id}".`);
  const status = store.statusOf(order);
  if (action === 'cancel') {
    if (order.system === 'trade') return controls.douyin.cancel(id);
    if (status !== 'PROCESSING') {
      throw new SimulatorError('INVALID_STATE', `Order "${id}" is ${status}, not awaiting payment.`);
    }
    order.expires_at = Date.now();
    order.status = 'TIMEOUT';
    return undefined;
  }
  if (action === 'settle') {
    const settlement = store.settlementOf(order);
    if (settlement?.status !== 'PROCESSING') {
      throw new SimulatorError('INVALID_STATE', `Order "${id}" has no settlement in progress.`);
    }
    return controls.douyin.completeSettle(settlement.out_settle_no);
  }
  const pending = [...store.refunds.values()].find((r) => r.out_order_no === id && r.status === 'PROCESSING');
  if (pending) return controls.douyin.completeRefund(pending.out_refund_no);
  const refundable = store.refundable(order);
  if (refundable <= 0) throw new SimulatorError('INVALID_STATE', `Order "${id}" has nothing left to refund.`);
  const started = store.startRefund(order, {
    via: order.system,
    out_refund_no: `sim_refund_${randomDigits(10)}`,
    refund_amount: refundable,
    cp_extra: '',
    notify_url: order.notify_url,
  });
  if (isLedgerProblem(started))
    throw new SimulatorError('INVALID_STATE', `Cannot refund "${id}": ${started.message}.`);
  return controls.douyin.completeRefund(started.out_refund_no);
}

function notOffered(action: OrderAction, what: string): SimulatorError {
  return new SimulatorError('INVALID_ARGUMENT', `"${action}" is not offered for ${what}.`);
}
