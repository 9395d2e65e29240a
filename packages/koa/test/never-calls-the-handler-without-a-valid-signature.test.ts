import { isUtf8 } from 'node:buffer';
import { createHash, createHmac, createPublicKey, hkdfSync, verify as rsaVerify } from 'node:crypto';
import { signAlgoVoiWebhook, signEcpayCallback, signTikTokWebhook, signTradeCallback } from '@ttpay/core';
import {
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
import fc from 'fast-check';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  deeplyNested,
  hostileBody,
  hostileJsonObjectText,
  hostileJsonText,
  hugeNumberText,
  withFieldsLast,
} from '../../../test/support/hostile-input.js';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '../src/index.js';
import { captureLogger, DOUYIN_ACK } from './helpers.js';

// Whatever arrives — random bytes, hostile JSON, a real delivery with one thing wrong, repeated or
// forged signature headers, the wrong content type — a handler runs only if an independent check of
// the signature (written here from PROTOCOLS.md, not with @ttpay/core) says the platform signed it,
// and every other request gets exactly a reply from the README's table.

const { douyin, tiktok, algovoi } = demoCredentials;
type Endpoint = 'douyin' | 'tiktok' | 'algovoi';

const handled: string[] = [];
const logger = captureLogger();
const record = (event: { key: string }) => {
  handled.push(event.key);
};
const app = new Koa();
app.silent = true;
app.use(
  douyinCallbacks({
    path: '/douyin',
    token: douyin.token,
    platformPublicKey: douyin.platformPublicKey,
    logger,
    onEvent: record,
  }),
);
app.use(tikTokWebhooks({ path: '/tiktok', ...tiktok, logger, onEvent: record }));
app.use(algoVoiWebhooks({ path: '/algovoi', secret: algovoi.webhookSecret, logger, onEvent: record }));
const server = app.callback();

// ---------------------------------------------------------------- the independent oracle

type Headers = Record<string, string | string[]>;
const PLATFORM_PUBLIC_KEY = createPublicKey(douyin.platformPublicKey);

function single(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

function parseObject(raw: Buffer): Record<string, unknown> | undefined {
  if (!isUtf8(raw)) return undefined;
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const stringish = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== ''
    ? v
    : typeof v === 'number' && Number.isSafeInteger(v)
      ? String(v)
      : undefined;

/** Did the platform sign these exact bytes and headers? (PROTOCOLS.md §1.3, §2, §3, §4.) */
function authentic(endpoint: Endpoint, raw: Buffer, headers: Headers): boolean {
  if (endpoint === 'tiktok') {
    const expected = createHmac('sha256', tiktok.appSecret).update(tiktok.appKey).update(raw).digest('hex');
    return single(headers, 'authorization') === expected;
  }
  if (endpoint === 'algovoi') {
    // The published verifier: t=<unix>,v1=<HMAC-SHA256>[,v2=<HMAC-SHA384 with an HKDF key>], 300 s.
    const parts = /^t=([1-9]\d{0,11}),v1=([0-9a-f]{64})(?:,v2=([0-9a-f]{96}))?$/.exec(
      single(headers, 'x-algovoi-signature') ?? '',
    );
    if (!parts) return false;
    const [, t, v1, v2] = parts;
    const signed = Buffer.concat([Buffer.from(`${t}.`), raw]);
    const secret = Buffer.from(algovoi.webhookSecret);
    if (createHmac('sha256', secret).update(signed).digest('hex') !== v1) return false;
    if (v2 !== undefined) {
      const key = Buffer.from(
        hkdfSync(
          'sha256',
          secret,
          Buffer.from('algovoi-webhook-v2-pqc'),
          Buffer.from('hmac-sha384-outbound'),
          48,
        ),
      );
      if (createHmac('sha384', key).update(signed).digest('hex') !== v2) return false;
    }
    return Math.abs(Date.now() / 1000 - Number(t)) <= 300;
  }
  const body = parseObject(raw);
  if (body === undefined) return false;
  if (typeof body.version === 'string' && body.version !== '') {
    const [signature, timestamp, nonce] = ['byte-signature', 'byte-timestamp', 'byte-nonce-str'].map((h) =>
      single(headers, h),
    );
    if (!signature || !timestamp || !nonce || !/^\d{1,12}$/.test(timestamp)) return false;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const data = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), raw, Buffer.from('\n')]);
    const sigBytes = Buffer.from(signature, 'base64');
    return (
      sigBytes.toString('base64') === signature && rsaVerify('sha256', data, PLATFORM_PUBLIC_KEY, sigBytes)
    );
  }
  const [timestamp, nonce] = [stringish(body.timestamp), stringish(body.nonce)];
  if (!timestamp || !nonce || typeof body.msg !== 'string' || body.msg === '') return false;
  const parts = [douyin.token, timestamp, nonce, body.msg].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  return body.msg_signature === createHash('sha1').update(parts.join('')).digest('hex');
}

