import { inspect } from 'node:util';
import { AlgoVoiClient, DouyinEcpayClient, DouyinTradeClient, TikTokShopClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import type { TtpayLogger } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type CaptureServer,
  delay,
  json,
  resetConnection,
  startCaptureServer,
} from './helpers/capture-server.js';

const SECRETS = {
  salt: 'SALT-5ecret-salt-value',
  appSecret: 'APPSECRET-douyin-5ecret',
  tiktokSecret: 'TTSECRET-5ecret-tiktok',
  accessToken: 'TTP-ACCESS-5ecret-token',
  authCode: 'AUTHCODE-5ecret',
  refreshToken: 'REFRESH-5ecret',
  apiKey: 'algv_APIKEY-5ecret',
  clientToken: 'clt.CLIENTTOKEN-5ecret',
};
const privateKeyMarker = demoCredentials.douyin.appPrivateKey.split('\n')[5] as string;

let server: CaptureServer;
const logged: unknown[] = [];
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

function clients(timeoutMs = 2000) {
  const record = (level: string) => (obj: Record<string, unknown>, msg?: string) =>
    logged.push({ level, obj, msg });
  const logger: TtpayLogger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  const http = {
    transport: unsafeLoopbackTransportForTests({ baseUrl: server.url }),
    logger,
    timeoutMs,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  };
  return {
    ecpay: new DouyinEcpayClient({ appId: 'tt_app', salt: SECRETS.salt, ...http }),
    trade: new DouyinTradeClient({
      appId: 'tt_app',
      appSecret: SECRETS.appSecret,
      privateKey: demoCredentials.douyin.appPrivateKey,
      keyVersion: 1,
      ...http,
    }),
    tiktok: new TikTokShopClient({
      appKey: 'app_key',
      appSecret: SECRETS.tiktokSecret,
      accessToken: SECRETS.accessToken,
      ...http,
    }),
    algovoi: new AlgoVoiClient({
      apiBase: 'https://pay.algovoi.example',
      apiKey: SECRETS.apiKey,
      tenantId: 't',
      ...http,
    }),
  };
}

function expectNoSecret(text: string): void {
  for (const secret of [...Object.values(SECRETS), privateKeyMarker]) expect(text).not.toContain(secret);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

it('errors of every kind carry no secret in message, JSON or inspection', async () => {
  const c = clients(100);
  const errors: unknown[] = [];
  server.respond(json(200, { err_no: 2008, err_tips: 'bad sign' }));
  errors.push(
    await failure(
      c.ecpay.createOrder({ out_order_no: 'o', total_amount: 1, subject: 's', body: 'b', valid_time: 300 }),
    ),
  );
  server.respond(json(200, { code: 106001, message: 'invalid sign', request_id: 'rq' }));
  errors.push(await failure(c.tiktok.getOrders(['1'])));
  server.respond(json(200, { code: 36004004, message: 'auth code invalid', request_id: 'rq' }));
  errors.push(await failure(c.tiktok.getAccessToken(SECRETS.authCode)));
  errors.push(await failure(c.tiktok.refreshAccessToken(SECRETS.refreshToken)));
  server.respond(json(500, 'oops'));
  errors.push(await failure(c.algovoi.verifyPayment('tok')));
  server.respond(resetConnection);
  errors.push(
    await failure(
      c.tiktok.shipPackage('1', { self_shipment: { tracking_number: 't', shipping_provider_id: 'p' } }),
    ),
  );
  server.respond(delay(1000, json(200, {})));
  errors.push(
    await failure(
      c.algovoi.createPaymentLink({
        amount: 1,
        currency: 'USD',
        label: 'l',
        preferred_network: 'voi_mainnet',
      }),
    ),
  );
  server.respond(
    json(200, { data: { access_token: SECRETS.clientToken, expires_in: 7200, error_code: 0 } }),
    json(200, 'not json'),
  );
  errors.push(await failure(c.trade.orderQuery({ out_order_no: 'o' })));
  server.respond(json(200, { data: { error_code: 10004, description: 'client_secret wrong' } }));
  c.trade.clearClientToken();
  errors.push(await failure(c.trade.settleQuery({ out_settle_no: 's' })));

  expect(errors.map((e) => (e as { code: string }).code)).toEqual([
    'PLATFORM_ERROR',
    'PLATFORM_ERROR',
    'PLATFORM_ERROR',
    'PLATFORM_ERROR',
    'HTTP_STATUS',
    'NETWORK',
    // A create that timed out may have created the link (docs/PROTOCOLS.md §4.2).
    'OUTCOME_UNKNOWN',
    'MALFORMED_RESPONSE',
    'PLATFORM_ERROR',
  ]);
  for (const error of errors) {
    expectNoSecret(String(error));
    expectNoSecret(JSON.stringify(error));
    expectNoSecret(inspect(error, { depth: 10, showHidden: true }));
  }
  // the path keeps what helps debugging and redacts the rest
  expect((errors[1] as { path: string }).path).toMatch(
    /^\/order\/202309\/orders\?ids=1&app_key=app_key&timestamp=\d+&sign=\[redacted\]$/,
  );
  expect((errors[2] as { path: string }).path).toContain('app_secret=[redacted]');
});

it('logs carry no secret, and neither does inspecting a client', () => {
  expect(logged.length).toBeGreaterThan(5);
  expectNoSecret(JSON.stringify(logged));
  for (const client of Object.values(clients()))
    expectNoSecret(inspect(client, { depth: 10, showHidden: true }));
});
