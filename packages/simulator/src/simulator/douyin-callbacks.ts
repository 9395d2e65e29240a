import { demoCredentials, signedEcpayCallback, signedTradeCallback, type tradeMsg } from '@ttpay/testing';
import { assertDuplicates, type DeliveryPlan, isDouyinAck } from './deliver-with-retries.js';
import { type DouyinOrder, type DouyinResultStatus, type DouyinSystem, douyinIds } from './douyin-store.js';
import { createUserRefunds } from './douyin-user-refunds.js';
import { randomDigits } from './random-ids.js';
import { ECPAY_RETRY_SCHEDULE, type RetrySchedule, TRADE_RETRY_SCHEDULE } from './retry-schedules.js';
import type { SimContext } from './sim-context.js';
import { SimulatorError } from './simulator-error.js';
import type { DeliveryResult, Simulator } from './types.js';

/** The trade-system callback types the fixtures build (the result notifications and the refund application). */
type TradeCallbackType = Parameters<typeof tradeMsg>[0];

/** How long Douyin waits for a callback reply is not in docs/PROTOCOLS.md; 5 s is the simulator's assumption. */
const DOUYIN_REPLY_TIMEOUT_MS = 5000;

/**
 * How to deliver one signed Douyin callback. The callback of an ecpay order is SHA-1 signed in the body
 * (§1.3); of a trade-system order, RSA signed in headers (§2). Refunds/settlements follow the ORDER's
 * system, even when started through the other API (§2 "mixed systems"). `schedule` and `isAck` default to
 * the system's result-callback ones.
 */
export function douyinCallbackPlan(
  sim: SimContext,
  system: DouyinSystem,
  url: string,
  type: TradeCallbackType,
  msg: Record<string, unknown>,
  custom: { schedule?: RetrySchedule; isAck?: DeliveryPlan['isAck'] } = {},
): DeliveryPlan {
  const rawMsg = JSON.stringify(msg);
  const common = {
    url,
    platform: 'douyin',
    isAck: custom.isAck ?? isDouyinAck,
    timeoutMs: DOUYIN_REPLY_TIMEOUT_MS,
  } as const;
  if (system === 'ecpay') {
    // One signed body for every retry: whether the platform refreshes `timestamp` is undocumented (§1.3).
    const delivery = signedEcpayCallback({ type, rawMsg, token: sim.options.douyin.token });
    return { ...common, schedule: custom.schedule ?? ECPAY_RETRY_SCHEDULE, attempt: () => delivery };
  }
  // Each trade retry is signed afresh (same body): whether the platform re-sends the first attempt's
  // Byte-Timestamp is undocumented (§2.3); fresh headers pass any receiver's window.
  const logId = `${Date.now()}${randomDigits(12)}`;
  const { platformPrivateKey } = sim.options.douyin;
  return {
    ...common,
    schedule: custom.schedule ?? TRADE_RETRY_SCHEDULE,
    attempt: () => signedTradeCallback({ type, rawMsg, platformPrivateKey, logId }),
  };
}

/** Pay channel of simulated payments: Douyin Pay (ecpay `way` "10", trade `pay_channel` 10; docs/PROTOCOLS.md §1.1). */
const DOUYIN_PAY_WAY = '10';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** A callback whose every attempt was lost on the way: the platform's state changed, the app never hears. */
const lost = (url: string): DeliveryResult => ({ url, attempts: 0, acknowledged: false, responses: [] });