// ---------------------------------------------------------------- the reply table (README "Replies")

const STATUS: Record<string, number> = {
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  MALFORMED_BODY: 400,
  MISSING_FIELD: 400,
  MALFORMED_HEADER: 400,
  MISSING_SIGNATURE: 400,
  SIGNATURE_MISMATCH: 400,
  TIMESTAMP_OUT_OF_RANGE: 400,
};
/**
 * The codes a request can earn before its signature is verified. TikTok and AlgoVoi answer a signature
 * failure 401 with an EMPTY body (TikTok's configuration guide), so those show as UNAUTHENTICATED.
 */
const REFUSALS = new Set([...Object.keys(STATUS), 'UNAUTHENTICATED']);
const statusOf = (endpoint: Endpoint, code: string): number =>
  endpoint !== 'douyin' &&
  (code === 'MISSING_SIGNATURE' || code === 'SIGNATURE_MISMATCH' || code === 'TIMESTAMP_OUT_OF_RANGE')
    ? 401
    : (STATUS[code] ?? 0);

const SECRETS = [douyin.token, tiktok.appSecret, algovoi.webhookSecret];

/** Checks the reply is one of the table's, exactly; returns its code ('ACK' for a success). */
function documentedReply(endpoint: Endpoint, res: request.Response): string {
  for (const secret of SECRETS) expect(res.text).not.toContain(secret);
  if (res.status === 200) {
    expect(res.text).toBe(endpoint === 'douyin' ? DOUYIN_ACK : '');
    return 'ACK';
  }
  if (endpoint !== 'douyin' && res.status === 401) {
    expect(res.text).toBe('');
    return 'UNAUTHENTICATED';
  }
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = JSON.parse(res.text) as Record<string, unknown>;
  const code = String(endpoint === 'douyin' ? body.err_tips : body.error);
  expect(body).toEqual(endpoint === 'douyin' ? { err_no: res.status, err_tips: code } : { error: code });
  if (REFUSALS.has(code)) expect(res.status).toBe(statusOf(endpoint, code));
  if (res.status === 405) expect(res.headers.allow).toBe('POST');
  return code;
}

// ---------------------------------------------------------------- what gets sent

interface Attempt {
  endpoint: Endpoint;
  method: 'post' | 'get' | 'put' | 'delete' | 'patch';
  body: Buffer;
  headers: Headers;
}

function send(a: Attempt): Promise<request.Response> {
  const test = request(server)[a.method](`/${a.endpoint}`);
  test.set(a.headers);
  return a.method === 'get' ? test : test.serialize((b) => b).send(a.body);
}

const endpoint = fc.constantFrom<Endpoint>('douyin', 'tiktok', 'algovoi');
const fixture = (e: Endpoint, variant: number): SignedDelivery => {
  if (e === 'tiktok') return signedTikTokWebhook({ type: [1, 12, 99][variant % 3] });
  if (e === 'algovoi') return signedAlgoVoiWebhook();
  return variant % 2 === 0
    ? signedEcpayCallback({ type: (['payment', 'refund', 'settle'] as const)[variant % 3] ?? 'payment' })
    : signedTradeCallback({ type: (['payment', 'refund', 'settle'] as const)[variant % 3] ?? 'payment' });
};

/** A real delivery with one thing changed — or none (the control: it must be handled). */
const damage = fc.constantFrom(
  'none',
  'flip-byte',
  'bad-signature',
  'no-signature',
  'truncated',
  'reserialised',
  'appended-space',
  'repeated-signature',
  'other-endpoint',
  'signature-with-spaces',
  'lowercase-base64',
);
const SIGNATURE_HEADERS = ['authorization', 'x-algovoi-signature', 'byte-signature'];

