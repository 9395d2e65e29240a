import Router from '@koa/router';
import type { DouyinEvent, TikTokEvent } from '@ttpay/core';
import {
  demoCredentials,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  withBadSignature,
} from '@ttpay/testing';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '../src/index.js';
import { captureLogger, DOUYIN_ACK, post } from './helpers.js';

const { douyin, tiktok, algovoi } = demoCredentials;

describe('douyinCallbacks: one endpoint, both systems', () => {
  const calls: string[] = [];
  const app = new Koa();
  app.use(
    douyinCallbacks({
      path: '/douyin/notify',
      token: douyin.token,
      platformPublicKey: douyin.platformPublicKey,
      logger: captureLogger(),
      onPayment: (event) => {
        calls.push(`payment:${event.system}:${event.key}`);
      },
      onRefund: (event) => {
        calls.push(`refund:${event.system}:${event.key}`);
      },
      onSettle: (event) => {
        calls.push(`settle:${event.system}:${event.key}`);
      },
      onEvent: (event) => {
        calls.push(`event:${event.system}:${event.type}`);
      },
    }),
  );

  it.each([
    ['ecpay', 'payment'],
    ['ecpay', 'refund'],
    ['ecpay', 'settle'],
    ['trade', 'payment'],
    ['trade', 'refund'],
    ['trade', 'settle'],
  ] as const)(
    '%s %s → 200 {"err_no":0,"err_tips":"success"} after its own handler ran',
    async (system, type) => {
      calls.length = 0;
      const d = system === 'ecpay' ? signedEcpayCallback({ type }) : signedTradeCallback({ type });
      const res = await post(app, '/douyin/notify', d);
      expect(res.status).toBe(200);
      expect(res.text).toBe(DOUYIN_ACK);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatch(new RegExp(`^${type}:${system}:douyin:${system}:${type}:`));
    },
  );

  it('a callback type ttpay does not model (withdraw) goes to onEvent', async () => {
    calls.length = 0;
    const res = await post(app, '/douyin/notify', signedEcpayCallback({ type: 'withdraw' }));
    expect(res.status).toBe(200);
    expect(res.text).toBe(DOUYIN_ACK);
    expect(calls).toEqual(['event:ecpay:other']);
  });

  it('passes requests to other paths on untouched', async () => {
    const res = await request(app.callback()).get('/elsewhere');
    expect(res.status).toBe(404);
  });
});

describe('timestamps', () => {
  const dayAgo = String(Math.floor(Date.now() / 1000) - 86_400);

  it('ecpay callbacks are not rejected by age by default: retries may carry the first timestamp for a day', async () => {
    const app = new Koa().use(
      douyinCallbacks({ token: douyin.token, logger: captureLogger(), onEvent() {} }),
    );
    await post(app, '/', signedEcpayCallback({ type: 'payment', timestamp: dayAgo })).expect(200, DOUYIN_ACK);
  });

  it('maxAgeSeconds opts in to an age limit for ecpay', async () => {
    const app = new Koa().use(
      douyinCallbacks({ token: douyin.token, maxAgeSeconds: 3600, logger: captureLogger(), onEvent() {} }),
    );
    await post(app, '/', signedEcpayCallback({ type: 'payment', timestamp: dayAgo })).expect(
      400,
      '{"err_no":400,"err_tips":"TIMESTAMP_OUT_OF_RANGE"}',
    );
    await post(app, '/', signedEcpayCallback({ type: 'payment' })).expect(200, DOUYIN_ACK);
  });

  it('toleranceSeconds and now set the trade-system window', async () => {
    const inAnHour = Date.now() + 3_600_000;
    const app = new Koa().use(
      douyinCallbacks({
        platformPublicKey: douyin.platformPublicKey,
        toleranceSeconds: 60,
        now: () => inAnHour,
        logger: captureLogger(),
        onEvent() {},
      }),
    );
    await post(app, '/', signedTradeCallback({ type: 'payment' })).expect(
      400,
      '{"err_no":400,"err_tips":"TIMESTAMP_OUT_OF_RANGE"}',
    );
    const fresh = signedTradeCallback({ type: 'payment', timestamp: Math.floor(inAnHour / 1000) - 30 });
    await post(app, '/', fresh).expect(200, DOUYIN_ACK);
  });
});

describe('onEvent alone takes every event as a discriminated union', () => {
  it('narrows on system and type', async () => {
    const seen: DouyinEvent[] = [];
    const app = new Koa();
    app.use(
      douyinCallbacks({
        token: douyin.token,
        platformPublicKey: douyin.platformPublicKey,
        logger: captureLogger(),
        onEvent: (event) => {
          seen.push(event);
        },
      }),
    );
    await post(app, '/', signedEcpayCallback({ type: 'refund', msg: { cp_refundno: 'r-1' } })).expect(200);
    await post(app, '/', signedTradeCallback({ type: 'payment', msg: { out_order_no: 'o-1' } })).expect(200);
    const [refund, payment] = seen;
    expect(refund?.system === 'ecpay' && refund.type === 'refund' && refund.msg.cp_refundno).toBe('r-1');
    expect(payment?.system === 'trade' && payment.type === 'payment' && payment.msg.out_order_no).toBe('o-1');
  });
});

