import {
  AlgoVoiClient,
  DouyinEcpayClient,
  DouyinTradeClient,
  TikTokShopClient,
  TtpayClientError,
} from '@ttpay/client';
import { type Transport, unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allowListedOrigin, ECPAY_ORIGINS, userConfiguredBase } from '../src/http/allow-list.js';
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
    'https://developer.toutiao.com..',
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

  it('compares the host in lower case and without the trailing dot, and answers the canonical origin', () => {
    for (const url of [
      'https://developer.toutiao.com.',
      'https://DEVELOPER.Toutiao.com',
      'https://developer.toutiao.com:443/',
    ]) {
      expect(allowListedOrigin(url, ECPAY_ORIGINS, 'baseUrl')).toBe('https://developer.toutiao.com');
    }
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
    'https://localhost.',
    'https://LOCALHOST',
    'https://metadata.localhost',
    'https://foo.localhost.',
    'https://127.0.0.1.',
    'https://metadata.google.internal',
    'https://metadata.google.internal.',
    'https://printer.local',
    'https://router.home.arpa',
    'https://1.0.0.127.in-addr.arpa',
    'https://nas.lan',
    'https://intranet',
    'https://intranet.',
    'https://pay..algovoi.example',
    'https://pay.algovoi.example..',
    'https://pay.algovoi.example:8443',
    'https://pay.algovoi.example:80',
    'https://user:pw@pay.algovoi.example',
    'https://pay.algovoi.example/?next=https://evil.example',
    'not a url',
  ])('refuses %j', (url) => {
    expectRefused(() => algovoi(url));
  });

  it('takes an https DNS name, with or without a path prefix', () => {
    expect(algovoi('https://api1.ilovechicken.co.uk')).toBeInstanceOf(AlgoVoiClient);
    expect(algovoi('https://gateway.example.com/algovoi/')).toBeInstanceOf(AlgoVoiClient);
    // A name that resolves to loopback is checked when connecting (refuses-non-public-addresses-at-connect-time).
    expect(algovoi('https://127.0.0.1.nip.io')).toBeInstanceOf(AlgoVoiClient);
  });

  it('normalises the host (case, trailing dot) and keeps port 443 implicit', () => {
    expect(userConfiguredBase('https://Pay.AlgoVoi.Example./v2/', 'apiBase')).toEqual({
      origin: 'https://pay.algovoi.example',
      pathPrefix: '/v2',
    });
    expect(userConfiguredBase('https://pay.algovoi.example:443', 'apiBase').origin).toBe(
      'https://pay.algovoi.example',
    );
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
