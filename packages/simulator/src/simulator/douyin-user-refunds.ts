import { abortableDelay } from './abortable-delay.js';
import { douyinCallbackPlan } from './douyin-callbacks.js';
import {
  type DouyinOrder,
  type DouyinRefund,
  type DouyinRefundApplication,
  isLedgerProblem,
} from './douyin-store.js';
import { REFUND_APPLICATION_RETRY_SCHEDULE, REFUND_AUDIT_WINDOW_MS } from './retry-schedules.js';
import type { SimContext } from './sim-context.js';
import { SimulatorError } from './simulator-error.js';
import type { DeliveryResult, Simulator, UserRefundOptions, UserRefundResult } from './types.js';

/** "≤ 64 字节" for developer-side numbers (docs/PROTOCOLS.md §2.5). */
const MAX_OUT_REFUND_NO_BYTES = 64;

interface DouyinControlParts {
  orderOf(outOrderNo: string): DouyinOrder;
  deliveryUrl(perRequest: string | undefined, what: string): string;
  completeRefund(
    outRefundNo: string,
    opts?: { url?: string; loseCallbacks?: boolean },
  ): Promise<DeliveryResult>;
}

/**
 * `sim.douyin.userRefund`: a refund the user starts in the app, the trade system's whole path
 * (docs/PROTOCOLS.md §2.5, §2.6) — the platform files the refund, asks the shop for its refund number with
 * the signed refund application (`pre_create_refund`, retried every 10 minutes for 72 hours until an answer
 * carries a usable `out_refund_no`; then passed with a number of its own), waits for the shop's audit
 * (`refund_audit_callback`; approved when 72 hours pass without one), and completes an approved refund with
 * the refund result callback carrying the shop's `out_refund_no`. A denied refund stays denied: no result
 * callback (none is documented for a denial, §6 Q24). Every wait is scaled by `timeScale`.
 */
