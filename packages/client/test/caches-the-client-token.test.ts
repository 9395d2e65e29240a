import { DouyinTradeClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CaptureServer,
  delay,
  json,
  type Responder,
  startCaptureServer,
} from './helpers/capture-server.js';

/** The stable endpoint is the default; the plain one an option (docs/PROTOCOLS.md §5.2). */
const STABLE = '/oauth/stable_client_token/';
const PLAIN = '/oauth/client_token/';
const TOKEN_PATHS = [STABLE, PLAIN];

let server: CaptureServer;
let issued = 0;
const routes =
  (tokenAnswer: Responder = tokenOk): Responder =>
  (req, res) =>
    TOKEN_PATHS.includes(req.url)
      ? tokenAnswer(req, res)
      : json(200, {
          err_no: 0,
          err_msg: '',
          data: { token: req.headers['access-token'], item_order_list: [], refund_list: [] },
        })(req, res);
const tokenOk: Responder = (req, res) => {
  issued++;
  return json(200, {
    data: { access_token: `clt.${issued}`, expires_in: 7200, error_code: 0 },
    message: 'success',
  })(req, res);
};

beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  issued = 0;
});

function client(now: () => number = Date.now, tokenEndpoint?: 'stable_client_token' | 'client_token') {
  return new DouyinTradeClient({
    appId: demoCredentials.douyin.appId,
    appSecret: 'secret',
    privateKey: demoCredentials.douyin.appPrivateKey,
    keyVersion: 1,
    transport: unsafeLoopbackTransportForTests({ baseUrl: server.url }),
    retry: { baseDelayMs: 1 },
    now,
    ...(tokenEndpoint ? { tokenEndpoint } : {}),
  });
}

const tokenRequests = () => server.requests.filter((r) => TOKEN_PATHS.includes(r.url)).length;

it('concurrent calls fetch the token once', async () => {
  server.respond(routes(delay(50, tokenOk)));
  const trade = client();
  const results = await Promise.all([
    trade.orderQuery({ out_order_no: 'a' }),
    trade.refundQuery({ out_refund_no: 'b' }),
    trade.orderQuery({ out_order_no: 'c' }),
    trade.orderQuery({ out_order_no: 'd' }),
  ]);
  expect(results.map((r) => r.token)).toEqual(['clt.1', 'clt.1', 'clt.1', 'clt.1']);
  expect(tokenRequests()).toBe(1);
});

it('reuses the token until shortly before expiry, then fetches a new one', async () => {
  server.respond(routes());
  let now = 1_700_000_000_000;
  const trade = client(() => now);
  await expect(trade.orderQuery({ out_order_no: 'a' })).resolves.toMatchObject({ token: 'clt.1' });
  now += (7200 - 301) * 1000;
  await expect(trade.orderQuery({ out_order_no: 'a' })).resolves.toMatchObject({ token: 'clt.1' });
  now += 2000; // inside the 300 s margin
  await expect(trade.orderQuery({ out_order_no: 'a' })).resolves.toMatchObject({ token: 'clt.2' });
  expect(tokenRequests()).toBe(2);
});

it('does not cache a failed fetch', async () => {
  server.respond(
    routes(json(200, { data: { error_code: 10004, description: 'bad secret' }, message: 'error' })),
  );
  const trade = client();
  await expect(trade.clientToken()).rejects.toMatchObject({ code: 'PLATFORM_ERROR', platformCode: 10004 });
  server.respond(routes());
  await expect(trade.clientToken()).resolves.toBe('clt.1');
});

it("one caller's abort ends its own wait, not the shared fetch", async () => {
  server.respond(routes(delay(100, tokenOk)));
  const trade = client();
  const controller = new AbortController();
  const aborted = trade.clientToken({ signal: controller.signal });
  const patient = trade.clientToken();
  controller.abort();
  await expect(aborted).rejects.toMatchObject({ code: 'ABORTED', path: STABLE });
  await expect(patient).resolves.toBe('clt.1');
  expect(tokenRequests()).toBe(1);
});

