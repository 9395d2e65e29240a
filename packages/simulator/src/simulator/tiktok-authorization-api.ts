import type Router from '@koa/router';
import type { SimContext } from './sim-context.js';
import { TIKTOK_CODE, tiktokReply } from './tiktok-codes.js';
import { tiktokSigned } from './tiktok-signed-request.js';

/**
 * Get Authorized Shops (docs/PROTOCOLS.md §3.5): the one simulated shop with its `cipher` — the value
 * shop-scoped calls take as `shop_cipher`. An app-level API: signed, but refused with a `shop_cipher`.
 */
export function registerTikTokAuthorizationApi(router: Router, sim: SimContext): void {
  const { shopId, shopCipher } = sim.options.tiktok;
  router.get(
    '/authorization/202309/shops',
    tiktokSigned(sim, { shopScoped: false }, () =>
      tiktokReply(TIKTOK_CODE.OK, 'Success', {
        shops: [
          {
            id: shopId,
            name: 'ttpay simulated shop',
            region: 'US',
            seller_type: 'LOCAL',
            cipher: shopCipher,
            code: `SIM${shopId.slice(-6)}`,
          },
        ],
      }),
    ),
  );
}
