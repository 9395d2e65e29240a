import {
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '@ttpay/core';
import {
  demoCredentials,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
} from '@ttpay/testing';
import { describe, expect, it } from 'vitest';
import { breakDelivery, canBreak, STALE_BY_SECONDS } from '../src/simulator/dashboard/break-delivery.js';
import { resolveOptions } from '../src/simulator/resolve-options.js';

const credentials = resolveOptions();
const { douyin, tiktok, algovoi } = demoCredentials;
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('breakDelivery', () => {
  it('bad-signature: every scheme fails verification with SIGNATURE_MISMATCH', () => {
    const ecpay = breakDelivery(
      signedEcpayCallback({ type: 'payment' }),
      'ecpay',
      'bad-signature',
      credentials,
    );
    expect(() => verifyEcpayCallback({ rawBody: ecpay.body }, { token: douyin.token })).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_MISMATCH' }),
    );
    const trade = breakDelivery(
      signedTradeCallback({ type: 'payment' }),
      'trade',
      'bad-signature',
      credentials,
    );
    expect(() =>
      verifyTradeCallback(
        { headers: trade.headers, rawBody: trade.body },
        { publicKey: douyin.platformPublicKey },
      ),
    ).toThrow(expect.objectContaining({ code: 'SIGNATURE_MISMATCH' }));
    const tt = breakDelivery(signedTikTokWebhook(), 'tiktok', 'bad-signature', credentials);
    expect(() =>
      verifyTikTokWebhook({ rawBody: tt.body, headers: { authorization: tt.headers.authorization } }, tiktok),
    ).toThrow(expect.objectContaining({ code: 'SIGNATURE_MISMATCH' }));
    const av = breakDelivery(signedAlgoVoiWebhook(), 'algovoi', 'bad-signature', credentials);
    expect(() =>
      verifyAlgoVoiWebhook({ rawBody: av.body, headers: av.headers }, { secret: algovoi.webhookSecret }),
    ).toThrow(expect.objectContaining({ code: 'SIGNATURE_MISMATCH' }));
  });

  it('stale-timestamp: correctly re-signed 74 hours back, so only a clock check refuses it', () => {
    const staleAt = nowSeconds() - STALE_BY_SECONDS;

    const ecpay = breakDelivery(
      signedEcpayCallback({ type: 'payment' }),
      'ecpay',
      'stale-timestamp',
      credentials,
    );
    expect(Number(JSON.parse(ecpay.rawBody).timestamp)).toBeLessThanOrEqual(staleAt);
    expect(verifyEcpayCallback({ rawBody: ecpay.body }, { token: douyin.token }).type).toBe('payment');
    expect(() =>
      verifyEcpayCallback({ rawBody: ecpay.body }, { token: douyin.token, maxAgeSeconds: 300 }),
    ).toThrow(expect.objectContaining({ code: 'TIMESTAMP_OUT_OF_RANGE' }));

    const original = signedTradeCallback({ type: 'payment' });
    const trade = breakDelivery(original, 'trade', 'stale-timestamp', credentials);
    expect(trade.rawBody).toBe(original.rawBody);
    const verify = (now: number) =>
      verifyTradeCallback(
        { headers: trade.headers, rawBody: trade.body },
        { publicKey: douyin.platformPublicKey, now: () => now },
      );
    expect(() => verify(Date.now())).toThrow(expect.objectContaining({ code: 'TIMESTAMP_OUT_OF_RANGE' }));
    expect(verify(Number(trade.headers['byte-timestamp']) * 1000).type).toBe('payment');

    const tt = breakDelivery(signedTikTokWebhook({ type: 1 }), 'tiktok', 'stale-timestamp', credentials);
    expect(JSON.parse(tt.rawBody).timestamp).toBeLessThanOrEqual(staleAt);
    expect(
      verifyTikTokWebhook({ rawBody: tt.body, headers: { authorization: tt.headers.authorization } }, tiktok)
        .type,
    ).toBe(1);
  });

  it('AlgoVoi: the published header carries t=, so stale is offered: re-signed an hour back, refused as stale', () => {
    expect(canBreak('algovoi', 'stale-timestamp')).toBe(true);
    const original = signedAlgoVoiWebhook();
    const av = breakDelivery(original, 'algovoi', 'stale-timestamp', credentials);
    expect(av.rawBody).toBe(original.rawBody);
    const verify = (now: number) =>
      verifyAlgoVoiWebhook(
        { rawBody: av.body, headers: av.headers },
        { secret: algovoi.webhookSecret, now: () => now },
      );
    expect(() => verify(Date.now())).toThrow(expect.objectContaining({ code: 'TIMESTAMP_OUT_OF_RANGE' }));
    const t = Number(/^t=(\d+),/.exec(String(av.headers['x-algovoi-signature']))?.[1]);
    expect(t).toBeLessThanOrEqual(nowSeconds() - STALE_BY_SECONDS);
    expect(verify(t * 1000).type).toBe('payment.confirmed');
  });
});
