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
  oneOf,
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
import { randomDigits } from './random-ids.js';
import { parseJsonObject, readRawBody } from './read-body.js';
import type { SimContext } from './sim-context.js';
import {
  TRADE_ERR_NO,
  type TradeReply,
  tradeInvalid,
  tradeNotFound,
  tradeReply,
  tradeSuccess,
} from './trade-reply.js';

/** One of the identifiers a query takes; the platform's "以上参数选填一个". */
const ID_RULE = optional(text(64));

/** `refund_create/` (docs/PROTOCOLS.md §2.2: fudiwei SKIT TradeBasicDeveloperRefundCreateV1Request). */
const REFUND_CREATE_RULES: Record<string, FieldRule> = {
  order_id: required(text(64)),
  out_refund_no: required(outNo),
  refund_total_amount: required(integer(1, 10_000_000_000)),
  refund_reason: required(listOf({ code: required(integer(0)), text: required(text()) })),
  order_entry_schema: required((value, field) => {
    const problem = plainObject(value, field);
    if (problem) return problem;
    const schema = value as Record<string, unknown>;
    return (
      required(text())(schema.path, `${field}.path`) ??
      optional(stringOrBlank)(schema.params, `${field}.params`)
    );
  }),
  item_order_detail: optional(
    listOf({ item_order_id: required(text(64)), refund_amount: required(integer(1)) }),
  ),
  refund_all: optional(oneOf([true])),
  cp_extra: optional(text(2048)),
  notify_url: optional(callbackUrl(512)),
};

/** `settle_create/`: the pass-through field is `ext` (SKIT TradeBasicDeveloperSettleCreateV1Request). */
const SETTLE_CREATE_RULES: Record<string, FieldRule> = {
  out_order_no: required(outNo),
  out_settle_no: required(outNo),
  settle_desc: required(text()),
  settle_params: optional(settleParams),
  item_order_id: optional(text(64)),
  ext: optional(text(2048)),
  notify_url: optional(callbackUrl(512)),
  // ecpay's name for the pass-through field; the simulator refuses it rather than drop it silently.
  cp_extra: (value, field) =>
    value === undefined
      ? undefined
      : `${field} is ecpay's field: settle_create takes its pass-through as ext`,
};

/**
 * The trade system's server APIs (docs/PROTOCOLS.md §2.2, real base https://open.douyin.com): POST JSON with
 * a client token in the `access-token` header, answered `{err_no, err_msg, log_id, data}`. Shapes follow
 * the recorded answers in test/platform-shapes (fudiwei SKIT samples, the platform's pages): times in
 * milliseconds, `refund_query` answers `data.refund_list[]`, `settle_query` answers `data` as an array.
 * Registered without the trailing slash, which then matches with or without it.
 */