/** `sim.douyin`: completes payments, refunds and settlements and delivers their signed callbacks. */
export function createDouyinControl(sim: SimContext): Simulator['douyin'] {
  const store = sim.douyin;
  const { appId } = sim.options.douyin;

  const plan = (system: DouyinSystem, url: string, type: TradeCallbackType, msg: Record<string, unknown>) =>
    douyinCallbackPlan(sim, system, url, type, msg);

  function deliveryUrl(perRequest: string | undefined, what: string): string {
    const url = perRequest ?? sim.options.douyin.notifyUrl;
    if (url) return url;
    throw new SimulatorError(
      'NO_DELIVERY_URL',
      `${what} has no callback URL: pass one in the request (notify_url / payNotifyUrl) or start the simulator with douyin.notifyUrl (the console setting).`,
    );
  }

  function orderOf(outOrderNo: string): DouyinOrder {
    const order = store.orders.get(outOrderNo);
    if (order) return order;
    throw new SimulatorError('UNKNOWN_ORDER', `No Douyin order "${outOrderNo}".`);
  }

  async function pay(
    outOrderNo: string,
    opts: { duplicates?: number; url?: string; loseCallbacks?: boolean } = {},
  ): Promise<DeliveryResult> {
    assertDuplicates(opts.duplicates);
    const order = store.orders.get(outOrderNo);
    if (!order) {
      throw new SimulatorError(
        'UNKNOWN_ORDER',
        `No Douyin order "${outOrderNo}": create it first (ecpay create_order or trade /requestOrder).`,
      );
    }
    const status = store.statusOf(order);
    if (status !== 'PROCESSING') {
      throw new SimulatorError('INVALID_STATE', `Order "${outOrderNo}" is ${status}, not awaiting payment.`);
    }
    const url = deliveryUrl(opts.url ?? order.notify_url, `Order "${outOrderNo}"`);
    const paidAt = Date.now();
    Object.assign(order, {
      status: 'SUCCESS',
      paid_at: paidAt,
      way: DOUYIN_PAY_WAY,
      channel_no: douyinIds.channel(),
    } satisfies Partial<DouyinOrder>);
    // Payment callbacks are sent for successful payments only (docs/PROTOCOLS.md §1.3).
    const msg =
      order.system === 'ecpay'
        ? {
            appid: appId,
            cp_orderno: order.out_order_no,
            cp_extra: order.cp_extra,
            way: order.way,
            channel_no: order.channel_no,
            channel_gateway_no: '',
            payment_order_no: order.payment_order_no,
            out_channel_order_no: '',
            total_amount: order.total_amount,
            status: 'SUCCESS',
            seller_uid: order.seller_uid,
            extra: '',
            item_id: order.item_id,
            paid_at: seconds(paidAt),
            message: '',
            order_id: order.order_id,
          }
        : {
            app_id: appId,
            out_order_no: order.out_order_no,
            order_id: order.order_id,
            status: 'SUCCESS',
            total_amount: order.total_amount,
            discount_amount: 0,
            pay_channel: Number(DOUYIN_PAY_WAY),
            channel_pay_id: order.channel_no,
            merchant_uid: order.merchant_uid,
            message: '',
            event_time: paidAt,
            cp_extra: order.cp_extra,
          };
    // Every attempt of the retry schedule lost on the way: the platform knows the order is paid, the app
    // never hears of it (only a query finds it).
    if (opts.loseCallbacks === true) return lost(url);
    return sim.deliverer.deliver({ ...plan(order.system, url, 'payment', msg), duplicates: opts.duplicates });
  }

  /**
   * A trade-system order that will not be paid — the buyer gave up or the payment window closed — and its
   * payment callback with `status: "CANCEL"` (docs/PROTOCOLS.md §5.5). ecpay sends successes only, so an
   * ecpay order is refused.
   */
  async function cancel(outOrderNo: string, opts: { url?: string } = {}): Promise<DeliveryResult> {
    const order = orderOf(outOrderNo);
    if (order.system !== 'trade') {
      throw new SimulatorError(
        'INVALID_STATE',
        `Order "${outOrderNo}" is an ecpay order: ecpay sends payment callbacks for successes only.`,
      );
    }
    const status = store.statusOf(order);
    if (status !== 'PROCESSING' && status !== 'TIMEOUT') {
      throw new SimulatorError('INVALID_STATE', `Order "${outOrderNo}" is ${status}: nothing to cancel.`);
    }
    const url = deliveryUrl(opts.url ?? order.notify_url, `Order "${outOrderNo}"`);
    const at = Date.now();
    order.status = 'TIMEOUT';
    const msg = {
      app_id: appId,
      out_order_no: order.out_order_no,
      order_id: order.order_id,
      status: 'CANCEL',
      total_amount: order.total_amount,
      discount_amount: 0,
      message: 'the order was not paid in time (simulated)',
      event_time: at,
      cp_extra: order.cp_extra,
    };
    return sim.deliverer.deliver(plan(order.system, url, 'payment', msg));
  }

  async function completeRefund(
    outRefundNo: string,
    opts: { status?: 'SUCCESS' | 'FAIL'; url?: string; loseCallbacks?: boolean } = {},
  ): Promise<DeliveryResult> {
    const status: DouyinResultStatus = opts.status ?? 'SUCCESS';
    if (status !== 'SUCCESS' && status !== 'FAIL') {
      throw new SimulatorError('INVALID_ARGUMENT', 'status must be "SUCCESS" or "FAIL".');
    }
    const refund = store.refunds.get(outRefundNo);
    if (!refund) throw new SimulatorError('UNKNOWN_REFUND', `No Douyin refund "${outRefundNo}".`);
    if (refund.status !== 'PROCESSING') {
      throw new SimulatorError('INVALID_STATE', `Refund "${outRefundNo}" is already ${refund.status}.`);
    }
    const order = orderOf(refund.out_order_no);
    const url = deliveryUrl(opts.url ?? refund.notify_url, `Refund "${outRefundNo}"`);
    const at = Date.now();
    refund.status = status;
    refund.refunded_at = at;
    const isAllSettled = store.settlementOf(order)?.status === 'SUCCESS';
    const message = status === 'FAIL' ? 'refund failed (simulated)' : '';
    // Success and failure are both notified (docs/PROTOCOLS.md §1.3).
    const msg =
      order.system === 'ecpay'
        ? {
            appid: appId,
            cp_refundno: refund.out_refund_no,
            cp_extra: refund.cp_extra,
            status,
            refund_amount: refund.refund_amount,
            is_all_settled: isAllSettled,
            refunded_at: seconds(at),
            message,
            order_id: order.order_id,
            refund_no: refund.refund_no,
          }
        : {
            app_id: appId,
            status,
            order_id: order.order_id,
            refund_id: refund.refund_no,
            out_refund_no: refund.out_refund_no,
            refund_total_amount: refund.refund_amount,
            is_all_settled: isAllSettled,
            message,
            event_time: at,
            cp_extra: refund.cp_extra,
          };
    if (opts.loseCallbacks === true) return lost(url);
    return sim.deliverer.deliver(plan(order.system, url, 'refund', msg));
  }

  async function completeSettle(
    outSettleNo: string,
    opts: { url?: string; loseCallbacks?: boolean } = {},
  ): Promise<DeliveryResult> {
    const settlement = store.settlements.get(outSettleNo);
    if (!settlement) throw new SimulatorError('UNKNOWN_SETTLEMENT', `No Douyin settlement "${outSettleNo}".`);
    if (settlement.status !== 'PROCESSING') {
      throw new SimulatorError(
        'INVALID_STATE',
        `Settlement "${outSettleNo}" is already ${settlement.status}.`,
      );
    }
    const order = orderOf(settlement.out_order_no);
    const url = deliveryUrl(opts.url ?? settlement.notify_url, `Settlement "${outSettleNo}"`);
    const at = Date.now();
    settlement.status = 'SUCCESS';
    settlement.settled_at = at;
    const net = settlement.amount - settlement.rake - settlement.commission;
    // settle_amount: gross or net is unsettled (§6 Q23); both recorded answers read gross, with the net
    // split named in settle_detail ("商户号…-分成金额(分)N", SKIT's settle_query sample).
    const settleDetail = `商户号${demoCredentials.douyin.merchantUid}-分成金额(分)${net}`;
    settlement.settle_detail = settleDetail;
    const msg =
      order.system === 'ecpay'
        ? {
            app_id: appId,
            cp_settle_no: settlement.out_settle_no,
            cp_extra: settlement.cp_extra,
            status: 'SUCCESS',
            rake: settlement.rake,
            commission: settlement.commission,
            settle_detail: settleDetail,
            settled_at: seconds(at),
            message: '',
            order_id: order.order_id,
            channel_settle_id: randomDigits(16),
            settle_amount: settlement.amount,
            settle_no: settlement.settle_no,
            out_order_no: order.out_order_no,
            is_auto_settle: false,
          }
        : {
            app_id: appId,
            status: 'SUCCESS',
            order_id: order.order_id,
            settle_id: settlement.settle_no,
            out_settle_no: settlement.out_settle_no,
            settle_amount: settlement.amount,
            rake: settlement.rake,
            commission: settlement.commission,
            settle_detail: settleDetail,
            message: '',
            event_time: at,
            cp_extra: settlement.cp_extra,
            is_auto_settle: false,
          };
    if (opts.loseCallbacks === true) return lost(url);
    return sim.deliverer.deliver(plan(order.system, url, 'settle', msg));
  }

  function order(outOrderNo: string): Record<string, unknown> | undefined {
    const found = store.orders.get(outOrderNo);
    if (!found) return undefined;
    store.statusOf(found);
    return structuredClone(found) as unknown as Record<string, unknown>;
  }

  const userRefund = createUserRefunds(sim, { orderOf, deliveryUrl, completeRefund });
  return { pay, cancel, completeRefund, completeSettle, userRefund, order };
}
