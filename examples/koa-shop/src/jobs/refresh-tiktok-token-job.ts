import type { TikTokShopClient } from '@ttpay/client';
import type { Logger } from '../logger.js';
import type { OrderRepository } from '../orders/order-repository.js';
import { reportAnomaly } from '../orders/report-anomaly.js';
import type { JobContext, ShopJobs } from './shop-jobs.js';

export interface RefreshTikTokTokenJobDeps {
  orders: OrderRepository;
  tiktok: TikTokShopClient;
  logger: Logger;
}

/**
 * Webhook type 7, "upcoming authorization expiration" (sent daily from 30 days before): the access token
 * is refreshed now (when the shop holds a refresh token, TIKTOK_REFRESH_TOKEN), and a human is told that
 * the seller must re-authorize the app before `expiration_time` — a refresh does not extend the seller's
 * authorization (`refresh_token_expire_in` is "equivalent to the authorization duration"; docs/PROTOCOLS.md
 * §3.5). A failed refresh is retried; the anomaly is recorded once per notification.
 */
export function refreshTikTokTokenJob(
  deps: RefreshTikTokTokenJobDeps,
): (data: ShopJobs['refresh-tiktok-token'], context: JobContext) => Promise<void> {
  const { orders, tiktok } = deps;
  const log = deps.logger.child({ component: 'job', job: 'refresh-tiktok-token' });

  return async ({ expirationTime }, { signal, attempt }) => {
    const expiresAt =
      expirationTime && /^\d{1,12}$/.test(expirationTime)
        ? new Date(Number(expirationTime) * 1000).toISOString()
        : 'soon';
    if (attempt === 1) {
      await reportAnomaly(orders, log, {
        kind: 'authorization-expiring',
        platform: 'tiktok',
        ref: expirationTime ?? '',
        detail: `the seller's authorization of this app expires ${expiresAt}: ask the seller to re-authorize it in TikTok Shop`,
      });
    }
    if (!tiktok.currentToken()) {
      log.warn({}, 'no TIKTOK_REFRESH_TOKEN: the access token cannot be refreshed by the shop');
      return;
    }
    const grant = await tiktok.refreshToken({ signal });
    log.info(
      {
        accessTokenExpiresAt: grant.access_token_expire_in,
        authorizationExpiresAt: grant.refresh_token_expire_in,
      },
      'TikTok access token refreshed',
    );
  };
}
