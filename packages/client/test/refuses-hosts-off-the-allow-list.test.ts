import {
  AlgoVoiClient,
  DouyinEcpayClient,
  DouyinTradeClient,
  TikTokShopClient,
  type Transport,
  TtpayClientError,
} from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CaptureServer, startCaptureServer } from './helpers/capture-server.js';

const d = demoCredentials;
const ecpay = (baseUrl: string, transport?: Transport) =>
  new DouyinEcpayClient({
    appId: d.douyin.appId,
    salt: d.douyin.salt,
    baseUrl,
    ...(transport ? { transport } : {}),
  });
const trade = (baseUrl: string) =>
  new DouyinTradeClient({
    appId: d.douyin.appId,
    appSecret: 'x',
    privateKey: d.douyin.appPrivateKey,
    keyVersion: 1,
    baseUrl,
  });
const tiktok = (baseUrl: string) =>
  new TikTokShopClient({ appKey: d.tiktok.appKey, appSecret: d.tiktok.appSecret, baseUrl });
const tiktokAuth = (authBaseUrl: string) =>
  new TikTokShopClient({ appKey: d.tiktok.appKey, appSecret: d.tiktok.appSecret, authBaseUrl });
const algovoi = (apiBase: string) =>
  new AlgoVoiClient({ apiBase, apiKey: d.algovoi.apiKey, tenantId: d.algovoi.tenantId });

function expectRefused(make: () => unknown): TtpayClientError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(TtpayClientError);
    expect((error as TtpayClientError).code).toBe('HOST_NOT_ALLOWED');
    return error as TtpayClientError;
  }
  throw new Error('expected the client to refuse the URL');
}

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

describe('fixed platform hosts', () => {
  const attempts = [
    'http://developer.toutiao.com',
    'https://evil.example',
    'https://developer.toutiao.com.evil.example',
    'https://developer.toutiao.com@evil.example',
    'https://user:pass@developer.toutiao.com',
    'https://developer.toutiao.com:8443',
    'https://developer.toutiao.com/api/apps/ecpay/v1/',
    'https://developer.toutiao.com/?x=1',
    'https://developer.toutiao.com.',
    'https://127.0.0.1',
    'https://[::1]',
    'https://2130706433',
    'ftp://developer.toutiao.com',
    'developer.toutiao.com',
    '',
  ];

  it.each(attempts)('ecpay refuses %j', (url) => {
    expectRefused(() => ecpay(url));
  });

  it('ecpay takes the production host and the sandbox host', () => {
    expect(ecpay('https://developer.toutiao.com')).toBeInstanceOf(DouyinEcpayClient);
    expect(ecpay('https://open-sandbox.douyin.com/')).toBeInstanceOf(DouyinEcpayClient);
  });

  it.each(['https://open-sandbox.douyin.com', 'http://open.douyin.com', 'https://open.douyin.com@127.0.0.1'])(
    'trade refuses %j',
    (url) => {
      expectRefused(() => trade(url));
    },
  );

  it.each([
    // the seed adapter's undocumented hosts (PROTOCOLS.md §4)
    'https://open-api-sg.tiktokglobalshop.com',
    'https://open-api-eu.tiktokglobalshop.com',
    'http://open-api.tiktokglobalshop.com',
    'https://auth.tiktok-shops.com',
  ])('TikTok API refuses %j', (url) => {
    expectRefused(() => tiktok(url));
  });

  it.each(['https://open-api.tiktokglobalshop.com', 'http://auth.tiktok-shops.com'])(
    'TikTok auth refuses %j',
    (url) => {
      expectRefused(() => tiktokAuth(url));
    },
  );

  it('never echoes credentials from a refused URL', () => {
    const error = expectRefused(() => ecpay('https://user:hunter2@developer.toutiao.com'));
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('hunter2');
  });
});

describe('the user-configured AlgoVoi base', () => {
  it.each([
    'http://pay.algovoi.example',
    'https://127.0.0.1',
    'https://10.0.0.8:8443',
    'https://[::1]',
    'https://[::ffff:169.254.169.254]',
    'https://2130706433',
    'https://0x7f.1',
    'https://localhost',
    'https://metadata.localhost',
    'https://intranet',
    'https://user:pw@pay.algovoi.example',
    'https://pay.algovoi.example/?next=https://evil.example',
    'not a url',
  ])('refuses %j', (url) => {
    expectRefused(() => algovoi(url));
  });

  it('takes an https DNS name, with or without a path prefix', () => {
    expect(algovoi('https://api1.ilovechicken.co.uk')).toBeInstanceOf(AlgoVoiClient);
    expect(algovoi('https://gateway.example.com/algovoi/')).toBeInstanceOf(AlgoVoiClient);
  });
});

describe('the loopback test transport', () => {
  it.each([
    'http://example.com',
    'https://evil.example:8080',
    'http://127.0.0.1@evil.example',
    'http://evil.example#@127.0.0.1',
    'http://127.0.0.1.nip.io',
    'http://10.0.0.1',
    'http://169.254.169.254',
    'http://127.0.0.1:1234/prefix',
    'file:///etc/passwd',
  ])('refuses %j', (baseUrl) => {
    expectRefused(() => unsafeLoopbackTransportForTests({ baseUrl }));
  });

  it('takes 127.0.0.1, localhost and [::1]', () => {
    for (const baseUrl of ['http://127.0.0.1:1', 'http://localhost:2', 'https://[::1]:3']) {
      expect(unsafeLoopbackTransportForTests({ baseUrl }).kind).toBe('loopback-test');
    }
  });

  it('refuses to be created or used with NODE_ENV=production', async () => {
    const transport = unsafeLoopbackTransportForTests({ baseUrl: server.url });
    const client = ecpay('https://developer.toutiao.com', transport);
    vi.stubEnv('NODE_ENV', 'production');
    try {
      expectRefused(() => unsafeLoopbackTransportForTests({ baseUrl: server.url }));
      await expect(client.queryOrder({ out_order_no: 'o1' })).rejects.toMatchObject({
        code: 'HOST_NOT_ALLOWED',
      });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(server.requests).toHaveLength(0);
  });

  it('cannot be forged: a look-alike object is refused', () => {
    const forged = { kind: 'loopback-test' } as Transport;
    expectRefused(() => ecpay('https://developer.toutiao.com', forged));
  });
});
