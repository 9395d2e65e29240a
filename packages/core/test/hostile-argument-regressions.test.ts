import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildByteAuthorization,
  signAlgoVoiWebhook,
  signEcpayCallback,
  signEcpayRequest,
  signTikTokRequest,
  signTikTokWebhook,
  signTradeCallback,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '../src/index.js';
import { codeOf } from './support/error-code.js';

// Each case was found by the hardening fuzz suites; each was a TypeError/RangeError or a silent
// mis-signature before the fix. Everything hostile must be a TtpayError with a stable code.

describe('signer arguments', () => {
  it('a deeply nested value is INVALID_ARGUMENT, not a RangeError', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(codeOf(() => signEcpayRequest({ a: deep }, 's'))).toBe('INVALID_ARGUMENT');
  });

  it('a cyclic value is INVALID_ARGUMENT, not a RangeError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(codeOf(() => signEcpayRequest({ a: cyclic }, 's'))).toBe('INVALID_ARGUMENT');
  });

  it('a Map, Date or class instance as params is refused instead of signing the salt alone', () => {
    expect(codeOf(() => signEcpayRequest(new Map([['out_order_no', 'o1']]) as never, 's'))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => signEcpayRequest(new Date() as never, 's'))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => signEcpayRequest(new (class Params {})() as never, 's'))).toBe('INVALID_ARGUMENT');
    expect(signEcpayRequest(Object.assign(Object.create(null), { a: 'x' }), 's')).toBe(
      signEcpayRequest({ a: 'x' }, 's'),
    );
  });

  it('a null-prototype keyVersion or query value is INVALID_ARGUMENT, not a TypeError', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const r = {
      method: 'POST',
      uri: '/x',
      timestamp: 1,
      nonce: 'n',
      appId: 'a',
      keyVersion: Object.create(null),
    };
    expect(codeOf(() => buildByteAuthorization(r, privateKey))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => signTikTokRequest({ path: '/a', query: { a: Object.create(null) } }, 's'))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('an object query value is refused instead of being signed as "[object Object]"', () => {
    expect(codeOf(() => signTikTokRequest({ path: '/a', query: { a: { b: 1 } as never } }, 's'))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('verifier inputs', () => {
  it('a TikTok timestamp object with a bogus toString is read as 0, not a TypeError', () => {
    const body =
      '{"type":1,"tts_notification_id":"n1","timestamp":{"toString":1},"data":{"order_id":"o","order_status":"UNPAID"}}';
    const c = { appKey: 'k', appSecret: 's' };
    expect(
      verifyTikTokWebhook({ rawBody: body, headers: { authorization: signTikTokWebhook(body, c) } }, c)
        .timestamp,
    ).toBe(0);
  });

  it('AlgoVoi: an event id that is a number, however large, is refused (it could collide once printed)', () => {
    const a = '{"id":18446744073709551616,"type":"payment.confirmed","data":{}}';
    const sign = (raw: string) => ({ 'x-algovoi-signature': signAlgoVoiWebhook(raw, 's') });
    expect(() => verifyAlgoVoiWebhook({ rawBody: a, headers: sign(a) }, { secret: 's' })).toThrow(
      expect.objectContaining({ code: 'MISSING_FIELD' }),
    );
  });

  it('a relabelled ecpay type cannot mint new idempotency keys (type is unsigned)', () => {
    const msg = '{"anything":1}';
    const sig = signEcpayCallback({ token: 't', timestamp: '1', nonce: '2', msg });
    const key = (type: string) =>
      verifyEcpayCallback(
        { rawBody: JSON.stringify({ timestamp: '1', nonce: '2', msg, msg_signature: sig, type }) },
        {
          token: 't',
        },
      ).key;
    expect(key('x1')).toBe(key('x2'));
    expect(key('x1')).toMatch(/^douyin:ecpay:other:/);
  });

  it('maxAgeSeconds NaN is INVALID_ARGUMENT, not a silently disabled check', () => {
    const msg = '{"cp_orderno":"o","status":"SUCCESS","total_amount":1}';
    const body = JSON.stringify({
      timestamp: '1',
      nonce: '2',
      msg,
      msg_signature: signEcpayCallback({ token: 't', timestamp: '1', nonce: '2', msg }),
      type: 'payment',
    });
    expect(
      codeOf(() => verifyEcpayCallback({ rawBody: body }, { token: 't', maxAgeSeconds: Number.NaN })),
    ).toBe('INVALID_ARGUMENT');
  });

  it('a Byte-Nonce-Str with a newline is MALFORMED_HEADER (the signed string is newline-separated)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rawBody = '{"msg":"{}","type":"payment","version":"3.0"}';
    const nonce = 'a\nb';
    const headers = {
      'byte-timestamp': '100',
      'byte-nonce-str': nonce,
      'byte-signature': signTradeCallback({ timestamp: 100, nonce, rawBody }, privateKey),
    };
    expect(codeOf(() => verifyTradeCallback({ headers, rawBody }, { publicKey, now: () => 100_000 }))).toBe(
      'MALFORMED_HEADER',
    );
    expect(
      codeOf(() =>
        verifyTradeCallback(
          { headers: { ...headers, 'byte-nonce-str': 'ab' }, rawBody },
          { publicKey, now: () => 100_000, toleranceSeconds: Number.NaN },
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
  });
});
