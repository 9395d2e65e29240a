import { DouyinTradeClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  type CaptureServer,
  delay,
  json,
  type Responder,
  startCaptureServer,
} from './helpers/capture-server.js';

let server: CaptureServer;
let issued = 0;
const routes =
  (tokenAnswer: Responder = tokenOk): Responder =>
  (req, res) =>
    req.url === '/oauth/client_token/'
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

function client(now: () => number = Date.now) {
  return new DouyinTradeClient({
    appId: demoCredentials.douyin.appId,
    appSecret: 'secret',
    privateKey: demoCredentials.douyin.appPrivateKey,
    keyVersion: 1,
    transport: unsafeLoopbackTransportForTests({ baseUrl: server.url }),
    retry: { baseDelayMs: 1 },
    now,
  });
}

const tokenRequests = () => server.requests.filter((r) => r.url === '/oauth/client_token/').length;

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
  await expect(aborted).rejects.toMatchObject({ code: 'ABORTED', path: '/oauth/client_token/' });
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
