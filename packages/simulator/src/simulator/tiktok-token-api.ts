import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type { SimContext } from './sim-context.js';
import { TIKTOK_CODE, tiktokReply } from './tiktok-codes.js';

const DAY = 86_400;

/**
 * TikTok Shop authorization (real host https://auth.tiktok-shops.com, docs/PROTOCOLS.md §3): GET, unsigned,
 * credentials in the query. Successful replies use message "success"; errors a non-zero code (HTTP 200).
 * The `*_expire_in` fields are absolute Unix times, as TikTok sends them (despite the name).
 */
export function registerTikTokTokenApi(router: Router, sim: SimContext): void {
  const { appKey, appSecret, accessToken, refreshToken, shopId } = sim.options.tiktok;
  const grant = (token: string, expiresAt: number) => {
    const now = Math.floor(Date.now() / 1000);
    return tiktokReply(TIKTOK_CODE.OK, 'success', {
      access_token: token,
      access_token_expire_in: expiresAt,
      refresh_token: refreshToken,
      refresh_token_expire_in: now + 365 * DAY,
      open_id: `sim_open_${shopId}`,
      seller_name: 'ttpay simulated shop',
      seller_base_region: 'US',
      user_type: 0,
      granted_scopes: ['seller.order.info', 'seller.fulfillment.basic'],
    });
  };
  const rejected = (message: string) => tiktokReply(TIKTOK_CODE.INVALID_GRANT, message);
  const credentialsOk = (q: URLSearchParams) =>
    q.get('app_key') === appKey && q.get('app_secret') === appSecret;

  router.get('/api/v2/token/get', (ctx) => {
    const q = new URLSearchParams(ctx.querystring);
    ctx.status = 200;
    if (!credentialsOk(q)) ctx.body = rejected('app_key or app_secret is wrong');
    else if (q.get('grant_type') !== 'authorized_code')
      ctx.body = rejected('grant_type must be "authorized_code"');
    // Any non-empty auth_code is accepted: the simulator plays the seller who just authorised the app.
    else if (!q.get('auth_code')) ctx.body = rejected('auth_code is required');
    else ctx.body = grant(accessToken, sim.tiktok.issueAccessToken(accessToken));
  });

  router.get('/api/v2/token/refresh', (ctx) => {
    const q = new URLSearchParams(ctx.querystring);
    ctx.status = 200;
    if (!credentialsOk(q)) ctx.body = rejected('app_key or app_secret is wrong');
    else if (q.get('grant_type') !== 'refresh_token')
      ctx.body = rejected('grant_type must be "refresh_token"');
    else if (q.get('refresh_token') !== refreshToken)
      ctx.body = rejected('refresh_token is invalid or expired');
    else {
      // A fresh access token; earlier ones stay valid until they expire (an assumption: §6 Q16).
      const token = `TTP_${randomBytes(18).toString('base64url')}`;
      ctx.body = grant(token, sim.tiktok.issueAccessToken(token));
    }
  });
}
