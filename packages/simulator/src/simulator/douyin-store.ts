import { randomBytes } from 'node:crypto';
import { randomDigits } from './random-ids.js';

/** Which Douyin payment system created an order: the MD5/SHA-1 ecpay API or the RSA trade system. */
export type DouyinSystem = 'ecpay' | 'trade';

/** Order states in ecpay's vocabulary (docs/PROTOCOLS.md §1.1 query_order `order_status`). */
export type DouyinOrderStatus = 'PROCESSING' | 'SUCCESS' | 'TIMEOUT';

export interface DouyinItemOrder {
  item_order_id: string;
  sku_id: string;
  item_order_amount: number;
}

export interface DouyinOrder {
  system: DouyinSystem;
  out_order_no: string;
  order_id: string;
  /** ecpay only: what the mini-program passes to tt.pay. */
  order_token?: string;
  total_amount: number;
  subject?: string;
  body?: string;
  cp_extra: string;
  /** Per-order callback URL (ecpay `notify_url`, trade `payNotifyUrl`). */
  notify_url?: string;
  status: DouyinOrderStatus;
  created_at: number;
  expires_at: number;
  paid_at?: number;
  way: string;
  channel_no: string;
  payment_order_no: string;
  seller_uid: string;
  item_id: string;
  merchant_uid: string;
  /** Trade system: one per SKU line; ecpay: the order itself. */
  item_orders: DouyinItemOrder[];
  /** Trade system: the `data` sent to /requestOrder, parsed. */
  request?: Record<string, unknown>;
}

export type DouyinResultStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL';

/**
 * A refund the user (or customer service) started in the app (docs/PROTOCOLS.md §2.5, §2.6): the platform
 * asks the shop for its refund number (the application callback), then waits for the shop's audit.
 */
export interface DouyinRefundApplication {
  /** `answered`: the shop gave its number; `platform-passed`: 72 h of retries ran out, the platform made one. */
  state: 'pending' | 'answered' | 'platform-passed';
  need_refund_audit: 1 | 2;
  /**
   * `INIT` until audited; `AGREE` / `DENY` by `refund_audit_callback`; `AUTO_AGREE` when the window ran out.
   * Only AGREE is a recorded value (SKIT's refund_query sample); the others are the simulator's names.
   */
  audit_status: 'INIT' | 'AGREE' | 'DENY' | 'AUTO_AGREE';
  /** Milliseconds: the audit window's end, scaled by `timeScale`. */
  audit_deadline: number;
  deny_message?: string;
  order_entry_schema?: { path: string; params?: string };
  /** Told the shop's audit (`refund_audit_callback`), once. */
  decide?: (status: 'AGREE' | 'DENY') => void;
}

export interface DouyinRefund {
  /** Which API created it; the callback's signature follows the ORDER's system (docs/PROTOCOLS.md §2 mixed systems). */
  via: DouyinSystem;
  /**
   * The developer's number. For a user-started refund, empty until the shop answers the application (the
   * refund is filed under its `refund_no` meanwhile).
   */
  out_refund_no: string;
  refund_no: string;
  out_order_no: string;
  refund_amount: number;
  /** Trade system: the items refunded (absent for a whole-order refund). */
  items?: { item_order_id: string; refund_amount: number }[];
  status: DouyinResultStatus;
  cp_extra: string;
  notify_url?: string;
  created_at: number;
  refunded_at?: number;
  message?: string;
  /** Present for a refund the user started (not for the shop's refund_create / create_refund). */
  application?: DouyinRefundApplication;
}

export interface DouyinSettlement {
  via: DouyinSystem;
  out_settle_no: string;
  settle_no: string;
  out_order_no: string;
  /**
   * Gross amount settled. Callbacks and queries report it as settle_amount: whether the platform means gross
   * or net is unsettled (docs/PROTOCOLS.md §6 Q23); both recorded answers read gross, and settle_detail
   * names the net split.
   */
  amount: number;
  rake: number;
  commission: number;
  settle_desc: string;
  status: DouyinResultStatus;
  cp_extra: string;
  notify_url?: string;
  created_at: number;
  settled_at?: number;
  /** Set when it completes: the net split as the callback and settle_query name it ("商户号…-分成金额(分)N"). */
  settle_detail?: string;
}

