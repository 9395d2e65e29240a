import {
  type TtpayError,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '@ttpay/core';
import { describe, expect, it } from 'vitest';
import {
  bodyOnlySignedTikTokWebhook,
  demoCredentials,
  reserialised,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  tampered,
  truncated,
  withBadSignature,
  withoutSignature,
} from '../src/index.js';

const { douyin, tiktok, algovoi } = demoCredentials;
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as TtpayError).code;
  }
  return 'NO_ERROR';
};

describe('fixtures are signed so that @ttpay/core verifies them', () => {
  it.each(['payment', 'refund', 'settle'] as const)('ecpay %s', (type) => {
    const d = signedEcpayCallback({ type, msg: { cp_extra: 'x' } });
    const event = verifyEcpayCallback({ rawBody: d.body }, { token: douyin.token });
    expect(event.type).toBe(type);
    expect(event.msg.cp_extra).toBe('x');
  });

  it.each(['payment', 'refund', 'settle'] as const)('trade %s', (type) => {
    const d = signedTradeCallback({ type });
    const event = verifyTradeCallback(
      { headers: d.headers, rawBody: d.body },
      { publicKey: douyin.platformPublicKey },
    );
    expect(event.type).toBe(type);
    expect(event.version).toBe('3.0');
  });

  it.each([1, 3, 4, 11, 12])('tiktok type %i', (type) => {
    const d = signedTikTokWebhook({ type });
    const event = verifyTikTokWebhook(
      { rawBody: d.body, headers: { authorization: d.headers.authorization } },
      tiktok,
    );
    expect(event.type).toBe(type);
  });

  it('algovoi: the published t=,v1=,v2= header and {id, type, data}', () => {
    const d = signedAlgoVoiWebhook({ id: 'evt_1', data: { payment_link_token: 'tok_1' } });
    expect(d.headers['x-algovoi-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64},v2=[0-9a-f]{96}$/);
    const event = verifyAlgoVoiWebhook(
      { rawBody: d.body, headers: d.headers },
      { secret: algovoi.webhookSecret },
    );
    expect(event).toMatchObject({ key: 'algovoi:evt_1', type: 'payment.confirmed' });
    expect(event.data).toMatchObject({ payment_link_token: 'tok_1', tx_id: expect.any(String) });
  });

  it('algovoi: the seed scheme only when both sides ask for it', () => {
    const d = signedAlgoVoiWebhook({ scheme: 'seed' });
    const verify = (seedBodySignature: boolean) => () =>
      verifyAlgoVoiWebhook(
        { rawBody: d.body, headers: d.headers },
        { secret: algovoi.webhookSecret, seedBodySignature },
      );
    expect(verify(true)().platform).toBe('algovoi');
    expect(verify(false)).toThrow(expect.objectContaining({ code: 'MALFORMED_HEADER' }));
  });
});

describe('broken variants are rejected with the right code', () => {
  it('bad, missing, tampered, truncated and re-serialised ecpay callbacks', () => {
    const d = signedEcpayCallback({ type: 'payment' });
    const verify = (x: typeof d) => () => verifyEcpayCallback({ rawBody: x.body }, { token: douyin.token });
    expect(code(verify(withBadSignature(d)))).toBe('SIGNATURE_MISMATCH');
    expect(code(verify(withoutSignature(d)))).toBe('MISSING_SIGNATURE');
    expect(code(verify(truncated(d)))).toBe('MALFORMED_BODY');
  });

  it('stale and tampered trade callbacks', () => {
    // 74 h: past the 73 h default window (docs/PROTOCOLS.md §2.3).
    const stale = signedTradeCallback({
      type: 'payment',
      timestamp: Math.floor(Date.now() / 1000) - 74 * 3600,
    });
    const verify = (x: typeof stale) => () =>
      verifyTradeCallback({ headers: x.headers, rawBody: x.body }, { publicKey: douyin.platformPublicKey });
    expect(code(verify(stale))).toBe('TIMESTAMP_OUT_OF_RANGE');
    expect(code(verify(tampered(signedTradeCallback({ type: 'refund' }))))).toBe('SIGNATURE_MISMATCH');
    expect(code(verify(reserialised(signedTradeCallback({ type: 'refund' }))))).toBe('SIGNATURE_MISMATCH');
  });

  it("the seed adapter's body-only TikTok HMAC", () => {
    const d = bodyOnlySignedTikTokWebhook({ type: 1 });
    expect(
      code(() =>
        verifyTikTokWebhook({ rawBody: d.body, headers: { authorization: d.headers.authorization } }, tiktok),
      ),
    ).toBe('SIGNATURE_MISMATCH');
  });
});
