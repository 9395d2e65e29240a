import { AlgoVoiClient, DouyinEcpayClient, DouyinTradeClient, TikTokShopClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import type { HttpOptions } from '../../src/http/options.js';

/** Clients with the demo credentials, sending to `baseUrl` (a capture server or the simulator). */
export function testClients(baseUrl: string, http: HttpOptions = {}) {
  const transport = unsafeLoopbackTransportForTests({ baseUrl });
  const options = { retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...http, transport };
  const d = demoCredentials;
  return {
    ecpay: new DouyinEcpayClient({ appId: d.douyin.appId, salt: d.douyin.salt, ...options }),
    trade: new DouyinTradeClient({
      appId: d.douyin.appId,
      appSecret: DEMO_DOUYIN_APP_SECRET,
      privateKey: d.douyin.appPrivateKey,
      keyVersion: d.douyin.keyVersion,
      ...options,
    }),
    tiktok: new TikTokShopClient({
      appKey: d.tiktok.appKey,
      appSecret: d.tiktok.appSecret,
      accessToken: d.tiktok.accessToken,
      shopCipher: d.tiktok.shopCipher,
      ...options,
    }),
    algovoi: new AlgoVoiClient({
      apiBase: 'https://pay.algovoi.example',
      apiKey: d.algovoi.apiKey,
      tenantId: d.algovoi.tenantId,
      ...options,
    }),
  };
}

/** demoCredentials has no Douyin app secret; the simulator's default is read from its options. */
export const DEMO_DOUYIN_APP_SECRET = 'demo_douyin_app_secret_do_not_use';
