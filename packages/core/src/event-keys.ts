/**
 * The idempotency keys of Douyin payments (docs/PROTOCOLS.md §1.3 natural keys), in one place: the
 * callback verifiers and the reconciliation helpers of @ttpay/client build them here, so a payment
 * learned by querying the platform carries exactly the key its callback would — and a late callback
 * after reconciliation is a duplicate, not a second payment.
 */
export function ecpayPaymentKey(cpOrderNo: string, status: string): string {
  return `douyin:ecpay:payment:${cpOrderNo}:${status}`;
}

export function tradePaymentKey(outOrderNo: string, status: string): string {
  return `douyin:trade:payment:${outOrderNo}:${status}`;
}
