import type Router from '@koa/router';
import { verifyByteAuthorization } from '@ttpay/core/internal';
import { type DouyinOrder, douyinIds } from './douyin-store.js';
import {
  callbackUrl,
  type FieldRule,
  firstProblem,
  integer,
  listOf,
  objectOf,
  optional,
  outNo,
  required,
  stringList,
  stringOrEmpty,
  text,
} from './field-rules.js';
import { parseJsonObject, readRawBody } from './read-body.js';
import type { SimContext } from './sim-context.js';
import { type TradeReply, tradeInvalid, tradeSuccess } from './trade-reply.js';

/** Default payment window when `payExpireSeconds` is absent (assumption: 300 s). */
const DEFAULT_PAY_EXPIRE_SECONDS = 300;

/**
 * The `data` of tt.requestOrder (docs/PROTOCOLS.md §2). Which SKU fields the platform insists on is not in
 * docs/PROTOCOLS.md: the simulator requires skuId, price, quantity and title, and type-checks the rest.
 */
const REQUEST_ORDER_RULES: Record<string, FieldRule> = {
  skuList: required(
    listOf({
      skuId: required(text(64)),
      price: required(integer(1)),
      quantity: required(integer(1)),
      title: required(text()),
      imageList: optional(stringList),
      type: optional(integer(0)),
      tagGroupId: optional(text()),
    }),
  ),
  outOrderNo: required(outNo),
  totalAmount: required(integer(1, 10_000_000_000)),
  payExpireSeconds: optional(integer(1)),
  payNotifyUrl: optional(callbackUrl(512)),
  merchantUid: optional(text(64)),
  // Required (docs/PROTOCOLS.md §2.1, §6 Q11): the page the buyer's order links to, `params` a JSON string.
  orderEntrySchema: required(objectOf({ path: required(text(512)), params: optional(text(1024)) })),
  limitPayWayList: optional((value, field) =>
    Array.isArray(value) && value.every((v) => Number.isInteger(v))
      ? undefined
      : `${field} must be a list of integers`,
  ),
};

/**
 * `POST /requestOrder {data, byteAuthorization}` stands in for the mini-program's tt.requestOrder
 * (docs/PROTOCOLS.md §2): the Byte-Authorization must sign `POST\n/requestOrder\n<ts>\n<nonce>\n<data>\n`
 * with the app private key, checked by @ttpay/core's verifyByteAuthorization against the uploaded app
 * public key(s). Then `data` is parsed and the trade-system order created.
 */
export function registerRequestOrderApi(router: Router, sim: SimContext): void {
  const store = sim.douyin;
  const { appId, appPublicKeys } = sim.options.douyin;

  router.post('/requestOrder', async (ctx) => {
    const body = parseJsonObject(await readRawBody(ctx));
    ctx.status = 200;
    if (!body || typeof body.data !== 'string' || typeof body.byteAuthorization !== 'string') {
      ctx.body = tradeInvalid(
        'the body must be {"data": "<the JSON string signed>", "byteAuthorization": "SHA256-RSA2048 …"}',
      );
      return;
    }
    // The signature covers `data` exactly as sent (docs/PROTOCOLS.md §2). Whether the platform also bounds the
    // header's timestamp is undocumented, so the simulator does not.
    try {
      const auth = verifyByteAuthorization(
        { method: 'POST', uri: '/requestOrder', body: body.data, header: body.byteAuthorization },
        appPublicKeys,
      );
      if (auth.appId !== appId) throw new Error('its appid is not this app');
    } catch (error) {
      ctx.body = tradeInvalid(
        `byteAuthorization rejected: ${error instanceof Error ? error.message : 'invalid'}`,
      );
      return;
    }
    const data = parseJsonObject(body.data);
    if (!data) {
      ctx.body = tradeInvalid('data must be the JSON text of an object');
      return;
    }
    ctx.body = createOrder(data);
  });

  function createOrder(data: Record<string, unknown>): TradeReply {
    const problem = firstProblem(data, REQUEST_ORDER_RULES);
    if (problem) return tradeInvalid(problem);
    const skus = data.skuList as { skuId: string; price: number; quantity: number }[];
    const sum = skus.reduce((total, s) => total + s.price * s.quantity, 0);
    // Discounts are allowed: totalAmount need not be Σ price × quantity (docs/PROTOCOLS.md §5.1). Paying
    // more than the lines' price is refused (the simulator's assumption).
    if ((data.totalAmount as number) > sum) {
      return tradeInvalid(
        `totalAmount ${String(data.totalAmount)} exceeds the sum of price × quantity (${sum})`,
      );
    }
    const outOrderNo = data.outOrderNo as string;
    if (store.orders.has(outOrderNo)) return tradeInvalid(`outOrderNo "${outOrderNo}" already exists`);
    const now = Date.now();
    const order: DouyinOrder = {
      system: 'trade',
      out_order_no: outOrderNo,
      order_id: douyinIds.tradeOrder(),
      total_amount: data.totalAmount as number,
      cp_extra: '',
      ...(typeof data.payNotifyUrl === 'string' ? { notify_url: data.payNotifyUrl } : {}),
      status: 'PROCESSING',
      created_at: now,
      expires_at: now + ((data.payExpireSeconds as number | undefined) ?? DEFAULT_PAY_EXPIRE_SECONDS) * 1000,
      way: '',
      channel_no: '',
      payment_order_no: douyinIds.payment(),
      seller_uid: douyinIds.seller(),
      item_id: '',
      merchant_uid: stringOrEmpty(data.merchantUid),
      item_orders: skus.map((s) => ({
        item_order_id: douyinIds.tradeItemOrder(),
        sku_id: s.skuId,
        item_order_amount: s.price * s.quantity,
      })),
      request: data,
    };
    store.orders.set(outOrderNo, order);
    // What tt.requestOrder hands the mini-program on success, inside the usual envelope.
    return tradeSuccess({
      orderId: order.order_id,
      outOrderNo,
      itemOrderList: order.item_orders.map((i) => ({
        itemOrderId: i.item_order_id,
        skuId: i.sku_id,
        itemOrderAmount: i.item_order_amount,
      })),
    });
  }
}
