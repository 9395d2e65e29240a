import { AlgoVoiClient, DouyinEcpayClient, DouyinTradeClient, TikTokShopClient } from '@ttpay/client';
import { type Transport, unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import type { ApiTarget, ShopConfig } from './config.js';
import type { Logger } from './logger.js';

/** The four platform clients, built once from the configuration. */
export interface ShopClients {
  douyin: { ecpay: DouyinEcpayClient; trade: DouyinTradeClient };
  tiktok: TikTokShopClient;
  algovoi: AlgoVoiClient;
}

/**
 * The AlgoVoi client wants an https DNS name as its base; with the simulator every request goes to the
 * loopback origin anyway, and this name only shows in error messages.
 */
const SIMULATED_ALGOVOI_API_BASE = 'https://algovoi.simulator.invalid';

/**
 * Real https bases talk to the real, allow-listed hosts. A loopback http base (the simulator, outside
 * production only: config.ts refuses it in production, and the client refuses the test transport there
 * too) routes every request to that origin under the platforms' real paths.
 */
export function createClients(config: ShopConfig, logger?: Logger): ShopClients {
  const log = (platform: string) => logger?.child({ component: 'client', platform });
  const { douyin, tiktok, algovoi } = config;

  const douyinTransport = transportFor(douyin.api);
  const ecpay = new DouyinEcpayClient({
    appId: douyin.appId,
    salt: douyin.salt,
    ...(douyinTransport ? { transport: douyinTransport } : { baseUrl: douyin.api.base }),
    ...withLogger(log('douyin-ecpay')),
  });
  const trade = new DouyinTradeClient({
    appId: douyin.appId,
    appSecret: douyin.appSecret,
    privateKey: douyin.appPrivateKey,
    keyVersion: douyin.keyVersion,
    // The trade system has one host (https://open.douyin.com); DOUYIN_API_BASE moves it only to the simulator.
    ...(douyinTransport ? { transport: douyinTransport } : {}),
    ...withLogger(log('douyin-trade')),
  });

  const tiktokTransport = transportFor(tiktok.api);
  const tiktokLog = log('tiktok');
  const tiktokClient = new TikTokShopClient({
    appKey: tiktok.appKey,
    // The first secret is current: it signs requests. The others only still verify webhooks.
    appSecret: tiktok.appSecrets[0] ?? '',
    // With a refresh token the client keeps the access token fresh (105002, type-7; docs/PROTOCOLS.md §3.5).
    // The new grant lives in this process: persist it (onTokenRefresh) where a restart must not lose it.
    ...(tiktok.refreshToken
      ? {
          token: { access_token: tiktok.accessToken, refresh_token: tiktok.refreshToken },
          onTokenRefresh: (grant: TikTokShopClient.Token) =>
            tiktokLog?.warn(
              {
                accessTokenExpiresAt: grant.access_token_expire_in,
                refreshTokenExpiresAt: grant.refresh_token_expire_in,
              },
              'TikTok access token refreshed: store the new grant (TIKTOK_ACCESS_TOKEN, TIKTOK_REFRESH_TOKEN) before a restart',
            ),
        }
      : { accessToken: tiktok.accessToken }),
    ...(tiktok.shopCipher ? { shopCipher: tiktok.shopCipher } : {}),
    ...(tiktok.shopId ? { shopId: tiktok.shopId } : {}),
    ...(tiktokTransport ? { transport: tiktokTransport } : { baseUrl: tiktok.api.base }),
    ...withLogger(tiktokLog),
  });

  const algovoiTransport = transportFor(algovoi.api);
  const algovoiClient = new AlgoVoiClient({
    apiBase: algovoiTransport ? SIMULATED_ALGOVOI_API_BASE : algovoi.api.base,
    apiKey: algovoi.apiKey,
    tenantId: algovoi.tenantId,
    ...(algovoiTransport ? { transport: algovoiTransport } : {}),
    ...withLogger(log('algovoi')),
  });

  return { douyin: { ecpay, trade }, tiktok: tiktokClient, algovoi: algovoiClient };
}

function transportFor(target: ApiTarget): Transport | undefined {
  return target.loopback ? unsafeLoopbackTransportForTests({ baseUrl: target.base }) : undefined;
}

function withLogger(logger: Logger | undefined): { logger?: Logger } {
  return logger ? { logger } : {};
}
