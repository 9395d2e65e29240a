import { randomBytes } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import createError from 'http-errors';
import type { Context } from 'koa';
import type { ShopConfig } from '../config.js';
import { douyinSystemOf } from '../handlers/douyin-events.js';
import type { Jobs } from '../jobs/shop-jobs.js';
import type { Logger } from '../logger.js';
import {
  type InTransaction,
  type OrderRecord,
  type OrderRepository,
  ordersFor,
  txOf,
} from '../orders/order-repository.js';
import { isStorable } from '../orders/sql-order-repository.js';
import { requireApiToken } from './require-api-token.js';

export interface DouyinOrderRouteDeps {
  orders: OrderRepository;
  jobs: Pick<Jobs, 'add'>;
  transaction: InTransaction;
  config: ShopConfig;
  logger: Logger;
}

/** "不同意退款时必填,长度 <= 512 byte" (docs/PROTOCOLS.md §2.6). */
const MAX_DENY_MESSAGE_BYTES = 512;
const SETTLEABLE: ReadonlySet<OrderRecord['status']> = new Set(['paid', 'partially_refunded']);

/**
 * The operator's actions on a Douyin order (the shop's bearer token, `SHOP_API_TOKEN`). Each records the
 * decision on the order and adds the job that carries it out in ONE transaction: the job exists if and
 * only if the decision does.
 *
 * `POST /orders/:outOrderNo/refunds/:refundNo/audit` `{decision: "approve"}` or `{decision: "deny",
 * message}` — audits a user-started refund that needs it (`audit: "pending"`): `refundAuditCallback`,
 * within 72 hours of the application or Douyin approves it (docs/PROTOCOLS.md §2.6). 202; the same decision
 * again is 202 too; another is 409.
 *
 * `POST /orders/:outOrderNo/douyin-settlement` — settles a paid order to the shop's merchant account
 * (ecpay `settle`, trade `settle_create/`, never more than it can settle). 202 with its `settleNo`; 409
 * while a refund is in progress or once it is settled or settling.
 */
export function douyinOrderRoutes(router: Router, deps: DouyinOrderRouteDeps): void {
  const { orders, jobs, transaction } = deps;
  const log = deps.logger.child({ component: 'douyin-orders' });
  const authenticated = requireApiToken(deps.config.api.tokens);
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: 4 * 1024 });

  router.post('/orders/:outOrderNo/refunds/:refundNo/audit', authenticated, json, async (ctx) => {
    const { outOrderNo, refundNo } = params(ctx);
    const { decision, message } = parseAudit(ctx.request.body);
    const audit = decision === 'approve' ? 'approved' : 'denied';
    const found = await transaction(async (scope) => {
      let refund: OrderRecord['refunds'][number] | undefined;
      const { order, changed } = await ordersFor(orders, scope).update(outOrderNo, (o) => {
        refund = o?.refunds.find((r) => r.refundNo === refundNo);
        if (!o || !refund || refund.audit !== 'pending') return undefined;
        const decided = {
          ...refund,
          audit,
          ...(message === undefined ? {} : { denyMessage: message }),
        } as const;
        return { ...o, refunds: o.refunds.map((r) => (r === refund ? decided : r)) };
      });
      if (changed) await jobs.add(txOf(scope), 'audit-douyin-refund', { outOrderNo, refundNo }, refundNo);
      return { order, refund, changed };
    });
    if (!found.order) throw createError(404, `No order ${outOrderNo}.`, { code: 'ORDER_NOT_FOUND' });
    if (!found.refund) {
      throw createError(404, `No refund ${refundNo} on ${outOrderNo}.`, { code: 'REFUND_NOT_FOUND' });
    }
    if (!found.changed && found.refund.audit !== audit) {
      const now = found.refund.audit ?? 'none needed';
      throw createError(409, `Refund ${refundNo} is not awaiting an audit (${now}).`, {
        code: 'NOT_AWAITING_AUDIT',
      });
    }
    if (found.changed) log.info({ outOrderNo, refundNo, audit }, 'refund audit recorded');
    ctx.status = 202;
    ctx.body = { outOrderNo, refundNo, audit };
  });

  router.post('/orders/:outOrderNo/douyin-settlement', authenticated, async (ctx) => {
    const { outOrderNo } = params(ctx);
    const settleNo = `st_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
    const found = await transaction(async (scope) => {
      const { order, changed } = await ordersFor(orders, scope).update(outOrderNo, (o) =>
        o && douyinSystemOf(o) && SETTLEABLE.has(o.status) && !busy(o)
          ? {
              ...o,
              settlements: [
                ...o.settlements,
                { settleNo, amount: null, status: 'PROCESSING', at: new Date().toISOString() },
              ],
            }
          : undefined,
      );
      if (changed) await jobs.add(txOf(scope), 'settle-douyin-order', { outOrderNo, settleNo }, settleNo);
      return { order, changed };
    });
    if (!found.order) throw createError(404, `No order ${outOrderNo}.`, { code: 'ORDER_NOT_FOUND' });
    if (!found.changed) {
      const why = `${found.order.status}; a paid Douyin order with no refund or settlement under way settles`;
      throw createError(409, `Order ${outOrderNo} cannot be settled now (${why}).`, {
        code: 'NOT_SETTLEABLE',
      });
    }
    log.info({ outOrderNo, settleNo }, 'settlement recorded');
    ctx.status = 202;
    ctx.body = { outOrderNo, settleNo };
  });
}

/** A refund in progress (the money it needs must not be settled away) or a settlement under way or done. */
function busy(o: OrderRecord): boolean {
  return (
    o.refunds.some((r) => r.status === 'PROCESSING') ||
    o.settlements.some((s) => s.status === 'PROCESSING' || s.status === 'SUCCESS')
  );
}

function params(ctx: Context): { outOrderNo: string; refundNo: string } {
  const outOrderNo = ctx.params.outOrderNo ?? '';
  const refundNo = ctx.params.refundNo ?? '';
  if (
    !/^[A-Za-z0-9_*-]{1,64}$/.test(outOrderNo) ||
    (refundNo !== '' && !/^[A-Za-z0-9_*-]{1,64}$/.test(refundNo))
  ) {
    ctx.throw(400, 'Order and refund numbers are 1–64 of A–Z, a–z, 0–9, _, * and -.', {
      code: 'INVALID_ORDER_NO',
    });
  }
  return { outOrderNo, refundNo };
}

function parseAudit(json: unknown): { decision: 'approve' | 'deny'; message?: string } {
  const invalid = (code: string, text: string) => createError(400, text, { code });
  const { decision, message } = (typeof json === 'object' && json !== null ? json : {}) as Record<
    string,
    unknown
  >;
  if (decision === 'approve') return { decision };
  if (decision !== 'deny') throw invalid('INVALID_DECISION', 'decision must be "approve" or "deny".');
  if (
    typeof message !== 'string' ||
    message.trim() === '' ||
    Buffer.byteLength(message) > MAX_DENY_MESSAGE_BYTES ||
    !isStorable(message)
  ) {
    throw invalid(
      'INVALID_MESSAGE',
      `Denying needs a message for the buyer: 1–${MAX_DENY_MESSAGE_BYTES} bytes.`,
    );
  }
  return { decision, message };
}