export function registerTradeApi(router: Router, sim: SimContext, tokens: ClientTokens): void {
  const store = sim.douyin;
  const { appId } = sim.options.douyin;

  function developer(name: string, answer: (params: Record<string, unknown>) => TradeReply): void {
    router.post(`/api/trade_basic/v1/developer/${name}`, async (ctx) => {
      const raw = await readRawBody(ctx);
      ctx.status = 200;
      const token = tokens.check(ctx.get('access-token') || undefined);
      if (token !== 'valid') {
        ctx.body =
          token === 'expired'
            ? tradeReply(TRADE_ERR_NO.EXPIRED_ACCESS_TOKEN, 'access_token过期，请刷新或重新授权')
            : tradeReply(
                TRADE_ERR_NO.INVALID_ACCESS_TOKEN,
                'access_token无效: send a client token from /oauth/stable_client_token/ (or /oauth/client_token/) in the access-token header',
              );
        return;
      }
      const params = parseJsonObject(raw);
      ctx.body = params ? answer(params) : tradeInvalid('the body must be a JSON object');
    });
  }

  /** By the platform's id or the developer's number, as the query names it. */
  const orderOf = (p: Record<string, unknown>): DouyinOrder | undefined =>
    typeof p.order_id === 'string'
      ? store.findOrderById(p.order_id)
      : typeof p.out_order_no === 'string'
        ? store.orders.get(p.out_order_no)
        : undefined;

  developer('order_query', (p) => {
    const problem = firstProblem(p, { order_id: ID_RULE, out_order_no: ID_RULE });
    if (problem) return tradeInvalid(problem);
    if (p.out_order_no === undefined && p.order_id === undefined) {
      return tradeInvalid('one of order_id and out_order_no is required');
    }
    const order = orderOf(p);
    if (order?.system !== 'trade') return tradeNotFound('order not found');
    const status = store.statusOf(order);
    const sum = order.item_orders.reduce((total, i) => total + i.item_order_amount, 0);
    return tradeSuccess({
      order_id: order.order_id,
      out_order_no: order.out_order_no,
      app_id: appId,
      pay_status: status === 'PROCESSING' ? 'PROCESS' : status,
      // Milliseconds, as every trade-system time (docs/PROTOCOLS.md §5.1).
      ...(order.paid_at === undefined ? {} : { pay_time: order.paid_at }),
      ...(order.paid_at === undefined
        ? {}
        : { pay_channel: Number(order.way), channel_pay_id: order.channel_no }),
      trade_time: order.created_at,
      total_amount: order.total_amount,
      discount_amount: Math.max(0, sum - order.total_amount),
      merchant_uid: order.merchant_uid,
      item_order_list: order.item_orders,
      cp_extra: order.cp_extra,
    });
  });

  /**
   * `query_cps/` (docs/PROTOCOLS.md §2.7): the simulator models no CPS orders — no influencer brought any
   * buyer — so every known order answers a commission of 0 and no items.
   */
  developer('query_cps', (p) => {
    const problem = firstProblem(p, { order_id: ID_RULE, out_order_no: ID_RULE });
    if (problem) return tradeInvalid(problem);
    const order = orderOf(p);
    if (!order) return tradeNotFound('order not found');
    return tradeSuccess({
      order_id: order.order_id,
      out_order_no: order.out_order_no,
      total_commission_amount: 0,
      cps_item_list: [],
    });
  });

  developer('refund_create', (p) => {
    const problem = firstProblem(p, REFUND_CREATE_RULES);
    if (problem) return tradeInvalid(problem);
    if ((p.item_order_detail === undefined) === (p.refund_all === undefined)) {
      return tradeInvalid('pass either item_order_detail or refund_all');
    }
    // Any order of this app by its platform id: refunds of ecpay orders may start here too (§2 mixed systems).
    const order = store.findOrderById(p.order_id as string);
    if (!order) return tradeNotFound('order not found');
    const items = p.item_order_detail as { item_order_id: string; refund_amount: number }[] | undefined;
    for (const item of items ?? []) {
      const known = order.item_orders.find((o) => o.item_order_id === item.item_order_id);
      if (!known) return tradeInvalid(`item_order_id "${item.item_order_id}" is not an item of this order`);
      if (item.refund_amount > known.item_order_amount) {
        return tradeInvalid(
          `refund_amount of item "${item.item_order_id}" exceeds its amount ${known.item_order_amount}`,
        );
      }
    }
    // Assumption (no source says): the items' amounts add up to refund_total_amount.
    const total = p.refund_total_amount as number;
    if (items && items.reduce((sum, i) => sum + i.refund_amount, 0) !== total) {
      return tradeInvalid('refund_total_amount is not the sum of item_order_detail[].refund_amount');
    }
    const refund = store.startRefund(order, {
      via: 'trade',
      out_refund_no: p.out_refund_no as string,
      refund_amount: total,
      items,
      cp_extra: stringOrEmpty(p.cp_extra),
      notify_url: stringOrUndefined(p.notify_url),
    });
    if (isLedgerProblem(refund)) return tradeInvalid(refund.message);
    return tradeSuccess({
      refund_id: refund.refund_no,
      // Milliseconds; a 72-hour audit window is the simulator's assumption.
      refund_audit_deadline: Date.now() + 72 * 3600_000,
    });
  });

  developer('refund_query', (p) => {
    const problem = firstProblem(p, { refund_id: ID_RULE, out_refund_no: ID_RULE, order_id: ID_RULE });
    if (problem) return tradeInvalid(problem);
    let refunds: DouyinRefund[];
    if (typeof p.refund_id === 'string') refunds = listOf1(store.findRefundById(p.refund_id));
    else if (typeof p.out_refund_no === 'string') refunds = listOf1(store.refunds.get(p.out_refund_no));
    else if (typeof p.order_id === 'string') {
      const order = store.findOrderById(p.order_id);
      refunds = [...store.refunds.values()].filter((r) => r.out_order_no === order?.out_order_no);
    } else return tradeInvalid('one of refund_id, out_refund_no and order_id is required');
    // Assumption: no match is an empty list, as settle_query documents for itself.
    return tradeSuccess({ refund_list: refunds.map((r) => renderRefund(r)) });
  });

  function renderRefund(r: DouyinRefund): Record<string, unknown> {
    const application = r.application;
    return {
      order_id: store.orders.get(r.out_order_no)?.order_id ?? '',
      out_refund_no: r.out_refund_no,
      refund_id: r.refund_no,
      refund_status: r.status,
      refund_total_amount: r.refund_amount,
      ...(r.items === undefined ? {} : { item_order_detail: r.items }),
      create_at: r.created_at,
      ...(r.refunded_at === undefined ? {} : { refund_at: r.refunded_at }),
      message: r.message ?? '',
      // A user-started refund: who started it (1, the user) and the shop's audit (SKIT's RefundQuery model).
      ...(application === undefined
        ? {}
        : {
            refund_source: 1,
            merchant_audit_detail: {
              audit_status: application.audit_status,
              need_refund_audit: application.need_refund_audit,
              refund_audit_deadline: application.audit_deadline,
              ...(application.deny_message === undefined ? {} : { deny_message: application.deny_message }),
            },
          }),
    };
  }

  /**
   * `refund_audit_callback/` (docs/PROTOCOLS.md §2.6): the shop's audit of a refund the user started —
   * `refund_id`, `refund_audit_status` 1 (approve) or 2 (deny, with `deny_message`). 20000 for an unknown
   * refund; 22006 for one that needs no audit (the shop's own refunds are exempt), whose application is not
   * answered yet, or that was audited already (within the window or by its end).
   */
  developer('refund_audit_callback', (p) => {
    const problem = firstProblem(p, {
      refund_id: required(text(64)),
      refund_audit_status: required(oneOf([1, 2])),
      deny_message: optional(text(512)),
    });
    if (problem) return tradeInvalid(problem);
    if (p.refund_audit_status === 2 && p.deny_message === undefined) {
      return tradeInvalid('deny_message is required to deny a refund');
    }
    const refund = store.findRefundById(p.refund_id as string);
    if (!refund) return tradeNotFound('退款单不存在');
    const application = refund.application;
    if (application?.need_refund_audit !== 1) {
      return tradeReply(TRADE_ERR_NO.AUDIT_REFUSED, '本退款单免审,无需设置商家审核结果');
    }
    if (application.state === 'pending') {
      return tradeReply(TRADE_ERR_NO.AUDIT_REFUSED, '退款单有前置流程进行中,请完成前置流程再同步审核结果');
    }
    if (
      application.audit_status !== 'INIT' ||
      application.decide === undefined ||
      Date.now() > application.audit_deadline
    ) {
      return tradeReply(
        TRADE_ERR_NO.AUDIT_REFUSED,
        '退款单已审核(审核通过/拒绝/超时自动审核通过),无需再次同步',
      );
    }
    const decision = p.refund_audit_status === 1 ? 'AGREE' : 'DENY';
    application.audit_status = decision;
    if (decision === 'DENY') application.deny_message = p.deny_message as string;
    application.decide(decision);
    return tradeReply(TRADE_ERR_NO.OK, 'success');
  });

  developer('settle_create', (p) => {
    const problem = firstProblem(p, SETTLE_CREATE_RULES);
    if (problem) return tradeInvalid(problem);
    const order = store.orders.get(p.out_order_no as string);
    if (!order) return tradeNotFound('order not found');
    const settlement = store.startSettlement(order, {
      via: 'trade',
      out_settle_no: p.out_settle_no as string,
      settle_desc: p.settle_desc as string,
      split_total: settleParamsTotal(p.settle_params),
      cp_extra: stringOrEmpty(p.ext),
      notify_url: stringOrUndefined(p.notify_url),
    });
    if (isLedgerProblem(settlement)) return tradeInvalid(settlement.message);
    return tradeSuccess({ settle_id: settlement.settle_no, wallet_settle_id: randomDigits(19) });
  });

  developer('settle_query', (p) => {
    const problem = firstProblem(p, {
      settle_id: ID_RULE,
      order_id: ID_RULE,
      out_settle_no: ID_RULE,
      out_order_no: ID_RULE,
    });
    if (problem) return tradeInvalid(problem);
    // The platform's priority when several are given: settle_id > order_id > out_settle_no > out_order_no.
    let found: DouyinSettlement[];
    if (typeof p.settle_id === 'string') found = listOf1(store.findSettlementById(p.settle_id));
    else if (typeof p.order_id === 'string') found = settlementsOf(store.findOrderById(p.order_id));
    else if (typeof p.out_settle_no === 'string') found = listOf1(store.settlements.get(p.out_settle_no));
    else if (typeof p.out_order_no === 'string') found = settlementsOf(store.orders.get(p.out_order_no));
    else return tradeInvalid('one of settle_id, order_id, out_settle_no and out_order_no is required');
    // `data` is an ARRAY, empty when nothing matched ("如未查询到结果，会返回空数组").
    return tradeSuccess(
      found.map((s) => ({
        order_id: store.orders.get(s.out_order_no)?.order_id ?? '',
        out_order_no: s.out_order_no,
        out_settle_no: s.out_settle_no,
        settle_id: s.settle_no,
        settle_status: s.status,
        settle_amount: s.amount, // gross or net: unsettled (docs/PROTOCOLS.md §6 Q23); the samples read gross
        rake: s.rake,
        commission: s.commission,
        platform_ticket: 0,
        settle_detail: s.settle_detail ?? '',
        item_order_id: '',
        // The query answers the pass-through as cp_extra (SKIT's recorded answer), though create takes ext.
        cp_extra: s.cp_extra,
        ...(s.settled_at === undefined ? {} : { settle_at: s.settled_at }),
      })),
    );
  });

  function settlementsOf(order: DouyinOrder | undefined): DouyinSettlement[] {
    if (!order) return [];
    return [...store.settlements.values()].filter((s) => s.out_order_no === order.out_order_no);
  }
}

function listOf1<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

/** `order_entry_schema.params`: a string, possibly empty. */
const stringOrBlank: FieldRule = (value, field) =>
  typeof value === 'string' ? undefined : `${field} must be a string`;
