import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { AlgoVoiClient, DouyinEcpayClient, DouyinTradeClient, TikTokShopClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import {
  buildByteAuthorization,
  signEcpayRequest,
  signTikTokRequest,
  signTikTokWebhook,
  signTradeRequest,
  toPrivateKey,
  toPublicKey,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '@ttpay/core';
import type { IdempotencyStore } from '@ttpay/core/store';
import { algoVoiWebhooks, douyinCallbacks, MemoryStore, tikTokWebhooks } from '@ttpay/koa';
import { type Simulator, startSimulator } from '@ttpay/simulator';
import { RedisStore } from '@ttpay/store-redis';
import {
  bodyOnlySignedTikTokWebhook,
  DEMO_DOUYIN_APP_SECRET,
  demoCredentials as demo,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  withBadSignature,
} from '@ttpay/testing';
import Koa from 'koa';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type KnownSecret, knownSecrets } from './known-secrets.js';
import { OUTPUT_DIR_KEY } from './output-dir.js';

// Every error path of core, koa, client and store-redis, driven with the secrets configured: no
// secret in any error's message, String(), JSON.stringify() or util.inspect() (causes included), in
// any record of a pino logger, in any reply, or in anything this worker printed meanwhile.

const REDIS_PASSWORD = 'redis-5ecret-password-for-this-test';
const SECRETS: KnownSecret[] = [...knownSecrets(), { name: 'the Redis password', value: REDIS_PASSWORD }];
const { douyin, tiktok, algovoi } = demo;

/** The names of the secrets found in `text` (never their values: a failing assertion prints this). */
function leaked(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s.value)).map((s) => s.name);
}

