import type Router from '@koa/router';
import { signEcpayRequest } from '@ttpay/core';
import { constantTimeEqual } from '@ttpay/core/internal';
import { beijingTime } from './beijing-time.js';
import { type DouyinOrder, douyinIds, isLedgerProblem, type LedgerProblem } from './douyin-store.js';
import {
  callbackUrl,
  type FieldRule,
  firstProblem,
  integer,
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
import { parseJsonObject, readRawBody } from './read-body.js';
import type { SimContext } from './sim-context.js';

const BASE = '/api/apps/ecpay/v1';

/**
 * The err_no values the simulator answers, always with HTTP 200 (§1.1). Numbers the platform documents keep
 * the platform's meaning (docs/PROTOCOLS.md §5.3): 2000 not found, 2010 parameter error, 2042 bad app_id,
 * 3101 query_refund not found; 1000/1001 ("retry with the same parameters") are sent only by a fault rule.
 * The rest are the SIMULATOR'S OWN numbers, chosen outside the documented ones: no public source gives the
 * platform's code for a bad sign, a duplicate number or a wrong order state. A client must treat any
 * err_no != 0 as a failure and surface err_tips.
 */
export const ECPAY_ERR_NO = {
  OK: 0,
  /** No such order / settlement (the platform's 2000). */
  NOT_FOUND: 2000,
  /** Body not a JSON object, or a field breaks a §1.1 rule (the platform's 2010). */
  INVALID_PARAMS: 2010,
  /** app_id missing or not this app (the platform's 2042). */
  UNKNOWN_APP: 2042,
  /** query_refund: no such refund (the platform's 3101). */
  REFUND_NOT_FOUND: 3101,
  /** Simulator's own: sign missing or not the MD5 of §1.2 over the fields received. */
  BAD_SIGN: 2908,
  /** Simulator's own: out_order_no / out_refund_no / out_settle_no already used. */
  DUPLICATE: 2909,
  /** Simulator's own: the order's state forbids it (unpaid, already settled, refund above the paid amount…). */
  INVALID_STATE: 2911,
  /** Simulator's own: an endpoint the simulator accepts but does not model. */
  UNSUPPORTED: 2912,
} as const;

type EcpayReply = { err_no: number; err_tips: string } & Record<string, unknown>;

const fail = (err_no: number, err_tips: string): EcpayReply => ({ err_no, err_tips });
const ok = (fields: Record<string, unknown>): EcpayReply => ({ err_no: 0, err_tips: '', ...fields });

/** 0|1 flags (`disable_msg`, `all_settle`). */
const flag = oneOf([0, 1]);

const limitPayWay: FieldRule = (value, field) => {
  if (typeof value !== 'string') return `${field} must be a string`;
  const allowed = new Set(['LIMIT_WX', 'LIMIT_ALI', 'LIMIT_DYZF']);
  return value.split(',').every((w) => allowed.has(w.trim()))
    ? undefined
    : `${field} must be a comma-separated list of LIMIT_WX, LIMIT_ALI, LIMIT_DYZF`;
};

/**
 * `expand_order_info`: the JSON *text* of an object, as both SDKs that record it send it (docs/PROTOCOLS.md
 * §1.1). Whether the platform also takes an object is not documented: the simulator holds clients to the
 * recorded form.
 */
const jsonObjectText: FieldRule = (value, field) => {
  if (typeof value !== 'string') return `${field} must be a JSON string (e.g. "{"actual_delivery_fee":10}")`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return `${field} must be the JSON text of an object`;
  }
  return plainObject(parsed, field);
};

/** create_order fields (docs/PROTOCOLS.md §1.1). */
const CREATE_ORDER_RULES: Record<string, FieldRule> = {
  out_order_no: required(outNo),
  total_amount: required(integer(1, 10_000_000_000)),
  // "≤128 bytes / ≤42 chars": both limits apply.
  subject: required(text(128, 42)),
  body: required(text(128, 42)),
  valid_time: required(integer(300, 172_800)),
  // The platform's page says a longer cp_extra is truncated; the simulator rejects it, so that the
  // client bug (a round trip that silently loses data) shows.
  cp_extra: optional(text(2048)),
  notify_url: optional(callbackUrl(256)),
  thirdparty_id: optional(text(64)),
  store_uid: optional(text(64)),
  disable_msg: optional(flag),
  msg_page: optional(text()),
  expand_order_info: optional(jsonObjectText),
  limit_pay_way: optional(limitPayWay),
};

