import { createHmac, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deeplyNested,
  hostileBody,
  hostileJsonObjectText,
  hostileJsonText,
  hugeNumberText,
  withFieldsLast,
  withInvalidUtf8,
} from '../../../test/support/hostile-input.js';
import {
  isTtpayError,
  signAlgoVoiWebhook,
  signEcpayCallback,
  signTikTokWebhook,
  signTradeCallback,
  type TtpayErrorCode,
  type TtpayEvent,
  toPublicKey,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '../src/index.js';

// Every verifier, fed what an attacker can send: it returns an event only for a valid signature, and
// otherwise throws a TtpayError with a documented code — never another exception, never a hang.

const TOKEN = 'fuzz-token';
const APP_KEY = 'fuzz-app-key';
const APP_SECRET = 'fuzz-app-secret';
const GATEWAY_SECRET = 'fuzz-gateway-secret';
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_KEY = toPublicKey(platform.publicKey);
const NOW_MS = 1_700_000_000_000;
const NOW_S = String(NOW_MS / 1000);
const now = () => NOW_MS;
/** The gateway's header for `raw`, signed at NOW. */
const algovoiHeader = (raw: string | Uint8Array) =>
  signAlgoVoiWebhook(raw, GATEWAY_SECRET, { timestamp: NOW_MS / 1000 });

/** Codes a delivery can earn before (or instead of) a verified signature. */
const REJECTED: ReadonlySet<TtpayErrorCode> = new Set([
  'MISSING_SIGNATURE',
  'SIGNATURE_MISMATCH',
  'MALFORMED_BODY',
  'MALFORMED_HEADER',
  'MISSING_FIELD',
  'TIMESTAMP_OUT_OF_RANGE',
]);
/** Codes a correctly signed delivery can still earn: its content is unusable. */
const UNUSABLE: ReadonlySet<TtpayErrorCode> = new Set([
  'MALFORMED_BODY',
  'MISSING_FIELD',
  'UNKNOWN_EVENT_TYPE',
]);

type Outcome = { event: TtpayEvent } | { code: TtpayErrorCode };

/** Runs a verifier; anything thrown that is not a TtpayError fails the property. */
function outcome(verify: () => TtpayEvent): Outcome {
  try {
    return { event: verify() };
  } catch (error) {
    if (isTtpayError(error)) return { code: error.code as TtpayErrorCode };
    throw new Error(`not a TtpayError: ${String(error)}`, { cause: error });
  }
}

function expectRejected(o: Outcome): void {
  expect('code' in o && REJECTED.has(o.code), JSON.stringify(o).slice(0, 200)).toBe(true);
}

const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const b64 = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('base64'));
/** A header value as Node hands it over (`headersDistinct`): absent, one value, or repeated. */
const headerValues = (value: fc.Arbitrary<string>) =>
  fc.oneof(fc.constant(undefined), value, fc.array(value, { minLength: 0, maxLength: 3 }));
const signatureText = fc.oneof(
  fc.string({ maxLength: 80 }),
  hex(20),
  hex(32),
  b64(32),
  b64(256),
  fc.constant(''),
);

