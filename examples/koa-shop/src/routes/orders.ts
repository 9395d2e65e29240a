import { randomBytes } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { isTtpayApiError, isTtpayClientError } from '@ttpay/client';
import { isTtpayError } from '@ttpay/core';
import createError, { type HttpError, isHttpError } from 'http-errors';
import type { Middleware } from 'koa';
import type { ShopClients } from '../clients.js';
import type { ShopConfig } from '../config.js';
import type { ShopDatabase } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { OrderRecord, OrderRepository } from '../orders/order-repository.js';
import { isStorable } from '../orders/sql-order-repository.js';
import { orderRateLimit } from './order-rate-limit.js';
import { requireApiToken } from './require-api-token.js';

export interface OrdersRouteDeps {
  orders: OrderRepository;
  /** Where the order-creation counters are kept, shared by every instance on it. */
  database: ShopDatabase;
  clients: ShopClients;
  config: ShopConfig;
  logger: Logger;
}

/** `POST /orders` body. */
export interface CreateOrderRequest {
  /** Shown to the buyer: 1–42 characters, at most 128 UTF-8 bytes (Douyin's limits). */
  subject: string;
  /** Default: the subject. Same limits. */
  body?: string;
  /** Integer fen (1 yuan = 100 fen), 1..10000000000. */
  amount: number;
  /** Default 'ecpay' (guaranteed payment); 'trade' for the RSA trade system. */
  system?: 'ecpay' | 'trade';
}

const MAX_AMOUNT_FEN = 10_000_000_000;
/** Orders are small; anything bigger is not one. */
const BODY_LIMIT_BYTES = 16 * 1024;
/** `out_order_no`'s rule (PROTOCOLS.md §1.1); TikTok orders are `tiktok-<order_id>`, which fits too. */
const ORDER_NO = /^[A-Za-z0-9_*-]{1,64}$/;
/** How long the buyer has to pay, in seconds. */
export const PAY_WINDOW_SECONDS = 900;
/** The trade system wants a SKU list; this shop sells one line per order. Sku type 401: an ordinary item. */
const SKU = { skuId: 'koa-shop-item', type: 401, imageList: [] as string[] };

/**
 * `POST /orders` creates a Douyin order through the client; `GET /orders/:outOrderNo`
 * shows one, with any anomaly recorded against it.
 *
 * The order is written BEFORE the platform hears of it, so a callback can never find it missing. If the
 * platform refuses, it is marked `failed`; if the platform could not be reached, it stays `created` —
 * the order may exist there all the same, and its payment callback will still be applied.
 *
 * Both routes take the shop's bearer token (`SHOP_API_TOKEN`; required in production), checked first;
 * creation is then rate-limited (per client and in total), before the body is even read.
 */
