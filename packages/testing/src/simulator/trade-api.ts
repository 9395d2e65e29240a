import type Router from '@koa/router';
import type { ClientTokens } from './client-tokens.js';
import {
  type DouyinOrder,
  type DouyinRefund,
  type DouyinSettlement,
  isLedgerProblem,
} from './douyin-store.js';
import {
  callbackUrl,
  type FieldRule,
  firstProblem,
  integer,
  listOf,
  optional,
  outNo,
  plainObject,
  required,
  settleParams,
  settleParamsTotal,
  stringOrEmpty,
  stringOrUndefined,
  text,
} from './field-rules.js';
import { parseJsonObject, readRawBody } from './read-body.js';
import type { SimContext } from './sim-context.js';
import { TRADE_ERR_NO, type TradeReply, tradeInvalid, tradeReply, tradeSuccess } from './trade-reply.js';

const REFUND_CREATE_RULES: Record<string, FieldRule> = {
  out_order_no: required(outNo),
  out_refund_no: required(outNo),
  item_order_detail: required(
    listOf({ item_order_id: required(text()), refund_amount: required(integer(1)) }),
  ),
  cp_extra: optional(text(2048)),
  notify_url: optional(callbackUrl(512)),
  order_entry_schema: optional(plainObject),
};

const SETTLE_CREATE_RULES: Record<string, FieldRule> = {
  out_order_no: required(outNo),
  out_settle_no: required(outNo),
  settle_desc: required(text()),
  settle_params: optional(settleParams),
  cp_extra: optional(text(2048)),
  notify_url: optional(callbackUrl(512)),
};

/**
 * The trade system's server APIs (PROTOCOLS.md §2, real base https://open.douyin.com): POST JSON with a
 * client token in the `access-token` header, answered `{err_no, err_msg, log_id, data}` with HTTP 200.
 * Registered without the trailing slash, which then matches with or without it (the platform's own
 * examples use both spellings).
 */