/**
 * The simulator's illustrative platform fee on settlements (0.6%, as in the fixtures); real rates depend
 * on the merchant's contract. Non-zero so that a client assuming "settled = paid" shows up.
 */
export const SIMULATED_RAKE_RATE = 0.006;

/** Why a refund or settlement cannot start; each API maps it to its own error code. */
export interface LedgerProblem {
  problem: 'duplicate' | 'state';
  message: string;
}

export interface RefundRequest {
  via: DouyinSystem;
  out_refund_no: string;
  refund_amount: number;
  items?: { item_order_id: string; refund_amount: number }[] | undefined;
  cp_extra: string;
  notify_url?: string | undefined;
}

export interface SettlementRequest {
  via: DouyinSystem;
  out_settle_no: string;
  settle_desc: string;
  /** Sum of `settle_params` amounts paid to other merchants, 0 when none. */
  split_total: number;
  cp_extra: string;
  notify_url?: string | undefined;
}

/** Orders, refunds and settlements of one Douyin app, shared by the ecpay API and the trade system. */
export class DouyinStore {
  /** By `out_order_no`: one namespace per app, whichever system created the order. */
  readonly orders = new Map<string, DouyinOrder>();
  readonly refunds = new Map<string, DouyinRefund>();
  readonly settlements = new Map<string, DouyinSettlement>();

  /** The order's state now: an unpaid order past its validity has timed out. */
  statusOf(order: DouyinOrder, now = Date.now()): DouyinOrderStatus {
    if (order.status === 'PROCESSING' && now > order.expires_at) order.status = 'TIMEOUT';
    return order.status;
  }

  /** Paid amount not yet refunded or promised to a refund in progress. */
  refundable(order: DouyinOrder): number {
    let taken = 0;
    for (const r of this.refunds.values()) {
      if (r.out_order_no === order.out_order_no && r.status !== 'FAIL') taken += r.refund_amount;
    }
    return order.status === 'SUCCESS' ? order.total_amount - taken : 0;
  }

  /** The settlement of an order that is settled or settling (an order settles once). */
  settlementOf(order: DouyinOrder): DouyinSettlement | undefined {
    for (const s of this.settlements.values()) {
      if (s.out_order_no === order.out_order_no && s.status !== 'FAIL') return s;
    }
    return undefined;
  }

  /** Starts a refund of a paid order, whichever API asks (both apply the same amount rules). */
  startRefund(order: DouyinOrder, r: RefundRequest): DouyinRefund | LedgerProblem {
    if (this.refunds.has(r.out_refund_no)) {
      return { problem: 'duplicate', message: `out_refund_no "${r.out_refund_no}" already exists` };
    }
    if (this.statusOf(order) !== 'SUCCESS') return { problem: 'state', message: 'the order is not paid' };
    const refundable = this.refundable(order);
    if (r.refund_amount > refundable) {
      return {
        problem: 'state',
        message: `refund amount ${r.refund_amount} exceeds the refundable amount ${refundable}`,
      };
    }
    const refund: DouyinRefund = {
      via: r.via,
      out_refund_no: r.out_refund_no,
      refund_no: r.via === 'ecpay' ? douyinIds.ecpayRefund() : douyinIds.tradeRefund(),
      out_order_no: order.out_order_no,
      refund_amount: r.refund_amount,
      ...(r.items === undefined ? {} : { items: r.items }),
      status: 'PROCESSING',
      cp_extra: r.cp_extra,
      ...(r.notify_url === undefined ? {} : { notify_url: r.notify_url }),
      created_at: Date.now(),
    };
    this.refunds.set(refund.out_refund_no, refund);
    return refund;
  }

