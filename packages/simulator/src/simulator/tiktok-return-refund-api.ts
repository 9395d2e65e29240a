import type Router from '@koa/router';
import { parseJsonObject } from './read-body.js';
import { pageOf, pageToken } from './search-pages.js';
import type { SimContext } from './sim-context.js';
import { TIKTOK_CODE, tiktokReply } from './tiktok-codes.js';
import { tiktokSigned } from './tiktok-signed-request.js';
import type { TikTokCancellation } from './tiktok-store.js';

const ok = (data: unknown = {}) => tiktokReply(TIKTOK_CODE.OK, 'Success', data);
const invalid = (message: string) => tiktokReply(TIKTOK_CODE.REVERSE_INVALID_PARAMS, message);

/** Up to 255 characters, as the spec says of `idempotency_key`. */
const IDEMPOTENCY_KEY = /^.{1,255}$/s;

/**
 * TikTok Shop Return and Refund API, 202309: a buyer's cancellation requests and the seller's answer
 * (docs/PROTOCOLS.md §3.7). Approve/Reject honour `idempotency_key`: the same key answers as the first time.
 * What `cancel_status` a rejected request takes is undocumented (§6): the simulator sets
 * `CANCELLATION_REQUEST_CANCELLED`. Approving cancels the order at once (a refund is not modelled).
 */
export function registerTikTokReturnRefundApi(router: Router, sim: SimContext): void {
  const store = sim.tiktok;
  const signed = (handler: Parameters<typeof tiktokSigned>[2]) =>
    tiktokSigned(sim, { shopScoped: true }, handler);
  /** idempotency_key → the cancel id it decided, per decision. */
  const decided = new Map<string, string>();

  router.post(
    '/return_refund/202309/cancellations/search',
    signed((_ctx, { query, rawBody }) => {
      const body = rawBody.length === 0 ? {} : parseJsonObject(rawBody);
      if (!body) return invalid('the body must be a JSON object');
      const page = pageOf(query, 50);
      if (typeof page === 'string') return invalid(page);
      const list = (field: string) => (Array.isArray(body[field]) ? (body[field] as unknown[]) : undefined);
      const [ids, orders, statuses] = [list('cancel_ids'), list('order_ids'), list('cancel_status')];
      const time = (field: string) => (typeof body[field] === 'number' ? (body[field] as number) : undefined);
      const [createGe, createLt, updateGe, updateLt] = [
        time('create_time_ge'),
        time('create_time_lt'),
        time('update_time_ge'),
        time('update_time_lt'),
      ];
      const matching = [...store.cancellations.values()]
        .filter(
          (c) =>
            (!ids || ids.includes(c.cancel_id)) &&
            (!orders || orders.includes(c.order_id)) &&
            (!statuses || statuses.includes(c.cancel_status)) &&
            (createGe === undefined || c.create_time >= createGe) &&
            (createLt === undefined || c.create_time < createLt) &&
            (updateGe === undefined || c.update_time >= updateGe) &&
            (updateLt === undefined || c.update_time < updateLt),
        )
        .sort((a, b) => a.create_time - b.create_time || a.cancel_id.localeCompare(b.cancel_id));
      const next = page.offset + page.size;
      return ok({
        cancellations: matching.slice(page.offset, next).map((c) => store.renderCancellation(c)),
        next_page_token: next < matching.length ? pageToken(next) : '',
        total_count: matching.length,
      });
    }),
  );

  function decide(action: 'approve' | 'reject') {
    return signed((ctx, { query, rawBody }) => {
      const body = rawBody.length === 0 ? {} : parseJsonObject(rawBody);
      if (!body) return invalid('the body must be a JSON object');
      const cancelId = String(ctx.params.cancel_id);
      const key = query.idempotency_key;
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
        return invalid('idempotency_key: 1 to 255 characters');
      if (key !== undefined && decided.get(`${action}:${key}`) === cancelId) return ok();
      const cancellation = store.cancellations.get(cancelId);
      if (!cancellation) return tiktokReply(TIKTOK_CODE.REVERSE_NOT_FOUND, 'Order not found.');
      if (action === 'reject' && (typeof body.reject_reason !== 'string' || body.reject_reason === '')) {
        return invalid('reject_reason is required');
      }
      if (cancellation.cancel_status !== 'CANCELLATION_REQUEST_PENDING') {
        return action === 'approve'
          ? tiktokReply(TIKTOK_CODE.CANNOT_APPROVE, 'reverse status cannot approve application')
          : tiktokReply(TIKTOK_CODE.CANNOT_REJECT, 'reverse status cannot reject application');
      }
      settle(cancellation, action, body.reject_reason as string | undefined);
      if (key !== undefined) decided.set(`${action}:${key}`, cancelId);
      return ok();
    });
  }

  function settle(c: TikTokCancellation, action: 'approve' | 'reject', reason: string | undefined): void {
    const now = Math.floor(Date.now() / 1000);
    c.cancel_status =
      action === 'approve' ? 'CANCELLATION_REQUEST_COMPLETE' : 'CANCELLATION_REQUEST_CANCELLED';
    c.update_time = now;
    if (reason !== undefined) c.reject_reason = reason;
    const order = store.orders.get(c.order_id);
    if (!order) return;
    order.is_buyer_request_cancel = false;
    if (action === 'approve') store.setStatus(order, 'CANCELLED');
    else order.update_time = now;
  }

  router.post('/return_refund/202309/cancellations/:cancel_id/approve', decide('approve'));
  router.post('/return_refund/202309/cancellations/:cancel_id/reject', decide('reject'));
}
