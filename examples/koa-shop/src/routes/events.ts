import type Router from '@koa/router';
import type { OrderRepository } from '../orders/order-repository.js';

/**
 * `GET /events`: every event the handlers applied, `[{platform, type, key, ref, at}]`, oldest first —
 * for the demo and for debugging. Registered only outside production (app.ts): it lists business ids.
 */
export function eventsRoutes(router: Router, { orders }: { orders: OrderRepository }): void {
  router.get('/events', async (ctx) => {
    ctx.body = (await orders.events()).map(({ platform, type, key, ref, at }) => ({
      platform,
      type,
      key,
      ref,
      at,
    }));
  });
}
