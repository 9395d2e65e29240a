// One table of deliveries — signed fixtures of every platform, broken ones, duplicates, a failing
// handler, reply data — sent over real HTTP to two servers: a Koa app with @ttpay/koa's middleware, and
// a Hono app on @hono/node-server serving @ttpay/core/delivery's webHandler. Both must answer every
// delivery with the same bytes (status, the headers that matter, body), and that answer must be the
// documented one. Each server has its own MemoryStore and gets the same deliveries in the same order.
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { serve } from '@hono/node-server';
import type { AlgoVoiEvent, DouyinEvent, TikTokEvent, TradeRefundApplicationEvent } from '@ttpay/core';
import {
  algoVoiEndpoint,
  douyinEndpoint,
  douyinReply,
  tikTokEndpoint,
  webHandler,
} from '@ttpay/core/delivery';
import { silentLogger } from '@ttpay/core/internal';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '@ttpay/koa';
import {
  bodyOnlySignedTikTokWebhook,
  demoCredentials,
  type SignedDelivery,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  withBadSignature,
  withoutSignature,
} from '@ttpay/testing';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const { douyin, tiktok, algovoi } = demoCredentials;
const LIMIT = 64 * 1024;

/** Handlers both servers share: they look at the event only, so they fit either adapter. */
function handlers(seen: string[]) {
  return {
    douyin: {
      onPayment: (event: DouyinEvent) => {
        seen.push(event.key);
        const order = event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no;
        if (order === 'order_fails') throw new Error('the shop refused it');
      },
      // A callback whose answer carries data (as the refund application's does).
      onRefund: (event: DouyinEvent) => {
        seen.push(event.key);
        return douyinReply({ out_refund_no: `ours_${event.key.slice(-6)}` });
      },
      // The refund application (退款申请回调), whose answer must carry the shop's refund number.
      onRefundApplication: (event: TradeRefundApplicationEvent) => {
        seen.push(event.key);
        return douyinReply({ out_refund_no: `app_${event.msg.refund_id.slice(-6)}` });
      },
    },
    tiktok: { onEvent: (event: TikTokEvent) => void seen.push(event.key) },
    algovoi: { onEvent: (event: AlgoVoiEvent) => void seen.push(event.key) },
  };
}

function koaServer(seen: string[]): Server {
  const h = handlers(seen);
  const common = { logger: silentLogger, limit: LIMIT };
  const app = new Koa()
    .use(
      douyinCallbacks({
        ...common,
        path: '/douyin/notify',
        token: douyin.token,
        platformPublicKey: douyin.platformPublicKey,
        ...h.douyin,
      }),
    )
    .use(tikTokWebhooks({ ...common, path: '/tiktok/webhook', ...tiktok, ...h.tiktok }))
    .use(
      algoVoiWebhooks({ ...common, path: '/algovoi/webhook', secret: algovoi.webhookSecret, ...h.algovoi }),
    );
  return app.listen(0, '127.0.0.1');
}

function honoServer(seen: string[]): Server {
  const h = handlers(seen);
  const common = { logger: silentLogger, limit: LIMIT };
  const douyinHandle = webHandler(
    douyinEndpoint({
      ...common,
      token: douyin.token,
      platformPublicKey: douyin.platformPublicKey,
      ...h.douyin,
    }),
  );
  const tiktokHandle = webHandler(tikTokEndpoint({ ...common, ...tiktok, ...h.tiktok }));
  const algovoiHandle = webHandler(
    algoVoiEndpoint({ ...common, secret: algovoi.webhookSecret, ...h.algovoi }),
  );
  // app.all: ttpay answers a wrong method itself (405 + Allow), as Koa's `path` mounting does.
  const app = new Hono()
    .all('/douyin/notify', (c) => douyinHandle(c.req.raw))
    .all('/tiktok/webhook', (c) => tiktokHandle(c.req.raw))
    .all('/algovoi/webhook', (c) => algovoiHandle(c.req.raw));
  return serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
}

