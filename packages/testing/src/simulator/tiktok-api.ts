import type Router from '@koa/router';
import { randomDigits } from '../fixtures/delivery.js';
import { firstProblem, plainObject, required, text } from './field-rules.js';
import { parseJsonObject } from './read-body.js';
import type { SimContext } from './sim-context.js';
import { TIKTOK_CODE, tiktokReply } from './tiktok-codes.js';
import { tiktokSigned } from './tiktok-signed-request.js';
import type { TikTokOrder } from './tiktok-store.js';

/** The Get Order Detail API takes at most 50 ids per call. */
const MAX_ORDER_IDS = 50;

/** Orders in these states can be shipped. */
const SHIPPABLE = new Set(['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING']);

const invalid = (message: string) => tiktokReply(TIKTOK_CODE.INVALID_PARAMS, message);
const ok = (data: unknown = {}) => tiktokReply(TIKTOK_CODE.OK, 'Success', data);

const TRACKING_RULES = {
  tracking_number: required(text(128)),
  shipping_provider_id: required(text(64)),
};

/**
 * TikTok Shop Open API, versions 202309 (PROTOCOLS.md §3): orders, and the shipping calls the settlement
 * flow uses. Every call passes through `tiktokSigned`.
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

  router.post(
    '/fulfillment/202309/packages/:package_id/ship',
    signed((ctx, { rawBody }) => {
      const body = parseJsonObject(rawBody);
      if (!body) return invalid('the body must be a JSON object');
      const packageId = String(ctx.params.package_id);
      const order = store.orderOfPackage(packageId);
      if (!order) return invalid(`package "${packageId}" not found`);
      const pkg = order.packages.find((p) => p.id === packageId);
      if (!pkg || pkg.shipped) return invalid(`package "${packageId}" is already shipped`);
      if (!SHIPPABLE.has(order.status))
        return invalid(`order "${order.id}" is ${order.status} and cannot ship`);
      const self = body.self_shipment;
      if (self !== undefined) {
        const notObject = plainObject(self, 'self_shipment');
        if (notObject) return invalid(notObject);
        const problem = firstProblem(self as Record<string, unknown>, TRACKING_RULES);
        if (problem) return invalid(`self_shipment.${problem}`);
      }
      const tracking = (self ?? {}) as { tracking_number?: string; shipping_provider_id?: string };
      pkg.shipped = true;
      store.recordShipment({
        action: 'ship_package',
        order_id: order.id,
        package_id: packageId,
        ...(tracking.tracking_number ? { tracking_number: tracking.tracking_number } : {}),
        ...(tracking.shipping_provider_id ? { shipping_provider_id: tracking.shipping_provider_id } : {}),
        ...(typeof body.handover_method === 'string' ? { handover_method: body.handover_method } : {}),
      });
      store.setStatus(order, nextStatus(order, self !== undefined));
      return ok();
    }),
  );

  router.post(
    '/fulfillment/202309/orders/:order_id/packages',
    signed((ctx, { rawBody }) => {
      const body = parseJsonObject(rawBody);
      if (!body) return invalid('the body must be a JSON object');
      const order = store.orders.get(String(ctx.params.order_id));
      if (!order) return invalid(`order "${String(ctx.params.order_id)}" not found`);
      if (!SHIPPABLE.has(order.status)) return invalid(`order "${order.id}" is ${order.status}`);
      const packageId = randomDigits(18);
      order.packages.push({ id: packageId, shipped: false });
      store.recordShipment({ action: 'create_package', order_id: order.id, package_id: packageId });
      return ok({ package_id: packageId, create_time: Math.floor(Date.now() / 1000) });
    }),
  );

  router.post(
    '/fulfillment/202309/orders/:order_id/shipping_info/update',
    signed((ctx, { rawBody }) => {
      const body = parseJsonObject(rawBody);
      if (!body) return invalid('the body must be a JSON object');
      const problem = firstProblem(body, TRACKING_RULES);
      if (problem) return invalid(problem);
      const order = store.orders.get(String(ctx.params.order_id));
      if (!order) return invalid(`order "${String(ctx.params.order_id)}" not found`);
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

/** Shipped by the seller: in transit once every package is; shipped by TikTok: awaiting collection. */
function nextStatus(order: TikTokOrder, selfShipped: boolean): string {
  if (!order.packages.every((p) => p.shipped)) return 'PARTIALLY_SHIPPING';
  return selfShipped ? 'IN_TRANSIT' : 'AWAITING_COLLECTION';
}