const errors: { where: string; error: unknown }[] = [];
/** A pino logger writing JSON lines to memory, at every level. */
const logLines: string[] = [];
const logger = pino(
  { level: 'trace' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);
const replies: string[] = [];

/** Runs `fn`, keeps what it throws (or rejects with); fails if it does not throw. */
async function failure(where: string, fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (error) {
    errors.push({ where, error });
    return;
  }
  throw new Error(`${where}: expected a failure`);
}

function renderings(error: unknown): string[] {
  return [
    error instanceof Error ? error.message : '',
    String(error),
    JSON.stringify(error) ?? '',
    inspect(error, { depth: 10, showHidden: true }),
  ];
}

/** A private key with one line of its body changed: unparseable, and full of key material. */
const brokenPrivateKey = douyin.appPrivateKey.replace(/\n([A-Za-z0-9+/]{64})\n/, '\n$1x\n');

describe('@ttpay/core', () => {
  it('verifiers and signers fail without echoing tokens, secrets or keys', async () => {
    const ecpay = signedEcpayCallback({ type: 'payment' });
    const trade = signedTradeCallback({ type: 'payment' });
    const tt = signedTikTokWebhook();
    const av = signedAlgoVoiWebhook();
    const token = { token: douyin.token };
    await failure('ecpay bad signature', () =>
      verifyEcpayCallback({ rawBody: withBadSignature(ecpay).body }, token),
    );
    await failure('ecpay other token', () =>
      verifyEcpayCallback({ rawBody: ecpay.body }, { token: `${douyin.token}x` }),
    );
    await failure('ecpay parsed body', () =>
      verifyEcpayCallback({ rawBody: JSON.parse(ecpay.rawBody) as string }, token),
    );
    await failure('ecpay not JSON', () => verifyEcpayCallback({ rawBody: `${douyin.token}{` }, token));
    await failure('ecpay invalid UTF-8', () =>
      verifyEcpayCallback({ rawBody: Buffer.from([0x7b, 0xff, 0x7d]) }, token),
    );
    await failure('ecpay too old', () =>
      verifyEcpayCallback(
        { rawBody: ecpay.body },
        { ...token, maxAgeSeconds: 1, now: () => Date.now() + 3_600_000 },
      ),
    );
    await failure('ecpay empty token', () => verifyEcpayCallback({ rawBody: ecpay.body }, { token: '' }));
    const platformKey = toPublicKey(douyin.platformPublicKey);
    await failure('trade wrong key', () =>
      verifyTradeCallback(
        { headers: trade.headers, rawBody: trade.body },
        { publicKey: toPublicKey(douyin.appPublicKey) },
      ),
    );
    await failure('trade stale', () =>
      verifyTradeCallback(
        { headers: trade.headers, rawBody: trade.body },
        { publicKey: platformKey, now: () => Date.now() + 74 * 3_600_000 }, // past the 73 h default window
      ),
    );
    await failure('trade secret as key', () =>
      verifyTradeCallback({ headers: trade.headers, rawBody: trade.body }, { publicKey: douyin.salt }),
    );
    await failure('broken private key', () => toPrivateKey(brokenPrivateKey));
    await failure('secret as private key', () => toPrivateKey(tiktok.appSecret));
    await failure('broken private key as public', () => toPublicKey(brokenPrivateKey));
    await failure('sign with broken key', () =>
      signTradeRequest({ method: 'POST', uri: '/x', timestamp: 1, nonce: 'n' }, brokenPrivateKey),
    );
    await failure('byte-authorization bad args', () =>
      buildByteAuthorization(
        { method: 'POST', uri: 'no-slash', timestamp: 1, nonce: 'n', appId: douyin.appId, keyVersion: 1 },
        douyin.appPrivateKey,
      ),
    );
    await failure('ecpay request Infinity', () =>
      signEcpayRequest({ total_amount: Number.POSITIVE_INFINITY }, douyin.salt),
    );
    await failure('ecpay request no salt', () => signEcpayRequest({ a: douyin.salt }, ''));
    await failure('tiktok request bad path', () =>
      signTikTokRequest({ path: 'x', query: {} }, tiktok.appSecret),
    );
    await failure('tiktok bad signature', () =>
      verifyTikTokWebhook(
        { rawBody: tt.body, headers: { authorization: withBadSignature(tt).headers.authorization } },
        tiktok,
      ),
    );
    const bodyOnly = bodyOnlySignedTikTokWebhook({});
    await failure('tiktok body-only HMAC', () =>
      verifyTikTokWebhook(
        { rawBody: bodyOnly.body, headers: { authorization: bodyOnly.headers.authorization } },
        tiktok,
      ),
    );
    const noId = '{"type":1}';
    await failure('tiktok missing field', () =>
      verifyTikTokWebhook(
        { rawBody: noId, headers: { authorization: signTikTokWebhook(noId, tiktok) } },
        tiktok,
      ),
    );
    await failure('tiktok empty secret', () =>
      verifyTikTokWebhook(
        { rawBody: tt.body, headers: { authorization: 'x' } },
        { ...tiktok, appSecret: '' },
      ),
    );
    await failure('algovoi bad signature', () =>
      verifyAlgoVoiWebhook(
        { rawBody: av.body, headers: withBadSignature(av).headers },
        { secret: algovoi.webhookSecret },
      ),
    );
    await failure('algovoi no signature', () =>
      verifyAlgoVoiWebhook({ rawBody: av.body, headers: {} }, { secret: algovoi.webhookSecret }),
    );
    await failure('algovoi stale signature', () =>
      verifyAlgoVoiWebhook(
        { rawBody: av.body, headers: av.headers },
        { secret: algovoi.webhookSecret, now: () => Date.now() + 3_600_000 },
      ),
    );
  });
});

describe('@ttpay/koa', () => {
  it('refused, failed and misconfigured deliveries: no secret in replies, hooks’ errors or pino records', async () => {
    const hook = {
      onRejected: (error: unknown) => {
        errors.push({ where: 'koa onRejected', error });
      },
      onError: (error: unknown) => {
        errors.push({ where: 'koa onError', error });
      },
    };
    let claims = 0;
    const flakyStore: IdempotencyStore = {
      claim: (key, ttl) => {
        claims++;
        if (claims % 3 === 0) throw new Error('store down');
        if (claims % 3 === 1) return new Promise(() => {});
        return new MemoryStore().claim(key, ttl);
      },
      complete: () => {},
      release: () => {},
    };
    const app = new Koa();
    app.silent = true;
    const common = { logger, handlerTimeoutMs: 30, ...hook };
    app.use(
      douyinCallbacks({
        ...common,
        path: '/douyin',
        token: douyin.token,
        platformPublicKey: douyin.platformPublicKey,
        onRefund: () => {},
        onPayment: () => {
          throw new Error('the shop database is down');
        },
      }),
    );
    app.use(douyinCallbacks({ ...common, path: '/ecpay-only', token: douyin.token, onEvent: () => {} }));
    app.use(
      douyinCallbacks({
        ...common,
        path: '/trade-only',
        platformPublicKey: douyin.platformPublicKey,
        onEvent: () => {},
      }),
    );
    app.use(tikTokWebhooks({ ...common, path: '/tiktok', ...tiktok, store: flakyStore, onEvent: () => {} }));
    app.use(
      algoVoiWebhooks({
        ...common,
        path: '/algovoi',
        secret: algovoi.webhookSecret,
        onVerified: () => {
          throw new Error('audit log unavailable');
        },
        onEvent: () => {},
      }),
    );
    // A body parser that keeps no raw copy, in front of the middleware: RAW_BODY_UNAVAILABLE.
    app.use(async (ctx, next) => {
      for await (const _chunk of ctx.req) {
        // consumed and dropped
      }
      await next();
    });
    app.use(tikTokWebhooks({ ...common, path: '/after-parser', ...tiktok, onEvent: () => {} }));
    const send = async (
      path: string,
      d: { body: Buffer; headers: Record<string, string | string[]> },
      method: 'post' | 'put' = 'post',
    ) => {
      const res = await request(app.callback())
        [method](path)
        .set(d.headers)
        .serialize((b) => b)
        .send(d.body);
      replies.push(`${res.status} ${JSON.stringify(res.headers)} ${res.text}`);
      return res.status;
    };
    const ecpay = signedEcpayCallback({ type: 'payment' });
    const tt = signedTikTokWebhook();
    const statuses = [
      await send('/douyin', withBadSignature(ecpay)),
      await send('/douyin', ecpay), // handler throws
      await send('/douyin', signedEcpayCallback({ type: 'settle' })), // no handler
      await send('/douyin', signedTradeCallback({ type: 'refund', timestamp: 1 })), // stale
      await send('/douyin', { ...ecpay, headers: { ...ecpay.headers, 'content-type': 'text/plain' } }),
      await send('/douyin', ecpay, 'put'),
      await send('/ecpay-only', signedTradeCallback({ type: 'payment' })),
      await send('/trade-only', ecpay),
      await send('/tiktok', tt), // claim hangs
      await send('/tiktok', signedTikTokWebhook()), // claimed
      await send('/tiktok', signedTikTokWebhook()), // claim throws
      await send('/tiktok', {
        ...tt,
        headers: { ...tt.headers, authorization: [String(tt.headers.authorization), 'x'] },
      }),
      await send('/tiktok', { ...tt, body: Buffer.concat([tt.body, Buffer.alloc(2 * 1024 * 1024)]) }),
      await send('/tiktok', bodyOnlySignedTikTokWebhook({})),
      await send('/algovoi', signedAlgoVoiWebhook()), // onVerified throws
      await send('/algovoi', withBadSignature(signedAlgoVoiWebhook())),
      await send('/after-parser', tt),
    ];
    expect(statuses.filter((s) => s >= 400).length).toBeGreaterThanOrEqual(15);

    // Configuration errors at start-up, with the secrets passed in the wrong places.
    await failure('koa: secret as the public key', () =>
      douyinCallbacks({ platformPublicKey: douyin.salt, onEvent: () => {} }),
    );
    await failure('koa: broken private key as the public key', () =>
      douyinCallbacks({ platformPublicKey: brokenPrivateKey, onEvent: () => {} }),
    );
    await failure('koa: no app key', () =>
      tikTokWebhooks({ appKey: '', appSecret: tiktok.appSecret, onEvent: () => {} }),
    );
    await failure('koa: no handler', () => algoVoiWebhooks({ secret: algovoi.webhookSecret } as never));
  });
});

describe('@ttpay/client', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('every client error kind, with real and wrong secrets configured', async () => {
    const transport = unsafeLoopbackTransportForTests({ baseUrl: sim.url });
    const http = { transport, logger, timeoutMs: 80, retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 2 } };
    const ecpay = new DouyinEcpayClient({ appId: douyin.appId, salt: douyin.salt, ...http });
    const wrongSalt = new DouyinEcpayClient({ appId: douyin.appId, salt: `${douyin.salt}-old`, ...http });
    const trade = new DouyinTradeClient({
      appId: douyin.appId,
      appSecret: `${DEMO_DOUYIN_APP_SECRET}-old`,
      privateKey: douyin.appPrivateKey,
      keyVersion: douyin.keyVersion,
      ...http,
    });
    const tiktokClient = new TikTokShopClient({ ...tiktok, ...http });
    const wrongTikTok = new TikTokShopClient({ ...tiktok, appSecret: `${tiktok.appSecret}-old`, ...http });
    const algovoiClient = new AlgoVoiClient({ apiBase: 'https://pay.example.com', ...algovoi, ...http });
    const wrongKey = new AlgoVoiClient({
      apiBase: 'https://pay.example.com',
      ...algovoi,
      apiKey: `${algovoi.apiKey}-old`,
      ...http,
    });
    const nowhere = new DouyinEcpayClient({
      appId: douyin.appId,
      salt: douyin.salt,
      ...http,
      transport: unsafeLoopbackTransportForTests({ baseUrl: 'http://127.0.0.1:1' }),
    });
    const order = {
      out_order_no: `sec_${Date.now()}`,
      total_amount: 1,
      subject: 's',
      body: 'b',
      valid_time: 300,
    };

    await failure('client: wrong salt', () => wrongSalt.createOrder(order));
    await failure('client: wrong app secret for the client token', () =>
      trade.orderQuery({ out_order_no: 'o' }),
    );
    await failure('client: wrong TikTok secret', () => wrongTikTok.getOrders(['1']));
    await failure('client: token grant refused', () => wrongTikTok.getAccessToken(tiktok.refreshToken));
    await failure('client: refresh refused', () => wrongTikTok.refreshAccessToken(tiktok.refreshToken));
    await failure('client: wrong API key', () => wrongKey.verifyPayment('tok'));
    sim.fault({ platform: 'douyin', status: 503, times: 2 });
    await failure('client: 5xx', () => ecpay.queryOrder({ out_order_no: 'o' }));
    sim.fault({ platform: 'tiktok', garbage: true });
    await failure('client: garbage', () => tiktokClient.getOrders(['1']));
    sim.fault({ platform: 'algovoi', delayMs: 300, times: 2 });
    await failure('client: timeout', () => algovoiClient.verifyPayment('tok'));
    sim.clearFaults();
    const abort = new AbortController();
    abort.abort();
    await failure('client: aborted', () => ecpay.queryOrder({ out_order_no: 'o' }, { signal: abort.signal }));
    await failure('client: connection refused', () => nowhere.queryOrder({ out_order_no: 'o' }));
    await failure('client: bad field', () => ecpay.createOrder({ ...order, total_amount: -1 }));

    // Configuration errors, with secrets where a URL or key should be.
    const base = { apiKey: algovoi.apiKey, tenantId: algovoi.tenantId };
    await failure(
      'client: credentials in the base URL',
      () => new AlgoVoiClient({ ...base, apiBase: `https://u:${algovoi.apiKey}@pay.example.com` }),
    );
    await failure(
      'client: secret in the query',
      () => new AlgoVoiClient({ ...base, apiBase: `https://pay.example.com/?k=${algovoi.apiKey}` }),
    );
    await failure(
      'client: secret instead of a URL',
      () => new AlgoVoiClient({ ...base, apiBase: algovoi.apiKey }),
    );
    await failure(
      'client: off the allow-list',
      () =>
        new DouyinEcpayClient({
          appId: douyin.appId,
          salt: douyin.salt,
          baseUrl: 'https://developer.toutiao.com@evil.example',
        }),
    );
    await failure(
      'client: broken private key',
      () =>
        new DouyinTradeClient({
          appId: douyin.appId,
          appSecret: DEMO_DOUYIN_APP_SECRET,
          privateKey: brokenPrivateKey,
          keyVersion: '1',
        }),
    );

    for (const client of [ecpay, trade, tiktokClient, algovoiClient]) {
      expect(leaked(inspect(client, { depth: 10, showHidden: true })), 'inspect(client)').toEqual([]);
      expect(leaked(JSON.stringify(client) ?? ''), 'JSON.stringify(client)').toEqual([]);
    }
  });
});