const CREATE_REFUND_RULES: Record<string, FieldRule> = {
  out_order_no: required(outNo),
  out_refund_no: required(outNo),
  reason: required(text()),
  refund_amount: required(integer(1, 10_000_000_000)),
  cp_extra: optional(text(2048)),
  notify_url: optional(callbackUrl(256)),
  thirdparty_id: optional(text(64)),
  disable_msg: optional(flag),
  msg_page: optional(text()),
  all_settle: optional(flag),
};

const SETTLE_RULES: Record<string, FieldRule> = {
  out_order_no: required(outNo),
  out_settle_no: required(outNo),
  settle_desc: required(text()),
  settle_params: optional(settleParams),
  cp_extra: optional(text(2048)),
  notify_url: optional(callbackUrl(256)),
  thirdparty_id: optional(text(64)),
};

const ledgerFailure = (p: LedgerProblem): EcpayReply =>
  fail(p.problem === 'duplicate' ? ECPAY_ERR_NO.DUPLICATE : ECPAY_ERR_NO.INVALID_STATE, p.message);

/**
 * The Douyin guaranteed-payment API (docs/PROTOCOLS.md §1.1): POST JSON, answered `{err_no, err_tips, …}`
 * with HTTP 200. Every call is authenticated by `app_id` and the MD5 `sign` (§1.2), computed by
 * @ttpay/core over the parsed body — the platform verifies the request's fields.
 *
 * Reply shapes follow the platform: create_order answers under `data{order_id, order_token}`, the
 * others at the top level (`payment_info`, `refund_no`, camelCase `refundInfo`, `settle_no`, `settle_info`).
 */