interface Sent {
  method?: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Answer {
  status: number;
  contentType: string | null;
  allow: string | null;
  body: string;
}

const ACK = '{"err_no":0,"err_tips":"success"}';
const douyinFailure = (status: number, code: string) => JSON.stringify({ err_no: status, err_tips: code });
const JSON_TYPE = 'application/json; charset=utf-8';
const asSent = (path: string, d: SignedDelivery): Sent => ({ path, headers: d.headers, body: d.body });

// Built once: both servers get exactly these bytes.
const ecpayPayment = signedEcpayCallback({ type: 'payment' });
const ecpayRefund = signedEcpayCallback({ type: 'refund' });
const refundApplication = signedTradeCallback({ type: 'pre_create_refund' });
const tt = signedTikTokWebhook();
const algoVoi = signedAlgoVoiWebhook();
/** TikTok's guide lists 401 with an empty body; AlgoVoi is answered the same (PROTOCOLS.md §3.1, §4.3). */
const UNAUTHENTICATED: Answer = { status: 401, contentType: null, allow: null, body: '' };

const table: { name: string; sent: Sent; expected: Answer }[] = [
  {
    name: 'ecpay payment',
    sent: asSent('/douyin/notify', ecpayPayment),
    expected: { status: 200, contentType: JSON_TYPE, allow: null, body: ACK },
  },
  {
    name: 'the same ecpay payment again (a duplicate of a handled delivery)',
    sent: asSent('/douyin/notify', ecpayPayment),
    expected: { status: 200, contentType: JSON_TYPE, allow: null, body: ACK },
  },
  {
    name: 'trade-system payment',
    sent: asSent('/douyin/notify', signedTradeCallback({ type: 'payment' })),
    expected: { status: 200, contentType: JSON_TYPE, allow: null, body: ACK },
  },
  {
    name: 'ecpay refund whose handler answers with data',
    sent: asSent('/douyin/notify', ecpayRefund),
    expected: {
      status: 200,
      contentType: JSON_TYPE,
      allow: null,
      body: JSON.stringify({
        err_no: 0,
        err_tips: 'success',
        data: {
          out_refund_no: `ours_${JSON.parse(JSON.parse(ecpayRefund.rawBody).msg).cp_refundno.slice(-6)}`,
        },
      }),
    },
  },
  {
    name: 'a refund application (pre_create_refund), answered with the shop’s refund number',
    sent: asSent('/douyin/notify', refundApplication),
    expected: {
      status: 200,
      contentType: JSON_TYPE,
      allow: null,
      body: JSON.stringify({
        err_no: 0,
        err_tips: 'success',
        data: {
          out_refund_no: `app_${JSON.parse(JSON.parse(refundApplication.rawBody).msg).refund_id.slice(-6)}`,
        },
      }),
    },
  },
  {
    name: 'the same refund application again: no bare ack without the number (stores keep no reply data yet)',
    sent: asSent('/douyin/notify', refundApplication),
    expected: {
      status: 503,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(503, 'REPLY_DATA_UNAVAILABLE'),
    },
  },
  {
    name: 'ecpay settle, which no handler takes',
    sent: asSent('/douyin/notify', signedEcpayCallback({ type: 'settle' })),
    expected: {
      status: 501,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(501, 'UNHANDLED_EVENT'),
    },
  },
  {
    name: 'a payment whose handler throws',
    sent: asSent(
      '/douyin/notify',
      signedEcpayCallback({ type: 'payment', msg: { cp_orderno: 'order_fails' } }),
    ),
    expected: {
      status: 500,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(500, 'HANDLER_FAILED'),
    },
  },
  {
    name: 'ecpay with a bad signature',
    sent: asSent('/douyin/notify', withBadSignature(signedEcpayCallback({ type: 'payment' }))),
    expected: {
      status: 400,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(400, 'SIGNATURE_MISMATCH'),
    },
  },
  {
    name: 'trade callback without its signature header',
    sent: asSent('/douyin/notify', withoutSignature(signedTradeCallback({ type: 'payment' }))),
    expected: {
      status: 400,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(400, 'MISSING_SIGNATURE'),
    },
  },
  {
    name: 'not JSON (Content-Type text/plain)',
    sent: { path: '/douyin/notify', headers: { 'content-type': 'text/plain' }, body: ecpayPayment.body },
    expected: {
      status: 415,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(415, 'UNSUPPORTED_MEDIA_TYPE'),
    },
  },
  {
    name: 'compressed (Content-Encoding gzip)',
    sent: {
      path: '/douyin/notify',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: ecpayPayment.body,
    },
    expected: {
      status: 415,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(415, 'UNSUPPORTED_MEDIA_TYPE'),
    },
  },
  {
    name: 'GET',
    sent: { method: 'GET', path: '/douyin/notify', headers: {} },
    expected: {
      status: 405,
      contentType: JSON_TYPE,
      allow: 'POST',
      body: douyinFailure(405, 'METHOD_NOT_ALLOWED'),
    },
  },
  {
    name: 'invalid JSON',
    sent: {
      path: '/douyin/notify',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"msg":'),
    },
    expected: {
      status: 400,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(400, 'MALFORMED_BODY'),
    },
  },
  {
    name: 'a body over the limit',
    sent: {
      path: '/douyin/notify',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(`{"pad":"${'x'.repeat(LIMIT)}"}`),
    },
    expected: {
      status: 413,
      contentType: JSON_TYPE,
      allow: null,
      body: douyinFailure(413, 'BODY_TOO_LARGE'),
    },
  },
  {
    name: 'TikTok Shop order status change',
    sent: asSent('/tiktok/webhook', tt),
    expected: { status: 200, contentType: null, allow: null, body: '' },
  },
  {
    name: 'TikTok Shop, the same webhook again',
    sent: asSent('/tiktok/webhook', tt),
    expected: { status: 200, contentType: null, allow: null, body: '' },
  },
  {
    name: 'TikTok Shop signed over the body alone (the seed adapter’s bug)',
    sent: asSent('/tiktok/webhook', bodyOnlySignedTikTokWebhook()),
    expected: UNAUTHENTICATED,
  },
  {
    name: 'TikTok Shop without Authorization',
    sent: asSent('/tiktok/webhook', withoutSignature(signedTikTokWebhook())),
    expected: UNAUTHENTICATED,
  },
  {
    name: 'AlgoVoi webhook (t=,v1=,v2=, the published verifier’s header)',
    sent: asSent('/algovoi/webhook', algoVoi),
    expected: { status: 200, contentType: null, allow: null, body: '' },
  },
  {
    name: 'AlgoVoi, the same event id again, signed anew (a redelivery)',
    sent: asSent('/algovoi/webhook', signedAlgoVoiWebhook({ rawBody: algoVoi.rawBody, v2: false })),
    expected: { status: 200, contentType: null, allow: null, body: '' },
  },
  {
    name: 'AlgoVoi with a bad signature',
    sent: asSent('/algovoi/webhook', withBadSignature(signedAlgoVoiWebhook())),
    expected: UNAUTHENTICATED,
  },
  {
    name: 'AlgoVoi signed 301 s ago (stale)',
    sent: asSent(
      '/algovoi/webhook',
      signedAlgoVoiWebhook({ timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ),
    expected: UNAUTHENTICATED,
  },
  {
    name: 'AlgoVoi in the seed adapter’s scheme, not enabled',
    sent: asSent('/algovoi/webhook', signedAlgoVoiWebhook({ scheme: 'seed' })),
    expected: { status: 400, contentType: JSON_TYPE, allow: null, body: '{"error":"MALFORMED_HEADER"}' },
  },
  {
    name: 'AlgoVoi, a verified event of a type ttpay does not know',
    sent: asSent('/algovoi/webhook', signedAlgoVoiWebhook({ type: 'payment.refunded' })),
    expected: { status: 501, contentType: JSON_TYPE, allow: null, body: '{"error":"UNKNOWN_EVENT_TYPE"}' },
  },
];

async function send(server: Server, sent: Sent): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}${sent.path}`, {
    method: sent.method ?? 'POST',
    headers: sent.headers,
    ...(sent.body ? { body: sent.body } : {}),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    allow: res.headers.get('allow'),
    body: await res.text(),
  };
}

describe('Koa and the Web adapter (Hono on @hono/node-server) answer the same deliveries byte for byte', () => {
  const seenByKoa: string[] = [];
  const seenByHono: string[] = [];
  let koa: Server;
  let hono: Server;
  const answers: { name: string; koa: Answer; hono: Answer }[] = [];

  beforeAll(async () => {
    koa = koaServer(seenByKoa);
    hono = honoServer(seenByHono);
    await Promise.all([once(koa, 'listening'), hono.listening ? undefined : once(hono, 'listening')]);
    // In order: the duplicates must come after their first delivery.
    for (const { name, sent } of table) {
      answers.push({ name, koa: await send(koa, sent), hono: await send(hono, sent) });
    }
  });

  afterAll(async () => {
    await Promise.all(
      [koa, hono].map((s) => new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()))),
    );
  });

  it('has a case for every platform and every kind of answer', () => {
    expect(table.length).toBeGreaterThanOrEqual(23);
    expect(new Set(table.map((c) => c.expected.status))).toEqual(
      new Set([200, 400, 401, 405, 413, 415, 500, 501, 503]),
    );
  });

  it.each(table.map((c) => [c.name, c.expected] as const))('%s', (name, expected) => {
    const answer = answers.find((a) => a.name === name);
    expect(answer?.koa).toEqual(expected);
    expect(answer?.hono).toEqual(answer?.koa);
  });

  it('ran the same handlers on the same events, each once', () => {
    expect(seenByHono).toEqual(seenByKoa);
    // ecpay payment, trade, refund, refund application, the failing payment, TikTok, AlgoVoi
    expect(seenByKoa).toHaveLength(7);
  });
});
