import { Writable } from 'node:stream';
import {
  demoCredentials,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  withBadSignature,
} from '@ttpay/testing';
import Koa from 'koa';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '../src/index.js';
import { captureLogger, DOUYIN_ACK, post } from './helpers.js';

const { douyin, tiktok, algovoi } = demoCredentials;

describe('logging', () => {
  it('a pino logger gets structured records with no secret, signature or body in them', async () => {
    let output = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    let fail = true;
    const app = new Koa()
      .use(
        douyinCallbacks({
          path: '/douyin',
          token: douyin.token,
          platformPublicKey: douyin.platformPublicKey,
          logger,
          onPayment: () => {
            if (fail) {
              fail = false;
              throw new Error('first attempt fails');
            }
          },
        }),
      )
      .use(
        tikTokWebhooks({
          path: '/tiktok',
          appKey: tiktok.appKey,
          appSecret: tiktok.appSecret,
          logger,
          onEvent() {},
        }),
      )
      .use(algoVoiWebhooks({ path: '/algovoi', secret: algovoi.webhookSecret, logger, onEvent() {} }));

    const marker = 'BODY-MARKER-7f3a';
    const ecpay = signedEcpayCallback({ type: 'payment', msg: { cp_extra: marker } });
    const trade = signedTradeCallback({ type: 'refund', msg: { cp_extra: marker } });
    const tt = signedTikTokWebhook({ data: { order_id: '1', order_status: marker } });
    const av = signedAlgoVoiWebhook({ data: { note: marker } });
    await post(app, '/douyin', ecpay).expect(500);
    await post(app, '/douyin', ecpay).expect(200);
    await post(app, '/douyin', ecpay).expect(200); // duplicate
    await post(app, '/douyin', withBadSignature(ecpay)).expect(400);
    await post(app, '/douyin', trade).expect(501); // no onRefund, no onEvent
    await post(app, '/tiktok', tt).expect(200);
    await post(app, '/tiktok', withBadSignature(tt)).expect(401);
    await post(app, '/algovoi', av).expect(200);
    await post(app, '/algovoi', withBadSignature(av)).expect(401);

    const records = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBeGreaterThanOrEqual(9);
    expect(records.find((r) => r.code === 'HANDLER_FAILED')).toMatchObject({
      level: 50,
      platform: 'douyin',
      type: 'ecpay.payment',
      key: expect.stringMatching(/^douyin:ecpay:payment:order_/),
      err: { message: 'first attempt fails' },
    });
    expect(records.find((r) => r.code === 'SIGNATURE_MISMATCH' && r.platform === 'tiktok')).toMatchObject({
      level: 40,
      status: 401,
    });
    expect(records.find((r) => r.code === 'UNHANDLED_EVENT')).toMatchObject({
      level: 40,
      type: 'trade.refund',
    });

    const secrets = [
      douyin.token,
      tiktok.appSecret,
      algovoi.webhookSecret,
      marker,
      String(JSON.parse(ecpay.rawBody).msg_signature),
      trade.headers['byte-signature'],
      tt.headers.authorization,
      av.headers['x-algovoi-signature'],
    ];
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});

describe('lifecycle hooks', () => {
  it('onVerified sees every verified delivery with its raw bytes; onDuplicate says which kind; onRejected gets the code', async () => {
    const log: string[] = [];
    let rawSeen: Buffer | undefined;
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        logger: captureLogger(),
        onVerified: (event, ctx) => {
          rawSeen = ctx.payment.rawBody;
          log.push(`verified ${event.type}`);
        },
        onDuplicate: (event, _ctx, state) => {
          log.push(`duplicate ${event.type} ${state}`);
        },
        onRejected: (error, ctx) => {
          log.push(`rejected ${error.code} ${ctx.status}`);
        },
        onPayment: () => {
          log.push('handled');
        },
      }),
    );
    const d = signedEcpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    await post(app, '/', withBadSignature(d)).expect(400);
    expect(log).toEqual([
      'verified payment',
      'handled',
      'verified payment',
      'duplicate payment done',
      'rejected SIGNATURE_MISMATCH 400',
    ]);
    expect(rawSeen?.equals(d.body)).toBe(true);
  });

  it('onRejected can keep the raw bytes of a refused delivery (ctx.payment.rawBody)', async () => {
    const kept: (Buffer | undefined)[] = [];
    const app = new Koa().use(
      tikTokWebhooks({
        appKey: tiktok.appKey,
        appSecret: tiktok.appSecret,
        logger: captureLogger(),
        onRejected: (_error, ctx) => {
          kept.push(ctx.payment.rawBody);
        },
        onEvent() {},
      }),
    );
    const bad = withBadSignature(signedTikTokWebhook());
    await post(app, '/', bad).expect(401);
    await request(app.callback()).get('/').expect(405);
    expect(kept[0]?.equals(bad.body)).toBe(true);
    expect(kept[1]).toBeUndefined();
  });

  it('an observer hook that throws is logged and changes no reply', async () => {
    const logger = captureLogger();
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        logger,
        onDuplicate: () => {
          throw new Error('metrics down');
        },
        onRejected: () => {
          throw new Error('metrics down');
        },
        onPayment: () => {},
      }),
    );
    const d = signedEcpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    await post(app, '/', withBadSignature(d)).expect(400);
    expect(logger.records.filter((r) => r.level === 'error').map((r) => r.obj.hook)).toEqual([
      'onDuplicate',
      'onRejected',
    ]);
  });
});