export function registerTradeApi(router: Router, sim: SimContext, tokens: ClientTokens): void {
  const store = sim.douyin;
  const { appId } = sim.options.douyin;

  function developer(name: string, answer: (params: Record<string, unknown>) => TradeReply): void {
    router.post(`/api/trade_basic/v1/developer/${name}`, async (ctx) => {
      const raw = await readRawBody(ctx);
      ctx.status = 200;
      if (!tokens.isValid(ctx.get('access-token') || undefined)) {
        ctx.body = tradeReply(
          TRADE_ERR_NO.INVALID_ACCESS_TOKEN,
          'access-token is missing, invalid or expired: send a client token from /oauth/client_token/ in the access-token header',
        );
        return;
      }
      const params = parseJsonObject(raw);
      ctx.body = params ? answer(params) : tradeInvalid('the body must be a JSON object');
    });
  }

  const tradeOrder = (p: Record<string, unknown>): DouyinOrder | undefined => {
    const order =
      typeof p.out_order_no === 'string'
        ? store.orders.get(p.out_order_no)
        : typeof p.order_id === 'string'
          ? store.findOrderById(p.order_id)
          : undefined;
    return order?.system === 'trade' ? order : undefined;
  };

  developer('order_query', (p) => {
    if (typeof p.out_order_no !== 'string' && typeof p.order_id !== 'string') {
      return tradeInvalid('one of order_id and out_order_no is required');
    }
    const order = tradeOrder(p);
    if (!order) return tradeInvalid('order not found');
    const status = store.statusOf(order);
    return tradeSuccess({
      order_id: order.order_id,
      out_order_no: order.out_order_no,
      app_id: appId,
      pay_status: status === 'PROCESSING' ? 'PROCESS' : status,
      pay_time: order.paid_at ?? 0,
      pay_channel: order.paid_at === undefined ? 0 : Number(order.way),
      channel_pay_id: order.channel_no,
      trade_time: order.created_at,
      total_amount: order.total_amount,
      discount_amount: 0,
      merchant_uid: order.merchant_uid,
      item_order_list: order.item_orders,
      cp_extra: order.cp_extra,
    });
  });

  developer('refund_create', (p) => {
    const problem = firstProblem(p, REFUND_CREATE_RULES);
    if (problem) return tradeInvalid(problem);
    // Any order of this app: refunds of ecpay orders may be started here too (§2 "mixed systems").
    const order = store.orders.get(p.out_order_no as string);
    if (!order) return tradeInvalid('order not found');
    const items = p.item_order_detail as { item_order_id: string; refund_amount: number }[];
    for (const item of items) {
      const known = order.item_orders.find((o) => o.item_order_id === item.item_order_id);
      if (!known) return tradeInvalid(`item_order_id "${item.item_order_id}" is not an item of this order`);
      if (item.refund_amount > known.item_order_amount) {
        return tradeInvalid(
          `refund_amount of item "${item.item_order_id}" exceeds its amount ${known.item_order_amount}`,
        );
      }
    }
    const refund = store.startRefund(order, {
      via: 'trade',
      out_refund_no: p.out_refund_no as string,
      refund_amount: items.reduce((sum, i) => sum + i.refund_amount, 0),
      cp_extra: stringOrEmpty(p.cp_extra),
      notify_url: stringOrUndefined(p.notify_url),
    });
    if (isLedgerProblem(refund)) return tradeInvalid(refund.message);
    return tradeSuccess({
      refund_id: refund.refund_no,
      refund_audit_deadline: Math.floor(Date.now() / 1000) + 72 * 3600,
    });
  });

  developer('refund_query', (p) => {
    const refund: DouyinRefund | undefined =
      typeof p.out_refund_no === 'string'
        ? store.refunds.get(p.out_refund_no)
        : typeof p.refund_id === 'string'
          ? store.findRefundById(p.refund_id)
          : undefined;
    if (!refund) return tradeInvalid('refund not found (pass refund_id or out_refund_no)');
    return tradeSuccess({
      refund_id: refund.refund_no,
      out_refund_no: refund.out_refund_no,
      order_id: store.orders.get(refund.out_order_no)?.order_id ?? '',
      refund_status: refund.status,
      refund_total_amount: refund.refund_amount,
      refund_at: refund.refunded_at ?? 0,
      cp_extra: refund.cp_extra,
    });
  });

  developer('settle_create', (p) => {
    const problem = firstProblem(p, SETTLE_CREATE_RULES);
    if (problem) return tradeInvalid(problem);
    const order = store.orders.get(p.out_order_no as string);
    if (!order) return tradeInvalid('order not found');
    const settlement = store.startSettlement(order, {
      via: 'trade',
      out_settle_no: p.out_settle_no as string,
      settle_desc: p.settle_desc as string,
      split_total: settleParamsTotal(p.settle_params),
      cp_extra: stringOrEmpty(p.cp_extra),
      notify_url: stringOrUndefined(p.notify_url),
    });
    if (isLedgerProblem(settlement)) return tradeInvalid(settlement.message);
    return tradeSuccess({ settle_id: settlement.settle_no });
  });

  developer('settle_query', (p) => {
    const s: DouyinSettlement | undefined =
      typeof p.out_settle_no === 'string'
        ? store.settlements.get(p.out_settle_no)
        : typeof p.settle_id === 'string'
          ? store.findSettlementById(p.settle_id)
          : undefined;
    if (!s) return tradeInvalid('settlement not found (pass settle_id or out_settle_no)');
    return tradeSuccess({
      settle_id: s.settle_no,
      out_settle_no: s.out_settle_no,
      order_id: store.orders.get(s.out_order_no)?.order_id ?? '',
      settle_status: s.status,
      settle_amount: s.amount - s.rake - s.commission,
      rake: s.rake,
      commission: s.commission,
      settle_at: s.settled_at ?? 0,
      cp_extra: s.cp_extra,
    });
  });
}
