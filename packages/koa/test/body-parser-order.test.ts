import { bodyParser as koaBodyParser6 } from '@koa/bodyparser';
import { signTikTokWebhook } from '@ttpay/core';
import { demoCredentials, signedEcpayCallback, tradeMsg } from '@ttpay/testing';
import Koa, { type Middleware } from 'koa';
import koaBodyParser4 from 'koa-bodyparser';
import getRawBody from 'raw-body';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { douyinCallbacks, tikTokWebhooks } from '../src/index.js';
import { captureLogger, DOUYIN_ACK, douyinFailure, jsonRequest, post, signedTradeBody } from './helpers.js';

const { douyin, tiktok } = demoCredentials;

/**
 * A trade callback whose bytes are NOT what JSON.stringify(JSON.parse(body)) gives back (indentation,
 * spaces, non-ASCII text): only the exact bytes verify.
 */
function prettyTradeCallback() {
  const msg = JSON.stringify(tradeMsg('payment', { out_order_no: 'order_pretty', message: '支付成功！' }));
  const body = `{\n  "msg" : ${JSON.stringify(msg)},\n  "type": "payment",\n  "version": "3.0"\n}\n`;
  expect(JSON.stringify(JSON.parse(body))).not.toBe(body);
  return signedTradeBody(body);
}

function prettyTikTokWebhook() {
  const body =
    '{ "type": 1, "tts_notification_id": "7300000000000000001", "shop_id": "1", "data": { "order_id": "576", "order_status": "已发货" } }';
  return jsonRequest(body, { authorization: signTikTokWebhook(body, tiktok) });
}

const parsers: [string, () => Middleware][] = [
  ['koa-bodyparser 4', () => koaBodyParser4()],
  ['@koa/bodyparser 6', () => koaBodyParser6()],
];

describe.each(parsers)('%s', (_name, makeParser) => {
  function appWith(order: 'ttpay first' | 'parser first') {
    const seen: { key: string; body: unknown; sameRawText: boolean }[] = [];
    const ttpay = douyinCallbacks({
      path: '/douyin/notify',
      token: douyin.token,
      platformPublicKey: douyin.platformPublicKey,
      logger: captureLogger(),
      onEvent: (event, ctx) => {
        const fields = ctx.request as { body?: unknown; rawBody?: unknown };
        seen.push({
          key: event.key,
          body: fields.body,
          sameRawText: fields.rawBody === ctx.payment.rawBody.toString('utf8'),
        });
      },
    });
    const app = new Koa();
    if (order === 'ttpay first') app.use(ttpay).use(makeParser());
    else app.use(makeParser()).use(ttpay);
    // Another route of the app, which relies on the body parser.
    app.use((ctx) => {
      ctx.body = { echo: (ctx.request as { body?: unknown }).body ?? null };
    });
    return { app, seen };
  }

  it.each(['ttpay first', 'parser first'] as const)(
    '%s: verifies the exact bytes, leaves ctx.request.body parsed',
    async (order) => {
      const { app, seen } = appWith(order);
      const trade = prettyTradeCallback();
      await post(app, '/douyin/notify', trade).expect(200, DOUYIN_ACK);
      const ecpay = signedEcpayCallback({ type: 'refund', msg: { message: '退款成功' } });
      await post(app, '/douyin/notify', ecpay).expect(200, DOUYIN_ACK);

      expect(seen.map((s) => s.key)).toEqual([
        'douyin:trade:payment:order_pretty:SUCCESS',
        expect.stringMatching(/^douyin:ecpay:refund:refund_/),
      ]);
      expect(seen[0]?.body).toEqual(JSON.parse(trade.body.toString('utf8')));
      expect(seen[1]?.body).toEqual(JSON.parse(ecpay.rawBody));
      expect(seen.every((s) => s.sameRawText)).toBe(true);
    },
  );

  it.each(['ttpay first', 'parser first'] as const)(
    '%s: the app’s other routes still get their parsed body',
    async (order) => {
      const { app } = appWith(order);
      const res = await request(app.callback()).post('/orders').send({ sku: 'A1', qty: 2 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ echo: { sku: 'A1', qty: 2 } });
    },
  );

  it('a parser mounted after ttpay skips the body ttpay read (ctx.request.body is already set)', async () => {
    const parser = makeParser();
    let bodyBefore: unknown;
    let bodyAfter: unknown;
    const app = new Koa().use(
      tikTokWebhooks({
        appKey: tiktok.appKey,
        appSecret: tiktok.appSecret,
        logger: captureLogger(),
        onEvent: async (_event, ctx) => {
          const fields = ctx.request as { body?: unknown };
          bodyBefore = fields.body;
          // Were the parser to read the spent stream, this would hang or throw.
          await parser(ctx, async () => {});
          bodyAfter = fields.body;
        },
      }),
    );
    await post(app, '/', prettyTikTokWebhook()).expect(200, '');
    expect(bodyBefore).toMatchObject({ type: 1, data: { order_status: '已发货' } });
    expect(bodyAfter).toBe(bodyBefore);
  });

  it('parser first: a TikTok webhook with non-ASCII text still verifies from ctx.request.rawBody', async () => {
    const app = new Koa().use(makeParser()).use(
      tikTokWebhooks({
        appKey: tiktok.appKey,
        appSecret: tiktok.appSecret,
        logger: captureLogger(),
        onEvent() {},
      }),
    );
    await post(app, '/', prettyTikTokWebhook()).expect(200, '');
  });
});

describe('when the bytes are gone', () => {
  it('a parser that keeps no raw copy → 500 RAW_BODY_UNAVAILABLE and an error naming the fix; never a re-serialisation', async () => {
    const logger = captureLogger();
    let ran = 0;
    const app = new Koa()
      .use(async (ctx, next) => {
        // What a parser without a raw-body option does: consume the stream, keep only the object.
        (ctx.request as { body?: unknown }).body = JSON.parse(await getRawBody(ctx.req, 'utf8'));
        await next();
      })
      .use(
        douyinCallbacks({
          token: douyin.token,
          logger,
          onEvent: () => {
            ran++;
          },
        }),
      );
    await post(app, '/', signedEcpayCallback({ type: 'payment' })).expect(
      500,
      douyinFailure(500, 'RAW_BODY_UNAVAILABLE'),
    );
    expect(ran).toBe(0);
    const error = logger.records.find((r) => r.level === 'error');
    expect(error?.obj).toMatchObject({ platform: 'douyin', code: 'RAW_BODY_UNAVAILABLE', status: 500 });
    expect(error?.msg).toMatch(/Mount the ttpay middleware before your body parser/);
    expect(error?.msg).toMatch(/ctx\.request\.rawBody/);
  });
});