  /**
   * Starts a refund the user asked for (trade system): filed under its platform id until the shop's
   * application answer gives it the developer's number ({@link assignOutRefundNo}).
   */
  startUserRefund(
    order: DouyinOrder,
    r: { refund_amount: number; items?: { item_order_id: string; refund_amount: number }[] },
    application: DouyinRefundApplication,
  ): DouyinRefund | LedgerProblem {
    if (this.statusOf(order) !== 'SUCCESS') return { problem: 'state', message: 'the order is not paid' };
    const refundable = this.refundable(order);
    if (r.refund_amount < 1 || r.refund_amount > refundable) {
      return { problem: 'state', message: `refund amount ${r.refund_amount} is not within 1..${refundable}` };
    }
    const refund: DouyinRefund = {
      via: 'trade',
      out_refund_no: '',
      refund_no: douyinIds.tradeRefund(),
      out_order_no: order.out_order_no,
      refund_amount: r.refund_amount,
      ...(r.items === undefined ? {} : { items: r.items }),
      status: 'PROCESSING',
      cp_extra: '',
      created_at: Date.now(),
      application,
    };
    this.refunds.set(refund.refund_no, refund);
    return refund;
  }

  /** Files a user-started refund under the developer's number the shop (or the platform) gave it. */
  assignOutRefundNo(refund: DouyinRefund, outRefundNo: string): void {
    this.refunds.delete(refund.out_refund_no === '' ? refund.refund_no : refund.out_refund_no);
    refund.out_refund_no = outRefundNo;
    this.refunds.set(outRefundNo, refund);
  }

  /** Settles what is left of a paid order (an order settles once; assumption: no partial settlements). */
  startSettlement(order: DouyinOrder, r: SettlementRequest): DouyinSettlement | LedgerProblem {
    if (this.settlements.has(r.out_settle_no)) {
      return { problem: 'duplicate', message: `out_settle_no "${r.out_settle_no}" already exists` };
    }
    if (this.statusOf(order) !== 'SUCCESS') return { problem: 'state', message: 'the order is not paid' };
    if (this.settlementOf(order))
      return { problem: 'state', message: 'the order is already settled or settling' };
    const amount = this.refundable(order);
    if (amount <= 0)
      return { problem: 'state', message: 'nothing left to settle: the order is fully refunded' };
    if (r.split_total > amount) {
      return {
        problem: 'state',
        message: `settle_params total ${r.split_total} exceeds the settleable amount ${amount}`,
      };
    }
    const settlement: DouyinSettlement = {
      via: r.via,
      out_settle_no: r.out_settle_no,
      settle_no: r.via === 'ecpay' ? douyinIds.ecpaySettle() : douyinIds.tradeSettle(),
      out_order_no: order.out_order_no,
      amount,
      rake: Math.round(amount * SIMULATED_RAKE_RATE),
      commission: 0,
      settle_desc: r.settle_desc,
      status: 'PROCESSING',
      cp_extra: r.cp_extra,
      ...(r.notify_url === undefined ? {} : { notify_url: r.notify_url }),
      created_at: Date.now(),
    };
    this.settlements.set(settlement.out_settle_no, settlement);
    return settlement;
  }

  findOrderById(orderId: string): DouyinOrder | undefined {
    for (const o of this.orders.values()) if (o.order_id === orderId) return o;
    return undefined;
  }

  findRefundById(refundNo: string): DouyinRefund | undefined {
    for (const r of this.refunds.values()) if (r.refund_no === refundNo) return r;
    return undefined;
  }

  findSettlementById(settleNo: string): DouyinSettlement | undefined {
    for (const s of this.settlements.values()) if (s.settle_no === settleNo) return s;
    return undefined;
  }
}

/** Platform-side ids, shaped like the real ones (ecpay `N…`, trade `motb…`). */
export function isLedgerProblem(value: object): value is LedgerProblem {
  return 'problem' in value;
}

export const douyinIds = {
  ecpayOrder: () => `N${randomDigits(18)}`,
  tradeOrder: () => `motb${randomDigits(23)}`,
  tradeItemOrder: () => `motb${randomDigits(23)}`,
  orderToken: () => randomBytes(24).toString('base64url'),
  ecpayRefund: () => `R${randomDigits(18)}`,
  tradeRefund: () => `motr${randomDigits(23)}`,
  ecpaySettle: () => randomDigits(18),
  tradeSettle: () => `mots${randomDigits(23)}`,
  payment: () => `PAY${randomDigits(16)}`,
  channel: () => randomDigits(28),
  seller: () => randomDigits(20),
};