export function createUserRefunds(
  sim: SimContext,
  parts: DouyinControlParts,
): Simulator['douyin']['userRefund'] {
  const store = sim.douyin;
  const scaled = (ms: number) => ms * sim.options.timeScale;

  return async function userRefund(outOrderNo, opts: UserRefundOptions = {}): Promise<UserRefundResult> {
    const order = parts.orderOf(outOrderNo);
    if (order.system !== 'trade') {
      throw new SimulatorError(
        'INVALID_STATE',
        `Order "${outOrderNo}" is an ecpay order: the refund application is the trade system's (§2.5).`,
      );
    }
    const needAudit = opts.needAudit ?? true;
    if (typeof needAudit !== 'boolean')
      throw new SimulatorError('INVALID_ARGUMENT', '"needAudit" must be a boolean.');
    const amount = opts.amount ?? store.refundable(order);
    if (!Number.isSafeInteger(amount))
      throw new SimulatorError('INVALID_ARGUMENT', '"amount" must be an integer (fen).');
    const url = parts.deliveryUrl(opts.url ?? order.notify_url, `Order "${outOrderNo}"`);
    const createdAt = Date.now();
    const application: DouyinRefundApplication = {
      state: 'pending',
      need_refund_audit: needAudit ? 1 : 2,
      audit_status: 'INIT',
      audit_deadline: createdAt + scaled(REFUND_AUDIT_WINDOW_MS),
    };
    // The whole amount falls on the order's items in turn (a user refund of part of an order: the first ones).
    const items = itemsFor(order, amount);
    const refund = store.startUserRefund(order, { refund_amount: amount, items }, application);
    if (isLedgerProblem(refund))
      throw new SimulatorError('INVALID_STATE', `Order "${outOrderNo}": ${refund.message}.`);
    const audited = new Promise<'AGREE' | 'DENY'>((resolve) => {
      application.decide = resolve;
    });

    // 1. The application: until an answer carries a usable out_refund_no (§2.5).
    const msg = {
      app_id: sim.options.douyin.appId,
      open_id: `open_${refund.refund_no.slice(-12)}`,
      refund_id: refund.refund_no,
      order_id: order.order_id,
      out_order_no: order.out_order_no,
      refund_total_amount: amount,
      need_refund_audit: application.need_refund_audit,
      refund_audit_deadline: application.audit_deadline,
      create_refund_time: createdAt,
      refund_source: 1,
      refund_reason: opts.reason ?? ['不想要了'],
      refund_description: '',
      cp_extra: order.cp_extra,
      refund_item_detail: { item_order_quantity: items.length, item_order_detail: items },
    };
    const answered = (status: number, body: string) => usableAnswer(refund, status, body);
    const applicationResult = await sim.deliverer.deliver(
      douyinCallbackPlan(sim, 'trade', url, 'pre_create_refund', msg, {
        schedule: REFUND_APPLICATION_RETRY_SCHEDULE,
        isAck: (status, body) => answered(status, body) !== undefined,
      }),
    );
    const last = applicationResult.responses.at(-1);
    const answer = applicationResult.acknowledged && last ? answered(last.status, last.body) : undefined;
    if (answer) {
      application.state = 'answered';
      if (answer.order_entry_schema) application.order_entry_schema = answer.order_entry_schema;
      if (answer.notify_url) refund.notify_url = answer.notify_url;
      store.assignOutRefundNo(refund, answer.out_refund_no);
    } else if (sim.closing.aborted) {
      return {
        refund_id: refund.refund_no,
        out_refund_no: '',
        application: applicationResult,
        audit: 'INIT',
      };
    } else {
      // "若72小时后开发者未成功响应,系统会自动通过,并生成默认外部退款单号" (§2.5): its format is not documented.
      application.state = 'platform-passed';
      store.assignOutRefundNo(refund, `dy_${refund.refund_no}`);
    }

    // 2. The audit, when the refund needs one: the shop's decision, or approval when the window ends (§2.6).
    if (needAudit) {
      const remaining = Math.max(0, application.audit_deadline - Date.now());
      const decided = await Promise.race([
        audited,
        abortableDelay(remaining, sim.closing).then(() => undefined),
      ]);
      if (decided === undefined && sim.closing.aborted) {
        return {
          refund_id: refund.refund_no,
          out_refund_no: refund.out_refund_no,
          application: applicationResult,
          audit: 'INIT',
        };
      }
      application.audit_status = decided ?? 'AUTO_AGREE';
      application.decide = undefined;
    }
    if (application.audit_status === 'DENY') {
      refund.status = 'FAIL';
      refund.message = application.deny_message ?? '';
      return {
        refund_id: refund.refund_no,
        out_refund_no: refund.out_refund_no,
        application: applicationResult,
        audit: 'DENY',
      };
    }

    // 3. The refund, and its result callback with the shop's number.
    const result = await parts.completeRefund(refund.out_refund_no, {
      url: refund.notify_url ?? url,
      loseCallbacks: opts.loseResultCallback === true,
    });
    return {
      refund_id: refund.refund_no,
      out_refund_no: refund.out_refund_no,
      application: applicationResult,
      audit: needAudit ? application.audit_status : 'NONE',
      result,
    };
  };

  /**
   * The answer's data if it is a usable one: HTTP 200, `err_no` 0, an `out_refund_no` of at most 64 bytes
   * that no other refund of this app uses ("外部退款单号…在同一小程序内不会重复,否则也会被认为请求失败", §2.5).
   */
  function usableAnswer(
    refund: DouyinRefund,
    status: number,
    body: string,
  ):
    | { out_refund_no: string; order_entry_schema?: { path: string; params?: string }; notify_url?: string }
    | undefined {
    if (status !== 200) return undefined;
    let reply: { err_no?: unknown; data?: Record<string, unknown> };
    try {
      reply = JSON.parse(body);
    } catch {
      return undefined;
    }
    if (reply?.err_no !== 0 || typeof reply.data !== 'object' || reply.data === null) return undefined;
    const { out_refund_no: number, order_entry_schema: schema, notify_url: notifyUrl } = reply.data;
    if (typeof number !== 'string' || number === '' || Buffer.byteLength(number) > MAX_OUT_REFUND_NO_BYTES) {
      return undefined;
    }
    const taken = store.refunds.get(number);
    if (taken !== undefined && taken !== refund) return undefined;
    return {
      out_refund_no: number,
      ...(isSchema(schema) ? { order_entry_schema: schema } : {}),
      ...(typeof notifyUrl === 'string' && notifyUrl.startsWith('http') ? { notify_url: notifyUrl } : {}),
    };
  }
}

function isSchema(value: unknown): value is { path: string; params?: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { path?: unknown }).path === 'string'
  );
}

/** The refund spread over the order's items, first ones first. */
function itemsFor(order: DouyinOrder, amount: number): { item_order_id: string; refund_amount: number }[] {
  const items: { item_order_id: string; refund_amount: number }[] = [];
  let left = amount;
  for (const item of order.item_orders) {
    if (left <= 0) break;
    const part = Math.min(left, item.item_order_amount);
    items.push({ item_order_id: item.item_order_id, refund_amount: part });
    left -= part;
  }
  return items;
}
