import type Router from '@koa/router';
import { firstProblem, plainObject, required, text } from './field-rules.js';
import { parseJsonObject } from './read-body.js';
import { pageOf, pageToken } from './search-pages.js';
import type { SimContext } from './sim-context.js';
import { carriersOf, TIKTOK_DELIVERY_OPTION_ID, trackingProblem } from './tiktok-carriers.js';
import { TIKTOK_CODE, tiktokReply } from './tiktok-codes.js';
import { tiktokSigned } from './tiktok-signed-request.js';
import type { TikTokOrder, TikTokShipment } from './tiktok-store.js';

/** The Get Order Detail API takes at most 50 ids per call. */
const MAX_ORDER_IDS = 50;

/** Orders in these states can be shipped. */
const SHIPPABLE = new Set(['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING']);
const CANCELLED = new Set(['CANCELLED', 'CANCEL']);

const reply = (code: number, message: string) => tiktokReply(code, message);
const orderParams = (message: string) => tiktokReply(TIKTOK_CODE.ORDER_INVALID_PARAMS, message);
const invalid = (message: string) => tiktokReply(TIKTOK_CODE.FULFILLMENT_INVALID_PARAMS, message);
const ok = (data: unknown = {}) => tiktokReply(TIKTOK_CODE.OK, 'Success', data);

const TRACKING_RULES = {
  tracking_number: required(text()),
  shipping_provider_id: required(text()),
};

/**
 * TikTok Shop Open API, versions 202309 (docs/PROTOCOLS.md §3, §5.6): orders, shipping providers, and the
 * shipping calls. Every call passes through `tiktokSigned`. Error codes are the endpoints' documented ones.
 */