export function registerEcpayApi(router: Router, sim: SimContext): void {
  const store = sim.douyin;
  const { appId, salt } = sim.options.douyin;

  function authenticate(params: Record<string, unknown>): EcpayReply | undefined {
    if (params.app_id !== appId) return fail(ECPAY_ERR_NO.UNKNOWN_APP, 'app_id is missing or not this app');
    const given = params.sign;
    if (typeof given !== 'string' || given === '') return fail(ECPAY_ERR_NO.BAD_SIGN, 'sign is required');
    let expected: string;
    try {
      expected = signEcpayRequest(params, salt);
    } catch {
      return fail(ECPAY_ERR_NO.BAD_SIGN, 'sign could not be computed over the fields received');
    }
    return constantTimeEqual(expected, given.toLowerCase())
      ? undefined
      : fail(ECPAY_ERR_NO.BAD_SIGN, 'sign does not match the fields received (docs/PROTOCOLS.md §1.2)');
  }

  /** An endpoint: parse, authenticate, check the field rules, then answer. */
  function handle(
    endpoint: string,
    rules: Record<string, FieldRule>,
    answer: (params: Record<string, unknown>) => EcpayReply,
  ): void {
    router.post(`${BASE}/${endpoint}`, async (ctx) => {
      const params = parseJsonObject(await readRawBody(ctx));
      ctx.status = 200;
      if (!params) {
        ctx.body = fail(ECPAY_ERR_NO.INVALID_PARAMS, 'the body must be a JSON object');
        return;
      }
      const problem = firstProblem(params, rules);
      ctx.body =
        authenticate(params) ?? (problem ? fail(ECPAY_ERR_NO.INVALID_PARAMS, problem) : answer(params));
    });
  }

  /** An order of the ecpay system (trade-system orders are invisible to this API). */
  function ecpayOrder(outOrderNo: unknown): DouyinOrder | undefined {
    const order = typeof outOrderNo === 'string' ? store.orders.get(outOrderNo) : undefined;
    return order?.system === 'ecpay' ? order : undefined;
  }

  handle('create_order', CREATE_ORDER_RULES, (p) => {
    const outOrderNo = p.out_order_no as string;
    if (store.orders.has(outOrderNo))
      return fail(ECPAY_ERR_NO.DUPLICATE, `out_order_no "${outOrderNo}" already exists`);
    const now = Date.now();
    const orderId = douyinIds.ecpayOrder();
    const order: DouyinOrder = {
      system: 'ecpay',
      out_order_no: outOrderNo,
      order_id: orderId,
      order_token: douyinIds.orderToken(),
      total_amount: p.total_amount as number,
      subject: p.subject as string,
      body: p.body as string,
      cp_extra: stringOrEmpty(p.cp_extra),
      ...(typeof p.notify_url === 'string' ? { notify_url: p.notify_url } : {}),
      status: 'PROCESSING',
      created_at: now,
      expires_at: now + (p.valid_time as number) * 1000,
      way: '',
      channel_no: '',
      payment_order_no: douyinIds.payment(),
      seller_uid: douyinIds.seller(),
      item_id: '',
      merchant_uid: '',
      // One item: the order itself, so trade-system refund_create can name it (§2 mixed systems).
      item_orders: [{ item_order_id: orderId, sku_id: '', item_order_amount: p.total_amount as number }],
    };
    store.orders.set(outOrderNo, order);
    return ok({ data: { order_id: order.order_id, order_token: order.order_token } });
  });

  handle('query_order', { out_order_no: required(outNo) }, (p) => {
    const order = ecpayOrder(p.out_order_no);
    if (!order) return fail(ECPAY_ERR_NO.NOT_FOUND, 'order not found');
    const status = store.statusOf(order);
    return ok({
      out_order_no: order.out_order_no,
      order_id: order.order_id,
      payment_info: {
        total_fee: order.total_amount,
        order_status: status,
        pay_time: order.paid_at === undefined ? '' : beijingTime(order.paid_at),
        // A number here (0 until paid), where the payment callback sends the string (§1.1).
        way: Number(order.way || 0),
        channel_no: order.channel_no,
        channel_gateway_no: '',
        seller_uid: order.seller_uid,
        item_id: order.item_id,
        cp_extra: order.cp_extra,
      },
    });
  });

  handle('create_refund', CREATE_REFUND_RULES, (p) => {
    const order = ecpayOrder(p.out_order_no);
    if (!order) return fail(ECPAY_ERR_NO.NOT_FOUND, 'order not found');
    const refund = store.startRefund(order, {
      via: 'ecpay',
      out_refund_no: p.out_refund_no as string,
      refund_amount: p.refund_amount as number,
      cp_extra: stringOrEmpty(p.cp_extra),
      notify_url: stringOrUndefined(p.notify_url),
    });
    return isLedgerProblem(refund) ? ledgerFailure(refund) : ok({ refund_no: refund.refund_no });
  });

  handle('query_refund', { out_refund_no: required(outNo) }, (p) => {
    const refund = store.refunds.get(p.out_refund_no as string);
    const order = refund && ecpayOrder(refund.out_order_no);
    if (!refund || !order) return fail(ECPAY_ERR_NO.REFUND_NOT_FOUND, 'refund not found');
    return ok({
      // camelCase key, as the platform spells it (docs/PROTOCOLS.md §1.1).
      refundInfo: {
        refund_no: refund.refund_no,
        refund_amount: refund.refund_amount,
        refund_status: refund.status,
        refunded_at: refund.refunded_at === undefined ? 0 : Math.floor(refund.refunded_at / 1000),
        is_all_settled: store.settlementOf(order)?.status === 'SUCCESS',
        cp_extra: refund.cp_extra,
      },
    });
  });

  handle('settle', SETTLE_RULES, (p) => {
    const order = ecpayOrder(p.out_order_no);
    if (!order) return fail(ECPAY_ERR_NO.NOT_FOUND, 'order not found');
    const settlement = store.startSettlement(order, {
      via: 'ecpay',
      out_settle_no: p.out_settle_no as string,
      settle_desc: p.settle_desc as string,
      split_total: settleParamsTotal(p.settle_params),
      cp_extra: stringOrEmpty(p.cp_extra),
      notify_url: stringOrUndefined(p.notify_url),
    });
    return isLedgerProblem(settlement) ? ledgerFailure(settlement) : ok({ settle_no: settlement.settle_no });
  });

  handle('query_settle', { out_settle_no: required(outNo) }, (p) => {
    const s = store.settlements.get(p.out_settle_no as string);
    if (!s || !ecpayOrder(s.out_order_no)) return fail(ECPAY_ERR_NO.NOT_FOUND, 'settlement not found');
    // The recorded fields only (docs/PROTOCOLS.md §1.1): no source shows more of settle_info.
    return ok({
      settle_info: {
        settle_no: s.settle_no,
        settle_amount: s.amount, // gross or net: unsettled (docs/PROTOCOLS.md §6 Q23); the samples read gross
        settle_status: s.status,
      },
    });
  });

  handle('unsettle_amount', { out_order_no: required(outNo) }, (p) => {
    const order = ecpayOrder(p.out_order_no);
    if (!order) return fail(ECPAY_ERR_NO.NOT_FOUND, 'order not found');
    store.statusOf(order);
    const unsettled = store.settlementOf(order) ? 0 : store.refundable(order);
    return ok({ data: { out_order_no: order.out_order_no, unsettle_amount: unsettled } });
  });

  for (const endpoint of ['create_return', 'query_return', 'query_platform_order']) {
    handle(endpoint, {}, () =>
      fail(
        ECPAY_ERR_NO.UNSUPPORTED,
        `${endpoint} is accepted (signature checked) but not modelled by the simulator`,
      ),
    );
  }
}
