/**
 * The idempotency keys of Douyin payments, refunds and settlements (docs/PROTOCOLS.md §1.3 natural keys),
 * in one place: the callback verifiers and the reconciliation of @ttpay/client build them here, so an
 * event learned by querying the platform carries exactly the key its callback would — and a late
 * callback after reconciliation is a duplicate, not a second payment, refund or settlement.
 */
export function ecpayPaymentKey(cpOrderNo: string, status: string): string {
  return `douyin:ecpay:payment:${cpOrderNo}:${status}`;
}

export function tradePaymentKey(outOrderNo: string, status: string): string {
  return `douyin:trade:payment:${outOrderNo}:${status}`;
}

/** ecpay refund: `cp_refundno`, the shop's refund number. */
export function ecpayRefundKey(cpRefundNo: string): string {
  return `douyin:ecpay:refund:${cpRefundNo}`;
}

/** ecpay settlement: `cp_settle_no`, the shop's settlement number. */
export function ecpaySettleKey(cpSettleNo: string): string {
  return `douyin:ecpay:settle:${cpSettleNo}`;
}

/**
 * Trade refund: the shop's `out_refund_no`, or — the platform documents it as possibly empty — the
 * platform's `refund_id`.
 */
export function tradeRefundKey(outRefundNoOrRefundId: string): string {
  return `douyin:trade:refund:${outRefundNoOrRefundId}`;
}

/** Trade settlement: the shop's `out_settle_no`, or the platform's `settle_id` when it is empty. */
export function tradeSettleKey(outSettleNoOrSettleId: string): string {
  return `douyin:trade:settle:${outSettleNoOrSettleId}`;
}
