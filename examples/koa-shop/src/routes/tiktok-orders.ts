import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { type AlgoVoiClient, isTtpayApiError, isTtpayClientError } from '@ttpay/client';
import { isTtpayError } from '@ttpay/core';
import createError from 'http-errors';
import type { Context } from 'koa';
import type { ShopClients } from '../clients.js';
import type { ShopConfig } from '../config.js';
import type { Jobs } from '../jobs/shop-jobs.js';
import type { Logger } from '../logger.js';
import type { AlgoVoiSettlement, OrderRecord, OrderRepository } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import { isStorable } from '../orders/sql-order-repository.js';
import { newTikTokOrder, settlementLabel, tiktokOutOrderNo } from '../orders/tiktok-order.js';
import { requireApiToken } from './require-api-token.js';

export interface TikTokOrderRouteDeps {
  orders: OrderRepository;
  clients: ShopClients;
  jobs: Pick<Jobs, 'add'>;
  config: ShopConfig;
  logger: Logger;
}

/** `tiktok-<digits>`: the shop's number for a TikTok order. */
const TIKTOK_ORDER_NO = /^tiktok-(\d{1,32})$/;
const AMOUNT = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
const BODY_LIMIT_BYTES = 4 * 1024;

/**
 * The operator's actions on a TikTok order (the shop's bearer token, `SHOP_API_TOKEN`):
 *
 * `POST /orders/:outOrderNo/settlement` `{payer, amount, currency}` — marks the order for settlement
 * OUTSIDE TikTok's checkout (a B2B invoice, a supplier or fee settlement; docs/PROTOCOLS.md §3.8) and
 * creates exactly ONE AlgoVoi payment link for it. The operator names who pays what: nothing is taken from
 * the TikTok order's `payment.total_amount`, which the buyer already paid TikTok. If the order has not
 * shipped, its shipment waits until the link is paid (confirmed through `/checkout/{token}/status`).
 * Answers 201 with the link; the same request again answers 200 with the same link (never a second one);
 * a lost gateway answer is 202 `outcome-unknown` — the gateway may hold a link, which its webhook will
 * name by label (§4.2); another request for a marked order is 409.
 *
 * `POST /orders/:outOrderNo/shipment` `{tracking_number, shipping_provider_id?}` — a seller-shipped order
 * handed to the carrier: ships it through TikTok with that carrier's tracking number (202; the job does it).
 */
