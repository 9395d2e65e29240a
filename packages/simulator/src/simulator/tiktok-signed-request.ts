import { signTikTokRequest } from '@ttpay/core';
import { constantTimeEqual } from '@ttpay/core/internal';
import type { Context } from 'koa';
import { readRawBody } from './read-body.js';
import type { SimContext } from './sim-context.js';
import { TIKTOK_CODE, type TikTokReply, tiktokReply } from './tiktok-codes.js';

/** The timestamp window around the platform clock (docs/PROTOCOLS.md §3). */
const MAX_AGE_SECONDS = 5 * 60;
const MAX_AHEAD_SECONDS = 30;

export interface SignedRequest {
  /** Query parameters as received (decoded). */
  query: Record<string, string>;
  /** The exact body bytes received. */
  rawBody: Buffer;
}

export type SignedHandler = (ctx: Context, request: SignedRequest) => TikTokReply | Promise<TikTokReply>;

/**
 * Wraps an Open API handler with what the platform checks on every call (docs/PROTOCOLS.md §3): `app_key`,
 * `timestamp` window, `sign` recomputed by @ttpay/core over the path, the query and the EXACT body bytes
 * received, the `x-tts-access-token` header and — for shop-scoped APIs — `shop_cipher`. Failures are
 * answered HTTP 200 with a non-zero `code`, as the platform does.
 */
export function tiktokSigned(sim: SimContext, opts: { shopScoped: boolean }, handler: SignedHandler) {
  // App-level APIs (Get Authorized Shops) refuse a shop_cipher: "Unexpected identifier" (common errors).
  const { appKey, appSecret, shopCipher } = sim.options.tiktok;
  return async function checkTikTokRequest(ctx: Context): Promise<void> {
    const query = Object.fromEntries(new URLSearchParams(ctx.querystring));
    const rawBody = await readRawBody(ctx);
    ctx.status = 200;
    ctx.body = problem() ?? (await handler(ctx, { query, rawBody }));

    function problem(): TikTokReply | undefined {
      if (query.app_key !== appKey)
        return tiktokReply(
          TIKTOK_CODE.INVALID_CREDENTIALS,
          'Invalid credentials. Invalid app_key query parameter.',
        );
      const timestamp = Number(query.timestamp);
      const now = Math.floor(Date.now() / 1000);
      if (
        !/^\d+$/.test(query.timestamp ?? '') ||
        timestamp < now - MAX_AGE_SECONDS ||
        timestamp > now + MAX_AHEAD_SECONDS
      ) {
        return tiktokReply(
          TIKTOK_CODE.INVALID_CREDENTIALS,
          'Invalid timestamp: Unix seconds within 5 minutes before to 30 seconds after the platform clock',
        );
      }
      const given = query.sign;
      // Multipart uploads are signed without their body (docs/PROTOCOLS.md §3).
      const body = ctx.is('multipart/form-data') ? undefined : rawBody;
      const expected = signTikTokRequest({ path: ctx.path, query, ...(body ? { body } : {}) }, appSecret);
      if (!given || !constantTimeEqual(expected, given.toLowerCase())) {
        return tiktokReply(
          TIKTOK_CODE.INVALID_SIGN,
          'sign does not match: HMAC-SHA256 over app_secret + path + sorted query + the exact body bytes sent + app_secret',
        );
      }
      const expiresAt = sim.tiktok.accessTokens.get(ctx.get('x-tts-access-token'));
      if (expiresAt === undefined) {
        return tiktokReply(
          TIKTOK_CODE.INVALID_CREDENTIALS,
          'Invalid credentials. The x-tts-access-token header is invalid.',
        );
      }
      if (now >= expiresAt) {
        return tiktokReply(
          TIKTOK_CODE.EXPIRED_ACCESS_TOKEN,
          'Expired credentials. The access_token or x-tts-access-token header has expired.',
        );
      }
      if (!opts.shopScoped && query.shop_cipher !== undefined) {
        return tiktokReply(
          TIKTOK_CODE.INVALID_CREDENTIALS,
          'Unexpected identifier. The shop_cipher query parameter is not required for this request.',
        );
      }
      if (opts.shopScoped && !query.shop_cipher) {
        return tiktokReply(
          TIKTOK_CODE.MISSING_SHOP_CIPHER,
          'Missing identifier. The shop_cipher query parameter is required to identify the target shop.',
        );
      }
      if (opts.shopScoped && query.shop_cipher !== shopCipher) {
        return tiktokReply(
          TIKTOK_CODE.WRONG_SHOP_CIPHER,
          "Invalid query or header: the access token's shop does not match shop_cipher.",
        );
      }
      return undefined;
    }
  };
}