export function ordersRoutes(
  router: Router,
  { orders, database, clients, config, logger }: OrdersRouteDeps,
): void {
  const log = logger.child({ component: 'orders' });
  const authenticated = requireApiToken(config.api.tokens);
  const bounded = orderRateLimit(
    { perClient: config.api.ordersPerMinutePerClient, total: config.api.ordersPerMinute },
    database.sql,
  );

  // The JSON body, read here only (the webhook routes read their raw bytes themselves: the signatures
  // cover them), after the token and the rate limit.
  const jsonBody = bodyParser({
    enableTypes: ['json'],
    jsonLimit: BODY_LIMIT_BYTES,
    // Any JSON value: one that is not an object is MALFORMED_REQUEST below, not a parse error.
    jsonStrict: false,
    onError(error) {
      if (isHttpError(error) && error.status === 413) {
        throw createError(413, `The body must be at most ${BODY_LIMIT_BYTES} bytes.`, {
          code: 'BODY_TOO_LARGE',
        });
      }
      if (error instanceof SyntaxError) throw notJson();
      throw error;
    },
  });

  router.post('/orders', authenticated, bounded, requireJson, jsonBody, async (ctx) => {
    // Without jsonStrict an empty body arrives as '': no JSON at all, not a JSON value that is no object.
    if (ctx.request.rawBody === '') throw notJson();
    const input = parseCreateOrder(ctx.request.body);
    const system = input.system ?? 'ecpay';
    const outOrderNo = `dy_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
    const now = new Date().toISOString();
    const order: OrderRecord = {
      outOrderNo,
      channel: system === 'ecpay' ? 'douyin-ecpay' : 'douyin-trade',
      amount: input.amount,
      currency: 'CNY',
      status: 'created',
      subject: input.subject,
      createdAt: now,
      updatedAt: now,
      refundedAmount: 0,
      refunds: [],
      settlements: [],
    };
    await orders.create(order);
    const created = { outOrderNo, system, amount: input.amount, currency: 'CNY', status: 'created' };

    if (system === 'trade') {
      // Nothing to call: the mini-program passes {data, byteAuthorization} to tt.requestOrder, and the
      // platform creates the order then. `data` is the exact string that was signed.
      const requestOrderData = clients.douyin.trade.requestOrderData({
        skuList: [{ ...SKU, price: input.amount, quantity: 1, title: input.subject }],
        outOrderNo,
        totalAmount: input.amount,
        payExpireSeconds: PAY_WINDOW_SECONDS,
        // Where the buyer's order list links to; required by tt.requestOrder (docs/PROTOCOLS.md §2.1).
        orderEntrySchema: { path: config.douyin.orderEntryPath, params: JSON.stringify({ outOrderNo }) },
        ...(config.douyin.notifyUrl ? { payNotifyUrl: config.douyin.notifyUrl } : {}),
      });
      log.info({ outOrderNo, system, amount: input.amount }, 'order created');
      ctx.status = 201;
      ctx.body = { ...created, requestOrderData };
      return;
    }

    try {
      const { order_id, order_token } = await clients.douyin.ecpay.createOrder({
        out_order_no: outOrderNo,
        total_amount: input.amount,
        subject: input.subject,
        body: input.body ?? input.subject,
        valid_time: PAY_WINDOW_SECONDS,
        ...(config.douyin.notifyUrl ? { notify_url: config.douyin.notifyUrl } : {}),
      });
      await orders.update(outOrderNo, (o) => (o ? { ...o, platformOrderId: order_id } : undefined));
      log.info({ outOrderNo, system, amount: input.amount, orderId: order_id }, 'order created');
      ctx.status = 201;
      // Hand order_id and order_token to tt.pay in the mini-program.
      ctx.body = { ...created, orderId: order_id, orderToken: order_token };
    } catch (error) {
      throw await platformFailure(error, outOrderNo);
    }
  });

  router.get('/orders/:outOrderNo', authenticated, async (ctx) => {
    const outOrderNo = ctx.params.outOrderNo ?? '';
    if (!ORDER_NO.test(outOrderNo)) {
      ctx.throw(400, 'An order number is 1–64 of A–Z, a–z, 0–9, _, * and -.', { code: 'INVALID_ORDER_NO' });
    }
    const order = await orders.get(outOrderNo);
    if (!order) ctx.throw(404, `No order ${outOrderNo}.`, { code: 'ORDER_NOT_FOUND' });
    ctx.body = { ...order, anomalies: await orders.anomalies({ outOrderNo }) };
  });

  async function platformFailure(error: unknown, outOrderNo: string): Promise<HttpError> {
    if (isTtpayApiError(error)) {
      // The platform understood and refused: the order can never be paid.
      await orders.update(outOrderNo, (o) => (o ? { ...o, status: 'failed' } : undefined));
      log.warn(
        { outOrderNo, platformCode: error.platformCode, requestId: error.requestId },
        'Douyin refused the order',
      );
      // `expose`: http-errors hides a 5xx's message by default; this one is the shop's own.
      return createError(502, 'Douyin refused to create the order.', {
        code: 'PLATFORM_REFUSED',
        expose: true,
        details: { outOrderNo, platformCode: error.platformCode, platformMessage: error.platformMessage },
      });
    }
    if (isTtpayClientError(error)) {
      log.warn({ outOrderNo, code: error.code, status: error.status }, 'Douyin could not be reached');
      return createError(503, 'Douyin could not be reached; try again.', {
        code: 'PLATFORM_UNAVAILABLE',
        expose: true,
        details: { outOrderNo },
      });
    }
    if (isTtpayError(error)) {
      // The client checks every field before sending; what slipped past parseCreateOrder lands here.
      await orders.update(outOrderNo, (o) => (o ? { ...o, status: 'failed' } : undefined));
      return createError(400, error.message, { code: 'INVALID_ORDER', details: { outOrderNo } });
    }
    throw error;
  }
}

/** Validates the request with stable error codes; nothing reaches the platform unless it passes. */
export function parseCreateOrder(json: unknown): CreateOrderRequest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw createError(400, 'The body must be a JSON object.', { code: 'MALFORMED_REQUEST' });
  }
  const { subject, body: text, amount, system } = json as Record<string, unknown>;
  const invalid = (code: string, message: string) => createError(400, message, { code });
  if (typeof amount !== 'number' || !Number.isFinite(amount) || !Number.isInteger(amount) || amount <= 0) {
    throw invalid('INVALID_AMOUNT', 'amount must be a positive integer number of fen (1 yuan = 100 fen).');
  }
  if (amount > MAX_AMOUNT_FEN) {
    throw invalid('INVALID_AMOUNT', `amount must be at most ${MAX_AMOUNT_FEN} fen.`);
  }
  for (const [name, field] of [
    ['subject', subject],
    ['body', text],
  ] as const) {
    // PostgreSQL text holds no NUL, and a lone surrogate would be replaced on the way: refused before any write.
    if (typeof field === 'string' && !isStorable(field)) {
      throw invalid('UNSTORABLE_TEXT', `${name} must not contain NUL characters or unpaired surrogates.`);
    }
  }
  if (!isOrderText(subject)) {
    throw invalid('INVALID_SUBJECT', 'subject must be 1–42 characters and at most 128 UTF-8 bytes.');
  }
  if (text !== undefined && !isOrderText(text)) {
    throw invalid('INVALID_BODY_TEXT', 'body must be 1–42 characters and at most 128 UTF-8 bytes.');
  }
  if (system !== undefined && system !== 'ecpay' && system !== 'trade') {
    throw invalid('INVALID_SYSTEM', 'system must be "ecpay" or "trade".');
  }
  return { subject, amount, ...(text === undefined ? {} : { body: text }), ...(system ? { system } : {}) };
}

function notJson(): HttpError {
  return createError(400, 'The body is not valid JSON.', { code: 'MALFORMED_JSON' });
}

/** `POST /orders` takes JSON only; checked before the body is read. */
const requireJson: Middleware = async function requireJson(ctx, next) {
  if (!ctx.is('application/json')) {
    ctx.throw(415, 'Send the order as JSON (Content-Type: application/json).', {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  }
  await next();
};

/** Douyin's subject/body limits (PROTOCOLS.md §1.1): ≤ 42 characters and ≤ 128 UTF-8 bytes. */
function isOrderText(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.trim() !== '' &&
    [...value].length <= 42 &&
    Buffer.byteLength(value) <= 128
  );
}