describe('@ttpay/store-redis', () => {
  it('unreachable, refusing and closed Redis: the password stays out', async () => {
    const stores = [
      new RedisStore({ url: `redis://:${REDIS_PASSWORD}@127.0.0.1:1`, commandTimeout: 300, logger }),
      new RedisStore({
        redisOptions: { host: '127.0.0.1', port: 1, password: REDIS_PASSWORD },
        commandTimeout: 300,
        logger,
      }),
      // The shared Redis has no password: AUTH with one is refused (or warned about).
      new RedisStore({
        url: `redis://default:${REDIS_PASSWORD}@127.0.0.1:6379`,
        prefix: `ttpay-test:secrets:${Date.now()}:`,
        commandTimeout: 500,
        logger,
      }),
    ];
    for (const [i, store] of stores.entries()) {
      await store.claim(`k${i}`, 1_000).then(
        (answer) => errors.push({ where: `redis ${i} answered`, error: new Error(answer.status) }),
        (error: unknown) => errors.push({ where: `redis ${i} claim`, error }),
      );
      await store.close();
      await failure(`redis ${i} after close`, () => store.claim('k', 1_000));
    }
    await failure('redis: empty url', () => new RedisStore({ url: '' }));
    const unused = new RedisStore({ url: `redis://:${REDIS_PASSWORD}@127.0.0.1:1`, commandTimeout: 300 });
    await failure('redis: bad ttl', () => unused.claim('k', Number.NaN));
    await unused.close();
    expect(
      errors.filter((e) => e.where.startsWith('redis') && e.where.endsWith('claim')).length,
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('nothing leaked', () => {
  it('in any error rendering, log record, reply, or in what this worker printed', () => {
    expect(errors.length).toBeGreaterThan(50);
    for (const { where, error } of errors) {
      for (const text of renderings(error)) expect(leaked(text), where).toEqual([]);
    }
    expect(logLines.length).toBeGreaterThan(20);
    expect(leaked(logLines.join('\n')), 'pino records').toEqual([]);
    expect(leaked(replies.join('\n')), 'replies').toEqual([]);
    const dir = inject(OUTPUT_DIR_KEY);
    if (dir)
      expect(leaked(readFileSync(join(dir, `worker-${process.pid}.log`), 'utf8')), 'worker output').toEqual(
        [],
      );
  });
});
