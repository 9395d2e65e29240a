import { signTikTokWebhook } from '@ttpay/core';
import {
  bodyOnlySignedTikTokWebhook,
  demoCredentials,
  reserialised,
  type SignedDelivery,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  truncated,
  withBadSignature,
  withoutSignature,
} from '@ttpay/testing';
import Koa from 'koa';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { algoVoiWebhooks, type DeliveryError, douyinCallbacks, tikTokWebhooks } from '../src/index.js';
import {
  captureLogger,
  douyinFailure,
  jsonRequest,
  post,
  type RawRequest,
  signedTradeBody,
  tamperDigit,
  webhookFailure,
} from './helpers.js';

const { douyin, tiktok, algovoi } = demoCredentials;

// One app with the three endpoints mounted app-level; every handler records that it ran.
const handled: string[] = [];
const rejected: string[] = [];
const logger = captureLogger();
const onRejected = (error: DeliveryError) => {
  rejected.push(error.code);
};
const app = new Koa();
app.use(
  douyinCallbacks({
    path: '/douyin',
    token: douyin.token,
    platformPublicKey: douyin.platformPublicKey,
    logger,
    onRejected,
    onEvent: (event) => {
      handled.push(event.key);
    },
  }),
);
app.use(
  tikTokWebhooks({
    path: '/tiktok',
    appKey: tiktok.appKey,
    appSecret: tiktok.appSecret,
    logger,
    onRejected,
    onEvent: (event) => {
      handled.push(event.key);
    },
  }),
);
app.use(
  algoVoiWebhooks({
    path: '/algovoi',
    secret: algovoi.webhookSecret,
    logger,
    onRejected,
    onEvent: (event) => {
      handled.push(event.key);
    },
  }),
);

const withHeaders = (d: RawRequest, headers: Record<string, string | string[]>): RawRequest => ({
  ...d,
  headers: { ...d.headers, ...headers },
});
const withoutHeader = (d: RawRequest, name: string): RawRequest => {
  const { [name]: _dropped, ...headers } = d.headers;
  return { ...d, headers };
};
const editJson = (d: SignedDelivery, edit: (body: Record<string, unknown>) => void): RawRequest => {
  const body = JSON.parse(d.rawBody) as Record<string, unknown>;
  edit(body);
  return jsonRequest(JSON.stringify(body));
};
const signedTikTok = (body: string, appKey: string = tiktok.appKey, appSecret: string = tiktok.appSecret) =>
  jsonRequest(body, { authorization: signTikTokWebhook(body, { appKey, appSecret }) });
const hoursAgo = (h: number) => Math.floor(Date.now() / 1000) - h * 3600;
const bigJson = (bytes: number) => jsonRequest(`{"pad":"${'x'.repeat(bytes - 10)}"}`);

type Platform = 'douyin' | 'tiktok' | 'algovoi';
interface Case {
  name: string;
  to: Platform;
  request: () => RawRequest;
  method?: 'get' | 'put';
  status: number;
  code: string;
}