describe('tikTokWebhooks', () => {
  const calls: string[] = [];
  const app = new Koa();
  app.use(
    tikTokWebhooks({
      path: '/tiktok/webhook',
      appKey: tiktok.appKey,
      appSecret: tiktok.appSecret,
      logger: captureLogger(),
      on: {
        ORDER_STATUS_CHANGE: (event) => {
          calls.push(`order:${event.data.order_id}:${event.data.order_status}`);
        },
        RETURN_STATUS_CHANGE: (event) => {
          calls.push(`return:${event.data.order_id}`);
        },
      },
      onEvent: (event: TikTokEvent) => {
        calls.push(`event:${event.name}:${event.type}`);
      },
    }),
  );

  it('ORDER_STATUS_CHANGE → its named handler, 200 with an empty body', async () => {
    calls.length = 0;
    const d = signedTikTokWebhook({ type: 1, data: { order_id: '576', order_status: 'AWAITING_SHIPMENT' } });
    const res = await post(app, '/tiktok/webhook', d);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(calls).toEqual(['order:576:AWAITING_SHIPMENT']);
  });

  it('a known name without a named handler, and an unknown type number, go to onEvent', async () => {
    calls.length = 0;
    await post(app, '/tiktok/webhook', signedTikTokWebhook({ type: 4 })).expect(200, '');
    await post(app, '/tiktok/webhook', signedTikTokWebhook({ type: 99 })).expect(200, '');
    expect(calls).toEqual(['event:PACKAGE_UPDATE:4', 'event:UNKNOWN:99']);
  });
});

describe('algoVoiWebhooks', () => {
  it('200 with an empty body after the handler ran', async () => {
    const tokens: (string | undefined)[] = [];
    const app = new Koa();
    app.use(
      algoVoiWebhooks({
        secret: algovoi.webhookSecret,
        logger: captureLogger(),
        onEvent: (event) => {
          tokens.push(event.data.payment_link_token);
        },
      }),
    );
    const res = await post(app, '/', signedAlgoVoiWebhook({ data: { payment_link_token: 'tok_42' } }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(tokens).toEqual(['tok_42']);
  });
});

describe('mounting on a router route', () => {
  it('handles the route; the router answers other methods', async () => {
    const seen: string[] = [];
    const router = new Router();
    router.post(
      '/douyin/notify',
      douyinCallbacks({
        token: douyin.token,
        logger: captureLogger(),
        onPayment: (event) => {
          seen.push(event.key);
        },
      }),
    );
    const app = new Koa().use(router.routes()).use(router.allowedMethods());
    await post(app, '/douyin/notify', signedEcpayCallback({ type: 'payment' })).expect(200, DOUYIN_ACK);
    expect(seen).toHaveLength(1);
    const res = await request(app.callback()).get('/douyin/notify');
    expect(res.status).toBe(405);
  });

  it('router.all() lets the middleware answer a wrong method itself', async () => {
    const router = new Router();
    router.all(
      '/douyin/notify',
      douyinCallbacks({ token: douyin.token, logger: captureLogger(), onEvent() {} }),
    );
    const app = new Koa().use(router.routes());
    const res = await request(app.callback()).get('/douyin/notify');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.text).toBe('{"err_no":405,"err_tips":"METHOD_NOT_ALLOWED"}');
  });
});

describe('ctx.payment', () => {
  it('carries the verified event and the raw bytes on the handler’s ctx, set before any hook runs', async () => {
    let payment: unknown;
    let rejectedRawBody: string | undefined;
    const app = new Koa();
    app.use(
      douyinCallbacks({
        token: douyin.token,
        logger: captureLogger(),
        onPayment: (event, ctx) => {
          expect(ctx.payment.event).toBe(event);
          expect(ctx.payment.tx).toBeUndefined();
          payment = { event: ctx.payment.event, rawBody: ctx.payment.rawBody };
        },
        onRejected: (_error, ctx) => {
          rejectedRawBody = (ctx.payment as { rawBody?: Buffer }).rawBody?.toString();
        },
      }),
    );
    const d = signedEcpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(200);
    expect(payment).toMatchObject({ event: { type: 'payment' } });
    expect((payment as { rawBody: Buffer }).rawBody.equals(d.body)).toBe(true);
    const bad = withBadSignature(signedEcpayCallback({ type: 'refund' }));
    await post(app, '/', bad).expect(400);
    expect(rejectedRawBody).toBe(bad.rawBody);
  });

  it('the removed clients option fails at start-up, not on a payment', () => {
    const options = { token: douyin.token, onEvent: () => {}, clients: { douyin: {} } };
    expect(() => douyinCallbacks(options as never)).toThrow(/clients option .* was removed/);
    expect(() => tikTokWebhooks({ ...tiktok, onEvent: () => {}, clients: {} } as never)).toThrow(/removed/);
  });
});
