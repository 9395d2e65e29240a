import { isTtpayApiError, type TikTokShopClient } from '@ttpay/client';
import type { Logger } from '../logger.js';
import type { OrderRepository } from '../orders/order-repository.js';
import { newTikTokOrder } from '../orders/tiktok-order.js';
import type { JobContext, ShopJobs } from './shop-jobs.js';

export interface AnswerTikTokCancellationJobDeps {
  orders: OrderRepository;
  tiktok: TikTokShopClient;
  logger: Logger;
}

/** From TikTok's cancel-reason list (return-and-refund/cancel-reasons; docs/PROTOCOLS.md §3.7). */
export const REJECT_REASON_PACKED = 'seller_reject_apply_product_has_been_packed';
/** "reverse status cannot approve/reject application": answered already (by this job, or in Seller Center). */
const NOT_PENDING = new Set([25011011, 25011012]);

/**
 * The shop's rule for a buyer's cancellation request (webhook type 11, `CANCELLATION_REQUEST_PENDING`):
 * **approve it unless the package has left** — not yet shipped, nothing is lost by cancelling; shipped
 * (handed to the carrier), it is rejected as packed, and the buyer can return it instead. The decision
 * carries TikTok's `idempotency_key` (`approve-<cancel_id>` / `reject-<cancel_id>`), so a retried job
 * cannot decide twice; an answer TikTok no longer takes (25011011/25011012) ends the job.
 */
export function answerTikTokCancellationJob(
  deps: AnswerTikTokCancellationJobDeps,
): (data: ShopJobs['answer-tiktok-cancellation'], context: JobContext) => Promise<void> {
  const { orders, tiktok } = deps;
  const log = deps.logger.child({ component: 'job', job: 'answer-tiktok-cancellation' });

  return async ({ outOrderNo, orderId, cancelId }, { signal }) => {
    const order = await orders.get(outOrderNo);
    const decision = order?.status === 'shipped' ? 'reject' : 'approve';
    const call = { signal, idempotencyKey: `${decision}-${cancelId}` };
    try {
      if (decision === 'approve') await tiktok.approveCancellation(cancelId, call);
      else await tiktok.rejectCancellation(cancelId, { reject_reason: REJECT_REASON_PACKED }, call);
    } catch (error) {
      if (isTtpayApiError(error) && NOT_PENDING.has(error.platformCode as number)) {
        log.info({ outOrderNo, cancelId }, 'the cancellation request was answered already');
        return;
      }
      throw error;
    }
    const event = {
      platform: 'tiktok' as const,
      type: decision === 'approve' ? 'CANCELLATION_APPROVED' : 'CANCELLATION_REJECTED',
      key: `tiktok:cancellation:${cancelId}:${decision}`,
      ref: orderId,
      at: new Date().toISOString(),
    };
    // Approved: cancelled here at once (TikTok's type-1 CANCEL follows); rejected: it had shipped already.
    await orders.update(
      outOrderNo,
      (o) => {
        const current = o ?? newTikTokOrder(orderId);
        return { ...current, ...(decision === 'approve' ? { status: 'cancelled' as const } : {}) };
      },
      event,
    );
    log.info({ outOrderNo, cancelId, decision }, 'cancellation request answered');
  };
}