export function registerTikTokApi(router: Router, sim: SimContext): void {
  const store = sim.tiktok;
  const signed = (handler: Parameters<typeof tiktokSigned>[2]) =>
    tiktokSigned(sim, { shopScoped: true }, handler);

  router.get(
    '/order/202309/orders',
    signed((_ctx, { query }) => {
      const ids = (query.ids ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      if (ids.length === 0) return invalid('ids is required: comma-separated order ids');
      if (ids.length > MAX_ORDER_IDS) return invalid(`ids takes at most ${MAX_ORDER_IDS} order ids`);
      // Unknown ids are left out of the list (assumption), so a client must not assume one order per id.
      const orders = ids.flatMap((id) => {
        const order = store.orders.get(id);
        return order ? [store.render(order)] : [];
      });
      return ok({ orders });
    }),
  );

  // Search Orders (docs/PROTOCOLS.md §3.6): filters in the body, the page in the query.
  router.post(
    '/order/202309/orders/search',
    signed((_ctx, { query, rawBody }) => {
      const body = rawBody.length === 0 ? {} : parseJsonObject(rawBody);
      if (!body) return orderParams('the body must be a JSON object');
      const page = pageOf(query, 100);
      if (typeof page === 'string') return orderParams(page);
      const filter = orderFilter(body);
      if (typeof filter === 'string') return orderParams(filter);
      // The spec's default sort: create_time, DESC.
      const field = page.sortField ?? 'create_time';
      const order = page.sortOrder ?? 'DESC';
      const matching = [...store.orders.values()]
        .filter(filter)
        .sort((a, b) => (a[field] - b[field] || a.id.localeCompare(b.id)) * (order === 'ASC' ? 1 : -1));
      const slice = matching.slice(page.offset, page.offset + page.size);
      const next = page.offset + page.size;
      return ok({
        next_page_token: next < matching.length ? pageToken(next) : '',
        total_count: matching.length,
        orders: slice.map((o) => store.render(o)),
      });
    }),
  );

  router.get(
    '/logistics/202309/delivery_options/:delivery_option_id/shipping_providers',
    signed((ctx) => {
      const option = String(ctx.params.delivery_option_id);
      if (option === TIKTOK_DELIVERY_OPTION_ID) {
        return reply(
          TIKTOK_CODE.DELIVERY_BY_TIKTOK,
          'The delivery of the specified delivery_option_id is fulfilled by TikTok. No shipping provider will be returned.',
        );
      }
      const carriers = carriersOf(option);
      if (!carriers) return invalid(`delivery option "${option}" not found`);
      return ok({ shipping_providers: carriers.map((c) => ({ id: c.id, name: c.name })) });
    }),
  );

  /** The seller's carrier and tracking number, checked as TikTok checks them; undefined when accepted. */
  function sellerShipmentProblem(order: TikTokOrder, body: Record<string, unknown>, prefix: string) {
    const problem = firstProblem(body, TRACKING_RULES);
    if (problem) return invalid(`${prefix}${problem}`);
    const found = trackingProblem(
      order.delivery_option_id,
      body.tracking_number as string,
      body.shipping_provider_id as string,
    );
    if (!found) return undefined;
    return reply(
      found.code === 'no-carrier'
        ? TIKTOK_CODE.TRACKING_NUMBER_NO_CARRIER
        : TIKTOK_CODE.INVALID_TRACKING_OR_PROVIDER,
      found.message,
    );
  }

  router.post(
    '/fulfillment/202309/packages/:package_id/ship',
    signed((ctx, { rawBody }) => {
      const body = parseJsonObject(rawBody);
      if (!body) return invalid('the body must be a JSON object');
      const packageId = String(ctx.params.package_id);
      const order = store.orderOfPackage(packageId);
      if (!order) return reply(TIKTOK_CODE.PACKAGE_NOT_FOUND, `Package "${packageId}" not found.`);
      const pkg = order.packages.find((p) => p.id === packageId);
      if (CANCELLED.has(order.status)) {
        return reply(TIKTOK_CODE.ORDER_CANCELLED, 'Cannot complete the operation when order is cancelled.');
      }
      if (!pkg || pkg.shipped)
        return reply(TIKTOK_CODE.PACKAGE_ALREADY_SHIPPED, 'Package has already been shipped.');
      if (!SHIPPABLE.has(order.status))
        return invalid(`order "${order.id}" is ${order.status} and cannot ship`);
      const self = body.self_shipment;
      let shipment: Pick<
        TikTokShipment,
        'package_id' | 'tracking_number' | 'shipping_provider_id' | 'handover_method'
      >;
      if (order.shipping_type === 'SELLER') {
        // "For package with SEND_BY_SELLER … you must input a tracking_number … and a shipping_provider_id".
        const notObject =
          self === undefined
            ? 'self_shipment is required for a seller-shipped package'
            : plainObject(self, 'self_shipment');
        if (notObject) return invalid(notObject);
        const problem = sellerShipmentProblem(order, self as Record<string, unknown>, 'self_shipment.');
        if (problem) return problem;
        const { tracking_number, shipping_provider_id } = self as Record<string, string>;
        shipment = { package_id: packageId, tracking_number, shipping_provider_id };
      } else {
        // TikTok shipping: TikTok's carrier brings the tracking number. Whether the platform ignores or
        // refuses a self_shipment here is undocumented: the simulator refuses it. handover_method is optional
        // (and "useless" for SEA local sellers since 2024-10-30, docs/PROTOCOLS.md §3.3).
        if (self !== undefined) {
          return invalid('self_shipment is only for seller-shipped packages; this order ships with TikTok');
        }
        const method = body.handover_method;
        if (method !== undefined && method !== 'PICKUP' && method !== 'DROP_OFF') {
          return invalid('handover_method, when given, must be PICKUP or DROP_OFF');
        }
        shipment = { package_id: packageId, ...(method === undefined ? {} : { handover_method: method }) };
      }
      pkg.shipped = true;
      store.recordShipment({ action: 'ship_package', order_id: order.id, ...shipment });
      store.setStatus(order, nextStatus(order));
      return ok({});
    }),
  );

  // Mark Package As Shipped: a seller-shipped order's items go out with the seller's carrier.
  router.post(
    '/fulfillment/202309/orders/:order_id/packages',
    signed((ctx, { rawBody }) => {
      const body = parseJsonObject(rawBody);
      if (!body) return invalid('the body must be a JSON object');
      const order = store.orders.get(String(ctx.params.order_id));
      if (!order)
        return reply(
          TIKTOK_CODE.NOT_THIS_SELLERS,
          'The order or package does not belong to the current seller.',
        );
      if (CANCELLED.has(order.status)) {
        return reply(TIKTOK_CODE.ORDER_CANCELLED, 'Cannot complete the operation when order is cancelled.');
      }
      if (order.shipping_type !== 'SELLER') {
        return reply(
          TIKTOK_CODE.FULFILLED_BY_PLATFORM,
          'Seller cannot operate orders which are fulfilled by platform',
        );
      }
      const pkg = order.packages.find((p) => !p.shipped);
      if (!pkg || !SHIPPABLE.has(order.status)) {
        return reply(TIKTOK_CODE.ORDERS_ALREADY_SHIPPED, 'These orders are already shipped.');
      }
      const problem = sellerShipmentProblem(order, body, '');
      if (problem) return problem;
      pkg.shipped = true;
      store.recordShipment({
        action: 'mark_package_as_shipped',
        order_id: order.id,
        package_id: pkg.id,
        tracking_number: body.tracking_number as string,
        shipping_provider_id: body.shipping_provider_id as string,
      });
      store.setStatus(order, nextStatus(order));
      const lineItems = Array.isArray(body.order_line_item_ids) ? body.order_line_item_ids : [];
      return ok({ order_id: order.id, order_line_item_ids: lineItems, package_id: pkg.id });
    }),
  );

  router.post(
    '/fulfillment/202309/orders/:order_id/shipping_info/update',
    signed((ctx, { rawBody }) => {
      const body = parseJsonObject(rawBody);
      if (!body) return invalid('the body must be a JSON object');
      const order = store.orders.get(String(ctx.params.order_id));
      if (!order)
        return reply(
          TIKTOK_CODE.NOT_THIS_SELLERS,
          'The order or package does not belong to the current seller.',
        );
      if (order.shipping_type !== 'SELLER') {
        return reply(
          TIKTOK_CODE.FULFILLED_BY_PLATFORM,
          'Seller cannot operate orders which are fulfilled by platform',
        );
      }
      const problem = sellerShipmentProblem(order, body, '');
      if (problem) return problem;
      if (!order.packages.some((p) => p.shipped)) return invalid(`order "${order.id}" has not shipped yet`);
      store.recordShipment({
        action: 'update_shipping_info',
        order_id: order.id,
        tracking_number: body.tracking_number as string,
        shipping_provider_id: body.shipping_provider_id as string,
      });
      return ok();
    }),
  );
}

/** In transit once every package left with the seller's carrier; awaiting collection when TikTok's. */
function nextStatus(order: TikTokOrder): string {
  if (!order.packages.every((p) => p.shipped)) return 'PARTIALLY_SHIPPING';
  return order.shipping_type === 'SELLER' ? 'IN_TRANSIT' : 'AWAITING_COLLECTION';
}

const ORDER_FILTER_FIELDS = new Set([
  'order_status',
  'create_time_ge',
  'create_time_lt',
  'update_time_ge',
  'update_time_lt',
  'shipping_type',
  'buyer_user_id',
  'is_buyer_request_cancel',
  'warehouse_ids',
]);

/** Search Orders' body as a predicate, or what is wrong with it. */
function orderFilter(body: Record<string, unknown>): ((o: TikTokOrder) => boolean) | string {
  for (const key of Object.keys(body)) {
    if (!ORDER_FILTER_FIELDS.has(key)) return `unknown filter field "${key}"`;
  }
  for (const key of ['create_time_ge', 'create_time_lt', 'update_time_ge', 'update_time_lt']) {
    const v = body[key];
    if (v !== undefined && !(Number.isSafeInteger(v) && (v as number) >= 0))
      return `${key} must be Unix seconds`;
  }
  const n = (key: string) => body[key] as number | undefined;
  return (o) =>
    (body.order_status === undefined || o.status === body.order_status) &&
    (body.shipping_type === undefined || o.shipping_type === body.shipping_type) &&
    (body.is_buyer_request_cancel === undefined ||
      o.is_buyer_request_cancel === body.is_buyer_request_cancel) &&
    (n('create_time_ge') === undefined || o.create_time >= (n('create_time_ge') as number)) &&
    (n('create_time_lt') === undefined || o.create_time < (n('create_time_lt') as number)) &&
    (n('update_time_ge') === undefined || o.update_time >= (n('update_time_ge') as number)) &&
    (n('update_time_lt') === undefined || o.update_time < (n('update_time_lt') as number));
}