function damaged(
  e: Endpoint,
  variant: number,
  how: string,
  at: number,
  target: Endpoint,
): Omit<Attempt, 'method'> {
  const d = fixture(e, variant);
  const sent = (x: SignedDelivery): Omit<Attempt, 'method'> => ({
    endpoint: e,
    body: x.body,
    headers: x.headers,
  });
  const sigHeader = SIGNATURE_HEADERS.find((h) => h in d.headers);
  switch (how) {
    case 'flip-byte': {
      const body = Buffer.from(d.body);
      const i = at % body.length;
      body[i] = (body[i] ?? 0) ^ (1 << (at % 8));
      return { ...sent(d), body };
    }
    case 'bad-signature':
      return sent(withBadSignature(d));
    case 'no-signature':
      return sent(withoutSignature(d));
    case 'truncated':
      return sent(truncated(d));
    case 'reserialised':
      return sent(reserialised(d));
    case 'appended-space':
      return { ...sent(d), body: Buffer.concat([d.body, Buffer.from(' ')]) };
    case 'repeated-signature':
      return sigHeader
        ? {
            ...sent(d),
            headers: {
              ...d.headers,
              [sigHeader]: [String(d.headers[sigHeader]), String(d.headers[sigHeader])],
            },
          }
        : sent(d);
    case 'other-endpoint':
      return { ...sent(d), endpoint: target };
    case 'signature-with-spaces':
      return sigHeader
        ? { ...sent(d), headers: { ...d.headers, [sigHeader]: `${d.headers[sigHeader]} x` } }
        : sent(d);
    case 'lowercase-base64':
      return sigHeader && sigHeader !== 'authorization'
        ? { ...sent(d), headers: { ...d.headers, [sigHeader]: String(d.headers[sigHeader]).toLowerCase() } }
        : sent(d);
    default:
      return sent(d);
  }
}

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON; Charset=UTF-8',
      'application/vnd.api+json',
      'application/json; charset=latin1',
      'application/json;charset=utf-16',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')) },
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
  fc.uint8Array({ minLength: 256, maxLength: 256 }).map((b) => Buffer.from(b).toString('base64')),
);
const extraHeaders = fc.dictionary(
  fc.constantFrom(...SIGNATURE_HEADERS, 'byte-timestamp', 'byte-nonce-str', 'content-encoding'),
  fc.oneof(
    headerValue,
    fc.array(headerValue, { minLength: 2, maxLength: 3 }),
    fc.constantFrom('gzip', 'identity', 'br'),
  ),
  { maxKeys: 3 },
);
const method = fc.oneof(
  { weight: 9, arbitrary: fc.constant('post' as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('get' as const, 'put' as const, 'delete' as const, 'patch' as const),
  },
);

const attempt: fc.Arbitrary<Attempt> = fc.oneof(
  fc.tuple(endpoint, method, hostileBody, contentType, extraHeaders).map(([e, m, body, type, extra]) => ({
    endpoint: e,
    method: m,
    body,
    headers: { 'content-type': type, ...extra },
  })),
  fc
    .tuple(endpoint, fc.nat(), damage, fc.nat(), endpoint, method, contentType, fc.boolean())
    .map(([e, variant, how, at, target, m, type, keepType]) => {
      const d = damaged(e, variant, how, at, target);
      return { ...d, method: m, headers: keepType ? d.headers : { ...d.headers, 'content-type': type } };
    }),
);

// ---------------------------------------------------------------- properties

describe('any request', () => {
  it('reaches a handler only with a valid signature; everything else gets a documented refusal (400 runs)', async () => {
    let handledRuns = 0;
    await fc.assert(
      fc.asyncProperty(attempt, async (a) => {
        const before = handled.length;
        const res = await send(a);
        const code = documentedReply(a.endpoint, res);
        const ran = handled.length - before;
        const valid = authentic(a.endpoint, a.body, a.headers);
        if (!valid) {
          expect(ran).toBe(0);
          expect(REFUSALS.has(code), `${res.status} ${code}`).toBe(true);
        } else {
          // A signed delivery may still be refused by method, content type or unusable content.
          expect(ran).toBeLessThanOrEqual(1);
          expect(['ACK', 'UNKNOWN_EVENT_TYPE', ...REFUSALS]).toContain(code);
          if (ran === 1) {
            expect(code).toBe('ACK');
            handledRuns++;
          }
        }
      }),
      { numRuns: 400 },
    );
    // The control cases (undamaged deliveries) did get through: the property is not vacuous.
    expect(handledRuns).toBeGreaterThan(0);
    expect(JSON.stringify(logger.records)).not.toMatch(new RegExp(SECRETS.join('|')));
  });
});

describe('signed deliveries with hostile content', () => {
  const signed = fc.oneof(
    fc
      .tuple(
        hostileJsonText,
        fc.oneof(fc.integer(), fc.constantFrom(1, 12, 99)),
        fc.string({ minLength: 1, maxLength: 12 }),
      )
      .chain(([data, type, id]) =>
        withFieldsLast(`"type":${type},"tts_notification_id":${JSON.stringify(id)},"data":${data}`),
      )
      .map(
        (raw): Attempt => ({
          endpoint: 'tiktok',
          method: 'post',
          body: Buffer.from(raw),
          headers: { 'content-type': 'application/json', authorization: signTikTokWebhook(raw, tiktok) },
        }),
      ),
    fc
      .oneof(
        hostileBody,
        hostileJsonObjectText.map((t) => Buffer.from(t)),
      )
      .map(
        (raw): Attempt => ({
          endpoint: 'algovoi',
          method: 'post',
          body: raw,
          headers: {
            'content-type': 'application/json',
            'x-algovoi-signature': signAlgoVoiWebhook(raw, algovoi.webhookSecret),
          },
        }),
      ),
    fc
      .tuple(
        fc.oneof(
          hostileJsonObjectText,
          hugeNumberText.map((n) => `{"cp_orderno":"o${n}","status":"SUCCESS","total_amount":${n}}`),
          withFieldsLast('"cp_orderno":"o1","cp_refundno":"r1","status":"SUCCESS","total_amount":1'),
        ),
        fc.constantFrom('payment', 'refund', 'settle', 'withdraw'),
        hostileJsonObjectText,
      )
      .map(([msg, type, extra]): Attempt => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signature = signEcpayCallback({ token: douyin.token, timestamp, nonce: 'n', msg });
        const fields = `"timestamp":"${timestamp}","nonce":"n","msg":${JSON.stringify(msg)},"msg_signature":"${signature}","type":"${type}"`;
        const raw = extra === '{}' ? `{${fields}}` : `${extra.slice(0, -1)},${fields}}`;
        return {
          endpoint: 'douyin',
          method: 'post',
          body: Buffer.from(raw),
          headers: { 'content-type': 'application/json' },
        };
      }),
    fc
      .tuple(hostileJsonText, fc.constantFrom('payment', 'refund', 'settle', 'x'))
      .map(([m, type]): Attempt => {
        const raw = JSON.stringify({
          msg: `{"out_order_no":"o","out_refund_no":"r","status":"SUCCESS","total_amount":1,"x":${m}}`,
          type,
          version: '3.0',
        });
        const timestamp = String(Math.floor(Date.now() / 1000));
        return {
          endpoint: 'douyin',
          method: 'post',
          body: Buffer.from(raw),
          headers: {
            'content-type': 'application/json',
            'byte-timestamp': timestamp,
            'byte-nonce-str': 'n',
            'byte-signature': signTradeCallback(
              { timestamp, nonce: 'n', rawBody: raw },
              douyin.platformPrivateKey,
            ),
          },
        };
      }),
  );

  it('are handled at most once per key and acknowledged only when handled, or refused as unusable (200 runs)', async () => {
    const ackedKeys = new Set<string>();
    let signedButRefused = 0;
    await fc.assert(
      fc.asyncProperty(signed, async (a) => {
        // Signed as the platform signs — unless a hostile "version" field made an ecpay body look like
        // a trade-system one (dispatched on `version`, PROTOCOLS.md §2), which must then be refused.
        const valid = authentic(a.endpoint, a.body, a.headers);
        const before = handled.length;
        const code = documentedReply(a.endpoint, await send(a));
        const ran = handled.slice(before);
        expect(ran.length).toBeLessThanOrEqual(valid ? 1 : 0);
        if (!valid) {
          expect(REFUSALS.has(code)).toBe(true);
          signedButRefused++;
        } else if (code === 'ACK') {
          // Handled now, or a duplicate of a key handled before.
          for (const key of ran) {
            expect(ackedKeys.has(key)).toBe(false);
            ackedKeys.add(key);
          }
        } else {
          expect(ran).toEqual([]);
          // AlgoVoi: a signed object whose type is not payment.confirmed is refused as such (501).
          expect(['MALFORMED_BODY', 'MISSING_FIELD', 'BODY_TOO_LARGE', 'UNKNOWN_EVENT_TYPE']).toContain(code);
        }
      }),
      { numRuns: 200 },
    );
    expect(new Set(handled).size).toBe(handled.length);
    expect(ackedKeys.size).toBeGreaterThan(signedButRefused);
  });
});