const cases: Case[] = [
  // Douyin ecpay (SHA-1 msg_signature in the body): 400 for every bad input.
  {
    name: 'ecpay: flipped msg_signature',
    to: 'douyin',
    request: () => withBadSignature(signedEcpayCallback({ type: 'payment' })),
    status: 400,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'ecpay: no msg_signature',
    to: 'douyin',
    request: () => withoutSignature(signedEcpayCallback({ type: 'payment' })),
    status: 400,
    code: 'MISSING_SIGNATURE',
  },
  {
    name: 'ecpay: msg_signature not a string',
    to: 'douyin',
    request: () =>
      editJson(signedEcpayCallback({ type: 'refund' }), (b) => {
        b.msg_signature = 12345;
      }),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'ecpay: signed with another token',
    to: 'douyin',
    request: () => signedEcpayCallback({ type: 'payment', token: 'not-the-console-token' }),
    status: 400,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'ecpay: one digit of msg changed',
    to: 'douyin',
    request: () => tamperDigit(signedEcpayCallback({ type: 'payment' }), 'order_'),
    status: 400,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'ecpay: timestamp changed after signing',
    to: 'douyin',
    request: () =>
      editJson(signedEcpayCallback({ type: 'settle' }), (b) => {
        b.timestamp = String(Number(b.timestamp) + 1);
      }),
    status: 400,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'ecpay: truncated body',
    to: 'douyin',
    request: () => truncated(signedEcpayCallback({ type: 'payment' })),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'ecpay: no timestamp',
    to: 'douyin',
    request: () =>
      editJson(signedEcpayCallback({ type: 'payment' }), (b) => {
        delete b.timestamp;
      }),
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'ecpay: no msg',
    to: 'douyin',
    request: () =>
      editJson(signedEcpayCallback({ type: 'payment' }), (b) => {
        delete b.msg;
      }),
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'ecpay: signed msg that is not JSON',
    to: 'douyin',
    request: () => signedEcpayCallback({ type: 'payment', rawMsg: 'not json' }),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'ecpay: signed payment msg without cp_orderno',
    to: 'douyin',
    request: () => signedEcpayCallback({ type: 'payment', msg: { cp_orderno: undefined } }),
    status: 400,
    code: 'MISSING_FIELD',
  },
  // Douyin trade system (RSA Byte-Signature over headers and body).
  {
    name: 'trade: flipped Byte-Signature',
    to: 'douyin',
    request: () => withBadSignature(signedTradeCallback({ type: 'payment' })),
    status: 400,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'trade: no Byte-Signature',
    to: 'douyin',
    request: () => withoutSignature(signedTradeCallback({ type: 'payment' })),
    status: 400,
    code: 'MISSING_SIGNATURE',
  },
  {
    name: 'trade: Byte-Signature repeated',
    to: 'douyin',
    request: () => {
      const d = signedTradeCallback({ type: 'payment' });
      return withHeaders(d, {
        'byte-signature': [d.headers['byte-signature'] ?? '', d.headers['byte-signature'] ?? ''],
      });
    },
    status: 400,
    code: 'MALFORMED_HEADER',
  },
  {
    name: 'trade: stale Byte-Timestamp (74 h, past the 73 h default window)',
    to: 'douyin',
    request: () => signedTradeCallback({ type: 'payment', timestamp: hoursAgo(74) }),
    status: 400,
    code: 'TIMESTAMP_OUT_OF_RANGE',
  },
  {
    name: 'trade: Byte-Timestamp from the future (74 h)',
    to: 'douyin',
    request: () => signedTradeCallback({ type: 'refund', timestamp: hoursAgo(-74) }),
    status: 400,
    code: 'TIMESTAMP_OUT_OF_RANGE',
  },
  {
    name: 'trade: no Byte-Timestamp',
    to: 'douyin',
    request: () => withoutHeader(signedTradeCallback({ type: 'payment' }), 'byte-timestamp'),
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'trade: Byte-Timestamp not whole seconds',
    to: 'douyin',
    request: () =>
      withHeaders(signedTradeCallback({ type: 'payment' }), { 'byte-timestamp': '1700000000.5' }),
    status: 400,
    code: 'MALFORMED_HEADER',
  },
  {
    name: 'trade: one digit of the body changed',
    to: 'douyin',
    request: () => tamperDigit(signedTradeCallback({ type: 'payment' }), 'total_amount\\":'),
    status: 400,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'trade: re-serialised body',
    to: 'douyin',
    request: () => reserialised(signedTradeCallback({ type: 'settle' })),
    status: 400,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'trade: signed with a key that is not the platform key',
    to: 'douyin',
    request: () => signedTradeCallback({ type: 'payment', platformPrivateKey: douyin.appPrivateKey }),
    status: 400,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'trade: signed body without msg',
    to: 'douyin',
    request: () => signedTradeBody('{"type":"payment","version":"3.0"}'),
    status: 400,
    code: 'MISSING_FIELD',
  },
  // Transport, for every platform the same rules.
  {
    name: 'GET',
    to: 'douyin',
    method: 'get',
    request: () => signedEcpayCallback({ type: 'payment' }),
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'PUT',
    to: 'douyin',
    method: 'put',
    request: () => signedEcpayCallback({ type: 'payment' }),
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'Content-Type text/plain',
    to: 'douyin',
    request: () => withHeaders(signedEcpayCallback({ type: 'payment' }), { 'content-type': 'text/plain' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'Content-Type form-urlencoded',
    to: 'douyin',
    request: () =>
      withHeaders(signedEcpayCallback({ type: 'payment' }), {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'no Content-Type',
    to: 'douyin',
    request: () => withoutHeader(signedEcpayCallback({ type: 'payment' }), 'content-type'),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'charset=gbk',
    to: 'douyin',
    request: () =>
      withHeaders(signedEcpayCallback({ type: 'payment' }), {
        'content-type': 'application/json; charset=gbk',
      }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'Content-Encoding gzip',
    to: 'douyin',
    request: () => withHeaders(signedEcpayCallback({ type: 'payment' }), { 'content-encoding': 'gzip' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'body over 1 MiB',
    to: 'douyin',
    request: () => bigJson(1024 * 1024 + 1),
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  { name: 'empty body', to: 'douyin', request: () => jsonRequest(''), status: 400, code: 'MALFORMED_BODY' },
  { name: 'JSON array', to: 'douyin', request: () => jsonRequest('[]'), status: 400, code: 'MALFORMED_BODY' },
  {
    name: 'JSON string',
    to: 'douyin',
    request: () => jsonRequest('"payment"'),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'JSON null',
    to: 'douyin',
    request: () => jsonRequest('null'),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'not JSON',
    to: 'douyin',
    request: () => jsonRequest('{"msg":'),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'invalid UTF-8',
    to: 'douyin',
    request: () =>
      jsonRequest(Buffer.concat([Buffer.from('{"msg":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'UTF-8 byte order mark',
    to: 'douyin',
    request: () =>
      jsonRequest(
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), signedEcpayCallback({ type: 'payment' }).body]),
      ),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'an object without any callback field',
    to: 'douyin',
    request: () => jsonRequest('{}'),
    status: 400,
    code: 'MISSING_SIGNATURE',
  },
  // TikTok Shop: 401 for signatures, 400 for malformed input.
  {
    name: "tiktok: the seed adapter's body-only HMAC",
    to: 'tiktok',
    request: () => bodyOnlySignedTikTokWebhook({ type: 1 }),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'tiktok: no Authorization',
    to: 'tiktok',
    request: () => withoutSignature(signedTikTokWebhook()),
    status: 401,
    code: 'MISSING_SIGNATURE',
  },
  {
    name: 'tiktok: flipped Authorization',
    to: 'tiktok',
    request: () => withBadSignature(signedTikTokWebhook()),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'tiktok: Authorization repeated',
    to: 'tiktok',
    request: () => {
      const d = signedTikTokWebhook();
      return withHeaders(d, {
        authorization: [d.headers.authorization ?? '', d.headers.authorization ?? ''],
      });
    },
    status: 400,
    code: 'MALFORMED_HEADER',
  },
  {
    name: 'tiktok: signed with another app key',
    to: 'tiktok',
    request: () => signedTikTokWebhook({ appKey: 'another_app_key' }),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'tiktok: signed with another app secret',
    to: 'tiktok',
    request: () => signedTikTokWebhook({ appSecret: 'another_secret' }),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'tiktok: one digit of the body changed',
    to: 'tiktok',
    request: () => tamperDigit(signedTikTokWebhook(), '"tts_notification_id":"'),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'tiktok: re-serialised body',
    to: 'tiktok',
    request: () => reserialised(signedTikTokWebhook()),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'tiktok: truncated body',
    to: 'tiktok',
    request: () => truncated(signedTikTokWebhook()),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'tiktok: signed, no tts_notification_id',
    to: 'tiktok',
    request: () =>
      signedTikTok('{"type":1,"shop_id":"1","timestamp":1,"data":{"order_id":"1","order_status":"x"}}'),
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'tiktok: signed, type as a string (the seed adapter)',
    to: 'tiktok',
    request: () =>
      signedTikTok('{"type":"ORDER_STATUS_CHANGE","tts_notification_id":"1","data":{"order_id":"1"}}'),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'tiktok: signed order webhook without data.order_id',
    to: 'tiktok',
    request: () => signedTikTok('{"type":1,"tts_notification_id":"7","data":{}}'),
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'tiktok: GET',
    to: 'tiktok',
    method: 'get',
    request: () => signedTikTokWebhook(),
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'tiktok: text/plain',
    to: 'tiktok',
    request: () => withHeaders(signedTikTokWebhook(), { 'content-type': 'text/plain' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  // AlgoVoi: 401 for signatures; 64 KiB cap.
  {
    name: 'algovoi: no X-AlgoVoi-Signature',
    to: 'algovoi',
    request: () => withoutSignature(signedAlgoVoiWebhook()),
    status: 401,
    code: 'MISSING_SIGNATURE',
  },
  {
    name: 'algovoi: flipped X-AlgoVoi-Signature',
    to: 'algovoi',
    request: () => withBadSignature(signedAlgoVoiWebhook()),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'algovoi: signed with another secret',
    to: 'algovoi',
    request: () => signedAlgoVoiWebhook({ secret: 'another-secret' }),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'algovoi: one digit of the body changed',
    to: 'algovoi',
    request: () => tamperDigit(signedAlgoVoiWebhook(), '"tx_id":"TX'),
    status: 401,
    code: 'SIGNATURE_MISMATCH',
  },
  {
    name: 'algovoi: X-AlgoVoi-Signature repeated',
    to: 'algovoi',
    request: () => {
      const d = signedAlgoVoiWebhook();
      const sig = d.headers['x-algovoi-signature'] ?? '';
      return withHeaders(d, { 'x-algovoi-signature': [sig, sig] });
    },
    status: 400,
    code: 'MALFORMED_HEADER',
  },
  {
    name: 'algovoi: signed 301 s ago (stale)',
    to: 'algovoi',
    request: () => signedAlgoVoiWebhook({ timestamp: Math.floor(Date.now() / 1000) - 301 }),
    status: 401,
    code: 'TIMESTAMP_OUT_OF_RANGE',
  },
  {
    name: 'algovoi: signed 301 s ahead',
    to: 'algovoi',
    request: () => signedAlgoVoiWebhook({ timestamp: Math.floor(Date.now() / 1000) + 301 }),
    status: 401,
    code: 'TIMESTAMP_OUT_OF_RANGE',
  },
  {
    name: "algovoi: the seed adapter's base64 body HMAC (not enabled)",
    to: 'algovoi',
    request: () => signedAlgoVoiWebhook({ scheme: 'seed' }),
    status: 400,
    code: 'MALFORMED_HEADER',
  },
  {
    name: 'algovoi: signed, type refund.issued',
    to: 'algovoi',
    request: () => signedAlgoVoiWebhook({ type: 'refund.issued' }),
    status: 501,
    code: 'UNKNOWN_EVENT_TYPE',
  },
  {
    name: 'algovoi: signed, no event id',
    to: 'algovoi',
    request: () => signedAlgoVoiWebhook({ rawBody: '{"type":"payment.confirmed","data":{}}' }),
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'algovoi: body over 64 KiB',
    to: 'algovoi',
    request: () => bigJson(64 * 1024 + 1),
    status: 413,
    code: 'BODY_TOO_LARGE',
  },
  {
    name: 'algovoi: JSON array',
    to: 'algovoi',
    request: () => jsonRequest('[1]'),
    status: 400,
    code: 'MALFORMED_BODY',
  },
  {
    name: 'algovoi: GET',
    to: 'algovoi',
    method: 'get',
    request: () => signedAlgoVoiWebhook(),
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
];

afterEach(() => {
  handled.length = 0;
  rejected.length = 0;
});

describe('every bad delivery gets its exact reply and never reaches a handler', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [`${c.to}: ${c.name} → ${c.status} ${c.code}`, c] as const))(
    '%s',
    async (_, c) => {
      const d = c.request();
      const path = `/${c.to}`;
      const res = c.method
        ? await request(app.callback())[c.method](path).set(d.headers)
        : await post(app, path, d);
      expect(res.status).toBe(c.status);
      expect(res.text).toBe(c.to === 'douyin' ? douyinFailure(c.status, c.code) : webhookFailure(c.code));
      if (c.to !== 'douyin' && c.status === 401) {
        // TikTok's configuration guide: 401 with a "NULL / empty" body (PROTOCOLS.md §3.1).
        expect(res.text).toBe('');
      } else {
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      }
      if (c.status === 405) expect(res.headers.allow).toBe('POST');
      expect(handled).toEqual([]);
      expect(rejected).toEqual([c.code]);
    },
  );
});