describe('unsigned hostile input is refused with a documented code (300 runs per verifier)', () => {
  it('ecpay: any body', () => {
    fc.assert(
      fc.property(hostileBody, (body) => {
        expectRejected(outcome(() => verifyEcpayCallback({ rawBody: body }, { token: TOKEN })));
      }),
      { numRuns: 300 },
    );
  });

  it('ecpay: hostile fields with a guessed msg_signature', () => {
    fc.assert(
      fc.property(hostileJsonText, hostileJsonText, hostileJsonText, signatureText, (ts, nonce, msg, sig) => {
        const body = `{"timestamp":${ts},"nonce":${nonce},"msg":${msg},"msg_signature":${JSON.stringify(sig)},"type":"payment"}`;
        expectRejected(outcome(() => verifyEcpayCallback({ rawBody: body }, { token: TOKEN })));
      }),
      { numRuns: 300 },
    );
  });

  it('trade system: any body and any Byte-* headers, repeated or not', () => {
    const headers = fc.record(
      {
        'byte-signature': headerValues(signatureText),
        'byte-timestamp': headerValues(
          fc.oneof(fc.constant(NOW_S), fc.string({ maxLength: 14 }), hugeNumberText),
        ),
        'byte-nonce-str': headerValues(fc.string({ maxLength: 20 })),
        'byte-logid': headerValues(fc.string({ maxLength: 20 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(hostileBody, headers, (body, h) => {
        expectRejected(
          outcome(() =>
            verifyTradeCallback({ headers: h, rawBody: body }, { publicKey: PUBLIC_KEY, now: () => NOW_MS }),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('TikTok Shop: any body, any Authorization', () => {
    fc.assert(
      fc.property(hostileBody, fc.option(signatureText, { nil: undefined }), (body, signature) => {
        expectRejected(
          outcome(() =>
            verifyTikTokWebhook(
              { rawBody: body, headers: { authorization: signature } },
              { appKey: APP_KEY, appSecret: APP_SECRET },
            ),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('TikTok Shop: the seed adapter’s body-only HMAC is refused', () => {
    fc.assert(
      fc.property(hostileBody, (body) => {
        const bodyOnly = createHmac('sha256', APP_SECRET).update(body).digest('hex');
        expectRejected(
          outcome(() =>
            verifyTikTokWebhook(
              { rawBody: body, headers: { authorization: bodyOnly } },
              { appKey: APP_KEY, appSecret: APP_SECRET },
            ),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('AlgoVoi: any body, any X-AlgoVoi-Signature', () => {
    fc.assert(
      fc.property(hostileBody, headerValues(signatureText), (body, signature) => {
        const headers = { 'x-algovoi-signature': signature };
        expectRejected(
          outcome(() => verifyAlgoVoiWebhook({ rawBody: body, headers }, { secret: GATEWAY_SECRET, now })),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('correctly signed hostile content: an event, or MALFORMED_BODY / MISSING_FIELD (200 runs per verifier)', () => {
  function expectEventOrUnusable(o: Outcome): TtpayEvent | undefined {
    if ('code' in o) {
      expect(UNUSABLE.has(o.code), o.code).toBe(true);
      return undefined;
    }
    expect(o.event.key.length).toBeGreaterThan(0);
    return o.event;
  }

  it('ecpay: hostile msg, type and extra fields; amounts are safe integers when an event comes out', () => {
    const stringish = fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => ({ json: JSON.stringify(s), signed: s })),
      fc.integer().map((n) => ({ json: String(n), signed: String(n) })),
    );
    const msg = fc.oneof(
      hostileJsonObjectText,
      hostileJsonText,
      withFieldsLast(
        '"cp_orderno":"o1","cp_refundno":"r1","cp_settle_no":"s1","status":"SUCCESS","total_amount":9900',
      ),
      fc
        .tuple(hugeNumberText, fc.constantFrom('payment', 'refund', 'settle'))
        .map(
          ([n]) =>
            `{"cp_orderno":"o1","cp_refundno":"r1","cp_settle_no":"s1","status":"SUCCESS","total_amount":${n}}`,
        ),
    );
    fc.assert(
      fc.property(
        stringish,
        stringish,
        msg,
        fc.oneof(fc.constantFrom('payment', 'refund', 'settle', 'withdraw', ''), fc.string({ maxLength: 8 })),
        hostileJsonObjectText,
        (ts, nonce, m, type, extra) => {
          const signature = signEcpayCallback({
            token: TOKEN,
            timestamp: ts.signed,
            nonce: nonce.signed,
            msg: m,
          });
          const fields = `"timestamp":${ts.json},"nonce":${nonce.json},"msg":${JSON.stringify(m)},"msg_signature":"${signature}","type":${JSON.stringify(type)}`;
          // hostile extra fields first: JSON.parse keeps the last of a repeated key, so ours win.
          const body = `${extra.slice(0, -1)}${extra.length > 2 ? ',' : ''}${fields}}`;
          const event = expectEventOrUnusable(
            outcome(() => verifyEcpayCallback({ rawBody: body }, { token: TOKEN })),
          );
          if (event?.platform === 'douyin' && event.system === 'ecpay') {
            expect(event.rawMsg).toBe(m);
            if (event.type === 'payment') expect(Number.isSafeInteger(event.msg.total_amount)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('trade system: any body signed with the platform key', () => {
    const body = fc.oneof(
      hostileBody,
      hostileJsonObjectText.map((t) => Buffer.from(t)),
      fc
        .tuple(
          fc.constantFrom('payment', 'refund', 'settle', 'x'),
          withFieldsLast('"out_order_no":"o","out_refund_no":"r","status":"SUCCESS","total_amount":1'),
        )
        .chain(([type, msg]) =>
          withFieldsLast(`"msg":${JSON.stringify(msg)},"type":"${type}","version":"3.0"`),
        )
        .map((t) => Buffer.from(t)),
      fc
        .tuple(hostileJsonText, fc.constantFrom('payment', 'refund', 'settle', 'x'), hugeNumberText)
        .map(([m, type, n]) =>
          Buffer.from(
            JSON.stringify({
              msg: `{"out_order_no":"o","status":"SUCCESS","total_amount":${n},"x":${m}}`,
              type,
              version: '3.0',
            }),
          ),
        ),
    );
    fc.assert(
      fc.property(body, fc.string({ minLength: 1, maxLength: 16 }), (raw, nonce) => {
        const signature = signTradeCallback({ timestamp: NOW_S, nonce, rawBody: raw }, platform.privateKey);
        const headers = { 'byte-signature': signature, 'byte-timestamp': NOW_S, 'byte-nonce-str': nonce };
        const o = outcome(() =>
          verifyTradeCallback({ headers, rawBody: raw }, { publicKey: PUBLIC_KEY, now: () => NOW_MS }),
        );
        const event = expectEventOrUnusable(o);
        if (event?.platform === 'douyin' && event.type === 'payment') {
          expect(Number.isSafeInteger(event.msg.total_amount)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('TikTok Shop: any body signed with app_key + body; type is a safe integer, key is the notification id', () => {
    const body = fc.oneof(
      hostileBody,
      fc
        .tuple(hugeNumberText, hugeNumberText, hostileJsonText)
        .map(([type, id, data]) =>
          Buffer.from(`{"type":${type},"tts_notification_id":${id},"data":${data}}`),
        ),
      fc
        .tuple(
          fc.oneof(fc.integer(), fc.constantFrom(1, 11, 12, 99)),
          fc.oneof(fc.string(), fc.nat()),
          hostileJsonObjectText,
        )
        .chain(([type, id, data]) =>
          withFieldsLast(`"type":${type},"tts_notification_id":${JSON.stringify(id)},"data":${data}`),
        )
        .map((t) => Buffer.from(t)),
    );
    fc.assert(
      fc.property(body, (raw) => {
        const signature = signTikTokWebhook(raw, { appKey: APP_KEY, appSecret: APP_SECRET });
        const event = expectEventOrUnusable(
          outcome(() =>
            verifyTikTokWebhook(
              { rawBody: raw, headers: { authorization: signature } },
              { appKey: APP_KEY, appSecret: APP_SECRET },
            ),
          ),
        );
        if (event?.platform === 'tiktok') {
          expect(Number.isSafeInteger(event.type)).toBe(true);
          expect(event.key).toBe(`tiktok:${event.tts_notification_id}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('AlgoVoi: any body signed with the webhook secret', () => {
    fc.assert(
      fc.property(hostileBody, (raw) => {
        const headers = { 'x-algovoi-signature': algovoiHeader(raw) };
        expectEventOrUnusable(
          outcome(() => verifyAlgoVoiWebhook({ rawBody: raw, headers }, { secret: GATEWAY_SECRET, now })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('invalid UTF-8 in a correctly signed body is MALFORMED_BODY, never decoded as U+FFFD', () => {
    fc.assert(
      fc.property(withInvalidUtf8(hostileJsonObjectText), (raw) => {
        const tiktok = signTikTokWebhook(raw, { appKey: APP_KEY, appSecret: APP_SECRET });
        expect(
          outcome(() =>
            verifyTikTokWebhook(
              { rawBody: raw, headers: { authorization: tiktok } },
              { appKey: APP_KEY, appSecret: APP_SECRET },
            ),
          ),
        ).toEqual({ code: 'MALFORMED_BODY' });
        const headers = { 'x-algovoi-signature': algovoiHeader(raw) };
        expect(
          outcome(() => verifyAlgoVoiWebhook({ rawBody: raw, headers }, { secret: GATEWAY_SECRET, now })),
        ).toEqual({
          code: 'MALFORMED_BODY',
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('body bombs', () => {
  const DEPTH = 100_000;
  const bombs = {
    'nested arrays': deeplyNested(DEPTH, 'array'),
    'nested objects': deeplyNested(DEPTH, 'object'),
  };

  it.each(Object.entries(bombs))(
    '%s (100k deep) are refused unsigned and parsed when signed, without a stack overflow',
    (_, bomb) => {
      const started = Date.now();
      expectRejected(outcome(() => verifyEcpayCallback(bomb, { token: TOKEN })));
      expectRejected(
        outcome(() =>
          verifyTikTokWebhook(
            { rawBody: bomb, headers: { authorization: 'x' } },
            { appKey: APP_KEY, appSecret: APP_SECRET },
          ),
        ),
      );
      // Signed, as the payload's data: verified, parsed, and handed over (or refused as unusable).
      const tiktokBody = `{"type":1,"tts_notification_id":"n1","data":{"order_id":"o1","order_status":"UNPAID","deep":${bomb}}}`;
      const tiktok = outcome(() =>
        verifyTikTokWebhook(
          {
            rawBody: tiktokBody,
            headers: {
              authorization: signTikTokWebhook(tiktokBody, { appKey: APP_KEY, appSecret: APP_SECRET }),
            },
          },
          { appKey: APP_KEY, appSecret: APP_SECRET },
        ),
      );
      expect('event' in tiktok && tiktok.event.key).toBe('tiktok:n1');
      const msg = `{"cp_orderno":"o1","status":"SUCCESS","total_amount":1,"deep":${bomb}}`;
      const ecpayBody = JSON.stringify({
        timestamp: NOW_S,
        nonce: 'n',
        msg,
        msg_signature: signEcpayCallback({ token: TOKEN, timestamp: NOW_S, nonce: 'n', msg }),
        type: 'payment',
      });
      const ecpay = outcome(() => verifyEcpayCallback({ rawBody: ecpayBody }, { token: TOKEN }));
      expect('event' in ecpay && ecpay.event.key).toBe('douyin:ecpay:payment:o1:SUCCESS');
      const algovoi = outcome(() =>
        verifyAlgoVoiWebhook(
          { rawBody: bomb, headers: { 'x-algovoi-signature': algovoiHeader(bomb) } },
          { secret: GATEWAY_SECRET, now },
        ),
      );
      // Parsed without a stack overflow; an object with no known `type` is then refused as such.
      if ('code' in algovoi) expect(['MALFORMED_BODY', 'UNKNOWN_EVENT_TYPE']).toContain(algovoi.code);
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );
});

describe('huge numbers in signed deliveries never become amounts or keys', () => {
  it.each([
    ['1e309', 'MALFORMED_BODY'],
    ['18446744073709551616', 'MALFORMED_BODY'],
    ['9007199254740993', 'MALFORMED_BODY'],
    ['-1e309', 'MALFORMED_BODY'],
  ])('total_amount %s → %s; tts_notification_id and type too', (n, code) => {
    const msg = `{"cp_orderno":"o1","status":"SUCCESS","total_amount":${n}}`;
    const body = JSON.stringify({
      timestamp: NOW_S,
      nonce: 'n',
      msg,
      msg_signature: signEcpayCallback({ token: TOKEN, timestamp: NOW_S, nonce: 'n', msg }),
      type: 'payment',
    });
    expect(outcome(() => verifyEcpayCallback({ rawBody: body }, { token: TOKEN }))).toEqual({ code });
    for (const tiktokBody of [
      `{"type":1,"tts_notification_id":${n},"data":{"order_id":"o","order_status":"UNPAID"}}`,
      `{"type":${n},"tts_notification_id":"n1","data":{"order_id":"o","order_status":"UNPAID"}}`,
    ]) {
      const signature = signTikTokWebhook(tiktokBody, { appKey: APP_KEY, appSecret: APP_SECRET });
      expect(
        outcome(() =>
          verifyTikTokWebhook(
            { rawBody: tiktokBody, headers: { authorization: signature } },
            { appKey: APP_KEY, appSecret: APP_SECRET },
          ),
        ),
      ).toEqual({ code });
    }
  });
});