export function tiktokOrderRoutes(router: Router, deps: TikTokOrderRouteDeps): void {
  const { orders, clients, jobs, config } = deps;
  const log = deps.logger.child({ component: 'tiktok-orders' });
  const authenticated = requireApiToken(config.api.tokens);
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: BODY_LIMIT_BYTES });

  router.post('/orders/:outOrderNo/settlement', authenticated, json, async (ctx) => {
    const orderId = tiktokOrderId(ctx);
    const outOrderNo = tiktokOutOrderNo(orderId);
    const input = parseSettlement(ctx.request.body, config.algovoi.network);
    const label = settlementLabel(outOrderNo, input.payer);

    // The TikTok order must exist; its record may not yet (no webhook so far).
    if (!(await orders.get(outOrderNo))) {
      const { orders: found } = await clients.tiktok.getOrders([orderId]).catch((error: unknown) => {
        throw unavailable(error, 'TikTok');
      });
      if (!found.some((o) => o?.id === orderId)) {
        ctx.throw(404, `TikTok has no order ${orderId}.`, { code: 'ORDER_NOT_FOUND' });
      }
    }

    // The intent is written BEFORE the gateway hears of it: its label finds the link if the answer is lost.
    const requested: AlgoVoiSettlement = {
      payer: input.payer,
      amount: input.amount,
      currency: input.currency,
      label,
      link: 'creating',
      requestedAt: new Date().toISOString(),
    };
    const { order: marked, changed } = await orders.update(outOrderNo, (o) => {
      if (o?.algovoi) return undefined;
      const current = o ?? newTikTokOrder(orderId);
      const held = current.status === 'created' || current.status === 'paid';
      return { ...current, ...(held ? { status: 'awaiting_payment' as const } : {}), algovoi: requested };
    });
    if (!changed) return answerExisting(ctx, marked, label);

    let created: Awaited<ReturnType<typeof clients.algovoi.createPaymentLink>>;
    try {
      created = await clients.algovoi.createPaymentLink({
        amount: input.amount,
        currency: input.currency,
        label,
        preferred_network: input.network,
      });
    } catch (error) {
      if (isTtpayClientError(error) && error.code === 'OUTCOME_UNKNOWN') {
        await orders.update(outOrderNo, (o) =>
          o?.algovoi?.label === label
            ? { ...o, algovoi: { ...o.algovoi, link: 'outcome-unknown' } }
            : undefined,
        );
        await reportAnomaly(orders, log, {
          kind: 'settlement-refused',
          platform: 'algovoi',
          ref: label,
          outOrderNo,
          detail: `payment link outcome unknown: do not create another; its webhook is matched by the label "${label}"`,
        });
        ctx.status = 202;
        ctx.body = { outOrderNo, settlement: view(requested, 'outcome-unknown') };
        return;
      }
      // Refused before or by the gateway (nothing was created): the mark is taken back, a retry may create.
      await orders.update(outOrderNo, (o) =>
        o?.algovoi?.label === label && o.algovoi.link === 'creating'
          ? { ...withoutSettlement(o), status: o.status === 'awaiting_payment' ? 'paid' : o.status }
          : undefined,
      );
      throw refusal(error);
    }
    const { order } = await orders.update(outOrderNo, (o) =>
      o?.algovoi?.label === label
        ? {
            ...o,
            algovoi: {
              ...o.algovoi,
              link: 'created',
              token: created.token,
              checkoutUrl: created.checkout_url,
              linkCreatedAt: new Date().toISOString(),
            },
          }
        : undefined,
    );
    log.info(
      { outOrderNo, token: created.token, amount: input.amount, currency: input.currency },
      'settlement link created',
    );
    ctx.status = 201;
    ctx.body = { outOrderNo, status: order?.status, settlement: order?.algovoi && view(order.algovoi) };
  });

  router.post('/orders/:outOrderNo/shipment', authenticated, json, async (ctx) => {
    const orderId = tiktokOrderId(ctx);
    const outOrderNo = tiktokOutOrderNo(orderId);
    const body = ctx.request.body as Record<string, unknown> | undefined;
    const tracking = body?.tracking_number;
    const provider = body?.shipping_provider_id ?? config.tiktok.shippingProviderId;
    if (typeof tracking !== 'string' || !/^[A-Za-z0-9-]{4,64}$/.test(tracking)) {
      throw createError(400, "tracking_number must be the carrier's tracking number.", {
        code: 'INVALID_TRACKING_NUMBER',
      });
    }
    if (typeof provider !== 'string' || !/^\d{1,32}$/.test(provider)) {
      throw createError(400, 'shipping_provider_id must be a carrier id from Get Shipping Providers.', {
        code: 'INVALID_SHIPPING_PROVIDER',
      });
    }
    const order = await orders.get(outOrderNo);
    if (!order) throw createError(404, `No order ${outOrderNo}.`, { code: 'ORDER_NOT_FOUND' });
    await jobs.add(
      undefined,
      'ship-tiktok-order',
      { outOrderNo, selfShipment: { tracking_number: tracking, shipping_provider_id: provider } },
      `${orderId}:${tracking}`,
    );
    ctx.status = 202;
    ctx.body = { outOrderNo, status: order.status };
  });
}

