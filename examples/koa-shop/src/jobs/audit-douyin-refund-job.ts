import { type DouyinTradeClient, isTtpayApiError } from '@ttpay/client';
import type { Logger } from '../logger.js';
import type { OrderRepository } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import type { ShopJobs } from './shop-jobs.js';

export interface AuditDouyinRefundJobDeps {
  orders: OrderRepository;
  trade: Pick<DouyinTradeClient, 'refundAuditCallback' | 'refundQuery'>;
  logger: Logger;
}

/** `refund_audit_callback/`: the refund needs no audit, its application is unanswered, or it was audited (§2.6). */
const AUDIT_REFUSED = 22006;

/**
 * Sends the operator's decision on a user-started refund (`POST /orders/:outOrderNo/refunds/:refundNo/audit`
 * recorded it on the order and added this job in the same transaction) with `refundAuditCallback`
 * (docs/PROTOCOLS.md §2.6): approve, or deny with the operator's message — which the buyer sees. The
 * refund's outcome arrives as its result callback (or reconciliation's `refund_query/`); a denied one ends
 * `FAIL` there and the order stays paid.
 *
 * The client never repeats an audit; this job's retry may (its first answer lost). The platform answers a
 * second audit 22006, so then `refund_query/` says what stands: our decision (done), or the 72-hour default
 * approval that came first — an anomaly for a human, since a refund the operator denied is being paid.
 */
export function auditDouyinRefundJob(
  deps: AuditDouyinRefundJobDeps,
): (data: ShopJobs['audit-douyin-refund']) => Promise<void> {
  const { orders, trade } = deps;
  const log = deps.logger.child({ component: 'job', job: 'audit-douyin-refund' });
  return async ({ outOrderNo, refundNo }) => {
    const refund = (await orders.get(outOrderNo))?.refunds.find((r) => r.refundNo === refundNo);
    if (!refund?.refundId || (refund.audit !== 'approved' && refund.audit !== 'denied')) {
      log.warn({ outOrderNo, refundNo }, 'no audit decision recorded for this refund: nothing sent');
      return;
    }
    const approve = refund.audit === 'approved';
    try {
      await trade.refundAuditCallback(
        approve
          ? { refund_id: refund.refundId, refund_audit_status: 1 }
          : { refund_id: refund.refundId, refund_audit_status: 2, deny_message: refund.denyMessage ?? '' },
      );
      log.info({ outOrderNo, refundNo, audit: refund.audit }, 'refund audited');
    } catch (error) {
      if (!isTtpayApiError(error) || Number(error.platformCode) !== AUDIT_REFUSED) throw error;
      const { refund_list } = await trade.refundQuery({ refund_id: refund.refundId });
      const status = refund_list[0]?.merchant_audit_detail?.audit_status;
      if (status === (approve ? 'AGREE' : 'DENY')) return; // an earlier attempt's answer was lost
      await reportAnomaly(orders, log, {
        kind: 'refund-audit-refused',
        platform: 'douyin',
        ref: refundNo,
        outOrderNo,
        detail: `Douyin refused the audit (${refund.audit}): the refund's audit stands at ${status ?? 'unknown'} (approved by default after 72 hours, or it needs none)`,
      });
    }
  };
}