it('clearClientToken forces a new fetch', async () => {
  server.respond(routes());
  const trade = client();
  await trade.clientToken();
  trade.clearClientToken();
  await expect(trade.clientToken()).resolves.toBe('clt.2');
});

it('asks /oauth/stable_client_token/ by default, /oauth/client_token/ when told, with the same grant', async () => {
  server.respond(routes());
  await client().clientToken();
  await client(Date.now, 'client_token').clientToken();
  expect(server.requests.map((r) => r.url)).toEqual([STABLE, PLAIN]);
  for (const r of server.requests) {
    expect(JSON.parse(r.body)).toEqual({
      client_key: demoCredentials.douyin.appId,
      client_secret: 'secret',
      grant_type: 'client_credential',
    });
  }
  expect(
    () =>
      new DouyinTradeClient({
        appId: 'a',
        appSecret: 's',
        privateKey: demoCredentials.douyin.appPrivateKey,
        keyVersion: 1,
        tokenEndpoint: 'access_token' as never,
      }),
  ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
});

describe('10020: the token endpoint’s rate limit (500 calls in 5 minutes) is backed off', () => {
  const rateLimited = json(200, {
    data: { error_code: 10020, description: '请求太频繁' },
    message: 'error',
  });

  it('without a live token: the first 10020 is the error, and no new fetch goes out before the back-off ends (10 s, then doubling)', async () => {
    server.respond(routes(rateLimited));
    let now = 1_700_000_000_000;
    const trade = client(() => now);
    await expect(trade.clientToken()).rejects.toMatchObject({ code: 'PLATFORM_ERROR', platformCode: 10020 });
    expect(tokenRequests()).toBe(1);
    // Every caller during the back-off gets the same answer at once, without a request.
    await expect(trade.orderQuery({ out_order_no: 'a' })).rejects.toMatchObject({ platformCode: 10020 });
    now += 9_999;
    await expect(trade.clientToken()).rejects.toMatchObject({ platformCode: 10020 });
    expect(tokenRequests()).toBe(1);
    now += 1; // 10 s: one more try, refused again: now 20 s
    await expect(trade.clientToken()).rejects.toMatchObject({ platformCode: 10020 });
    expect(tokenRequests()).toBe(2);
    now += 19_999;
    await expect(trade.clientToken()).rejects.toMatchObject({ platformCode: 10020 });
    expect(tokenRequests()).toBe(2);
    now += 1;
    server.respond(routes());
    await expect(trade.clientToken()).resolves.toBe('clt.1');
    expect(tokenRequests()).toBe(3);
  });

  it('the back-off never exceeds the 5-minute window, and a success ends it', async () => {
    server.respond(routes(rateLimited));
    let now = 1_700_000_000_000;
    const trade = client(() => now);
    let waited = 0;
    for (let i = 0; i < 8; i++) {
      await trade.clientToken().catch(() => undefined);
      const sent = tokenRequests();
      let step = 0;
      while (tokenRequests() === sent) {
        now += 1000;
        step += 1000;
        await trade.clientToken().catch(() => undefined);
      }
      waited = step;
    }
    expect(waited).toBe(300_000);
  });

  it('with a token still alive (refreshing early), a 10020 keeps serving it and adds no calls', async () => {
    server.respond(routes());
    let now = 1_700_000_000_000;
    const trade = client(() => now);
    await expect(trade.clientToken()).resolves.toBe('clt.1');
    server.respond(routes(rateLimited));
    now += (7200 - 200) * 1000; // inside the refresh margin, before expiry
    await expect(trade.orderQuery({ out_order_no: 'a' })).resolves.toMatchObject({ token: 'clt.1' });
    await expect(trade.orderQuery({ out_order_no: 'b' })).resolves.toMatchObject({ token: 'clt.1' });
    expect(tokenRequests()).toBe(2); // the first grant and one refused refresh
  });
});