function tiktokOrderId(ctx: Context): string {
  const match = TIKTOK_ORDER_NO.exec(ctx.params.outOrderNo ?? '');
  if (!match) {
    ctx.throw(400, 'A TikTok order number is tiktok-<the TikTok order id>.', { code: 'INVALID_ORDER_NO' });
  }
  return match[1] as string;
}

/** The request repeated (same payer, amount, currency): the same settlement; anything else: 409. */
function answerExisting(ctx: Context, order: OrderRecord | undefined, label: string): void {
  const settlement = order?.algovoi;
  const body = ctx.request.body as Record<string, unknown>;
  const same =
    settlement?.label === label && settlement.amount === body.amount && settlement.currency === body.currency;
  if (!settlement || !same) {
    ctx.throw(409, 'This order is marked for an outside settlement already.', {
      code: 'SETTLEMENT_EXISTS',
      details: settlement ? { settlement: view(settlement) } : {},
    });
  }
  // `creating` found here means an earlier request's answer never came: the outcome is unknown.
  const state = settlement.link === 'creating' ? 'outcome-unknown' : settlement.link;
  ctx.status = state === 'created' ? 200 : 202;
  ctx.body = { outOrderNo: order?.outOrderNo, status: order?.status, settlement: view(settlement, state) };
}

function view(s: AlgoVoiSettlement, link: AlgoVoiSettlement['link'] = s.link) {
  return {
    payer: s.payer,
    amount: s.amount,
    currency: s.currency,
    label: s.label,
    link,
    ...(s.token ? { token: s.token } : {}),
    ...(s.checkoutUrl ? { checkoutUrl: s.checkoutUrl } : {}),
    ...(s.paidAt ? { paidAt: s.paidAt, txId: s.txId } : {}),
  };
}

function withoutSettlement(o: OrderRecord): OrderRecord {
  const { algovoi: _removed, ...rest } = o;
  return rest;
}

interface SettlementInput {
  payer: string;
  amount: string;
  currency: string;
  network: AlgoVoiClient.Network;
}

function parseSettlement(json: unknown, network: AlgoVoiClient.Network): SettlementInput {
  const invalid = (code: string, message: string) => createError(400, message, { code });
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('MALFORMED_REQUEST', 'The body must be a JSON object: {payer, amount, currency}.');
  }
  const { payer, amount, currency } = json as Record<string, unknown>;
  if (typeof payer !== 'string' || payer.trim() === '' || [...payer].length > 80 || /[\r\n]/.test(payer)) {
    throw invalid('INVALID_PAYER', 'payer must name who pays: 1–80 characters on one line.');
  }
  if (!isStorable(payer)) {
    throw invalid('UNSTORABLE_TEXT', 'payer must not contain NUL characters or unpaired surrogates.');
  }
  if (typeof amount !== 'string' || !AMOUNT.test(amount) || Number(amount) <= 0) {
    throw invalid(
      'INVALID_AMOUNT',
      'amount must be a decimal string above 0 with at most 2 decimals, e.g. "120.00".',
    );
  }
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw invalid('INVALID_CURRENCY', 'currency must be an ISO 4217 code such as "GBP".');
  }
  return { payer: payer.trim(), amount, currency, network };
}

function refusal(error: unknown) {
  if (
    isTtpayApiError(error) ||
    (isTtpayClientError(error) && error.status !== undefined && error.status < 500)
  ) {
    return createError(502, 'The payment gateway refused the link.', {
      code: 'GATEWAY_REFUSED',
      expose: true,
      details: { ...(isTtpayClientError(error) && error.status ? { status: error.status } : {}) },
    });
  }
  if (isTtpayClientError(error)) return unavailable(error, 'The payment gateway');
  if (isTtpayError(error)) return createError(400, error.message, { code: 'INVALID_SETTLEMENT' });
  return error;
}

function unavailable(error: unknown, who: string) {
  if (!isTtpayClientError(error)) return error;
  return createError(503, `${who} could not be reached; try again.`, {
    code: 'PLATFORM_UNAVAILABLE',
    expose: true,
  });
}
