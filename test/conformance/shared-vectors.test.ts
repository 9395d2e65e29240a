import {
  buildByteAuthorization,
  signEcpayCallback,
  signEcpayRequest,
  signTikTokRequest,
  signTikTokWebhook,
  signTradeRequest,
  TtpayError,
  toPrivateKey,
  toPublicKey,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '@ttpay/core';
import { parseByteAuthorization } from '@ttpay/core/internal';
import { describe, expect, it } from 'vitest';
import { loadVectors, vectorKey } from '../vectors/load.js';

// Every line of every vector file runs here (STYLE.md: one conformance test runs them all).
const ecpay = loadVectors('douyin-ecpay.jsonl');
const trade = loadVectors('douyin-trade.jsonl');
const tiktok = loadVectors('tiktok-shop.jsonl');

const label = (v: Record<string, unknown>, i: number) =>
  `${i + 1}${v.source ? ` (${String(v.source).slice(0, 60)})` : ''}`;

describe('douyin-ecpay.jsonl', () => {
  it('has request and callback vectors', () => {
    expect(ecpay.filter((v) => v.kind === 'request').length).toBeGreaterThan(100);
    expect(ecpay.filter((v) => v.kind === 'callback').length).toBeGreaterThan(50);
  });

  it.each(ecpay.map((v, i) => [label(v, i), v] as const))('line %s', (_label, v) => {
    if (v.kind === 'request') {
      expect(signEcpayRequest(v.params as Record<string, unknown>, v.salt as string)).toBe(v.expected);
    } else {
      expect(v.kind).toBe('callback');
      const fields = { token: v.token, timestamp: v.timestamp, nonce: v.nonce, msg: v.msg } as Record<
        string,
        string
      >;
      expect(signEcpayCallback(fields as never)).toBe(v.expected);
      if (v.body) {
        const event = verifyEcpayCallback({ rawBody: JSON.stringify(v.body) }, { token: v.token as string });
        expect(event.rawMsg).toBe(v.msg);
      }
    }
  });
});

describe('douyin-trade.jsonl', () => {
  const appPrivate = toPrivateKey(vectorKey('app_private'));
  const platformPublic = toPublicKey(vectorKey('platform_public'));

  it('has request and callback vectors, valid and invalid', () => {
    expect(trade.filter((v) => v.kind === 'trade-request').length).toBeGreaterThan(20);
    expect(
      trade.filter((v) => v.kind === 'trade-callback' && v.expectedValid === true).length,
    ).toBeGreaterThan(10);
    expect(
      trade.filter((v) => v.kind === 'trade-callback' && v.expectedValid === false).length,
    ).toBeGreaterThan(10);
  });

  it.each(trade.map((v, i) => [label(v, i), v] as const))('line %s', (_label, v) => {
    if (v.kind === 'trade-request') {
      const r = {
        method: v.method as string,
        uri: v.uri as string,
        timestamp: v.timestamp as string,
        nonce: v.nonce as string,
        body: v.body as string,
      };
      expect(signTradeRequest(r, appPrivate)).toBe(v.expected);
      const header = buildByteAuthorization(
        { ...r, appId: v.appId as string, keyVersion: v.keyVersion as string },
        appPrivate,
      );
      expect(header).toBe(v.expectedHeader);
      expect(parseByteAuthorization(header).signature).toBe(v.expected);
    } else {
      expect(v.kind).toBe('trade-callback');
      const headers = v.headers as Record<string, string>;
      const ts = Number(headers['Byte-Timestamp'] ?? Number.NaN);
      const run = () =>
        verifyTradeCallback(
          { headers, rawBody: v.rawBody as string },
          { publicKey: platformPublic, now: () => (Number.isFinite(ts) ? ts * 1000 : Date.now()) },
        );
      if (v.expectedValid) {
        expect(run().platform).toBe('douyin');
      } else {
        expect(run).toThrow(TtpayError);
      }
    }
  });
});

describe('tiktok-shop.jsonl', () => {
  it.each(tiktok.map((v, i) => [label(v, i), v] as const))('line %s', (_label, v) => {
    if (v.kind === 'tiktok-webhook') {
      const c = { appKey: v.appKey as string, appSecret: v.appSecret as string };
      expect(signTikTokWebhook(v.rawBody as string, c)).toBe(v.expected);
      expect(
        verifyTikTokWebhook(
          { rawBody: v.rawBody as string, headers: { authorization: v.expected as string } },
          c,
        ).platform,
      ).toBe('tiktok');
    } else {
      expect(v.kind).toBe('tiktok-request');
      const r = {
        path: v.path as string,
        query: v.query as Record<string, string>,
        ...(v.body ? { body: v.body as string } : {}),
      };
      expect(signTikTokRequest(r, v.appSecret as string)).toBe(v.expected);
    }
  });
});