describe('body bombs', () => {
  const bomb = deeplyNested(100_000, 'array'); // 200 kB: under the 1 MiB limit, over AlgoVoi's 64 KiB

  it('100k nested arrays: 400 MALFORMED_BODY (AlgoVoi: 413), fast, nothing handled', async () => {
    const started = Date.now();
    for (const e of ['douyin', 'tiktok', 'algovoi'] as const) {
      const res = await send({
        endpoint: e,
        method: 'post',
        body: Buffer.from(bomb),
        headers: { 'content-type': 'application/json' },
      });
      expect(documentedReply(e, res)).toBe(e === 'algovoi' ? 'BODY_TOO_LARGE' : 'MALFORMED_BODY');
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('signed, inside the payload: verified, parsed and handled once without a stack overflow', async () => {
    const before = handled.length;
    const raw = `{"type":1,"tts_notification_id":"bomb-${Date.now()}","data":{"order_id":"o","order_status":"UNPAID","deep":${bomb}}}`;
    const res = await send({
      endpoint: 'tiktok',
      method: 'post',
      body: Buffer.from(raw),
      headers: { 'content-type': 'application/json', authorization: signTikTokWebhook(raw, tiktok) },
    });
    expect(documentedReply('tiktok', res)).toBe('ACK');
    expect(handled.length - before).toBe(1);
  });
});
