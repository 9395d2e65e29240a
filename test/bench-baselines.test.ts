/**
 * `pnpm bench` compares @ttpay/core with naive ports of the seed's algorithms (bench/naive) and with
 * bare primitives. The comparison is only fair if every side computes the same thing: this checks
 * outputs, never timings.
 */
import {
  buildByteAuthorization,
  signAlgoVoiWebhook,
  signEcpayCallback,
  signEcpayRequest,
  signTikTokRequest,
  signTikTokWebhook,
  signTradeRequest,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '@ttpay/core';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BENCH_TOKEN, COMPARED, createApp } from '../bench/http/apps.js';
import { signedCallbackBodies } from '../bench/http/bodies.js';
import { algovoiGroups } from '../bench/micro/algovoi.js';
import { ecpayGroups } from '../bench/micro/ecpay.js';
import { tiktokGroups } from '../bench/micro/tiktok.js';
import { tradeGroups } from '../bench/micro/trade.js';
import { naiveSignAlgoVoiWebhook, naiveVerifyAlgoVoiWebhook } from '../bench/naive/algovoi.js';
import {
  naiveSignEcpayCallback,
  naiveSignEcpayRequest,
  naiveVerifyEcpayCallback,
} from '../bench/naive/ecpay.js';
import {
  naiveSignTikTokRequest,
  naiveSignTikTokWebhook,
  naiveVerifyTikTokWebhook,
} from '../bench/naive/tiktok.js';
import {
  naiveByteAuthorization,
  naiveSignTradeRequest,
  naiveVerifyTradeCallback,
} from '../bench/naive/trade.js';
import {
  algovoiWebhook,
  ecpayCallback,
  ecpayCallbackBody,
  ecpayRequest,
  tiktokRequest,
  tiktokWebhook,
  tradeCallback,
  tradeKeys,
  tradeRequest,
} from '../bench/sample-inputs.js';

describe('the naive baselines sign the sample inputs exactly as @ttpay/core does', () => {
  const keys = tradeKeys();

  it('ecpay request: the Go demo test vector', () => {
    const { params, salt, expected } = ecpayRequest;
    expect(signEcpayRequest(params, salt)).toBe(expected);
    expect(naiveSignEcpayRequest(params, salt)).toBe(expected);
  });

  it('ecpay callback: sign and verify', () => {
    expect(signEcpayCallback(ecpayCallback)).toBe(ecpayCallback.expected);
    expect(naiveSignEcpayCallback(ecpayCallback)).toBe(ecpayCallback.expected);
    const ours = verifyEcpayCallback({ rawBody: ecpayCallbackBody }, { token: ecpayCallback.token });
    const naive = naiveVerifyEcpayCallback(ecpayCallbackBody, ecpayCallback.token);
    expect(naive.msg).toEqual(ours.msg);
  });

  it('trade system: request signature, Byte-Authorization and callback verification', () => {
    expect(naiveSignTradeRequest(tradeRequest, keys.appPrivatePem)).toBe(
      signTradeRequest(tradeRequest, keys.appPrivate),
    );
    expect(naiveByteAuthorization(tradeRequest, keys.appPrivatePem)).toBe(
      buildByteAuthorization(tradeRequest, keys.appPrivate),
    );
    const { headers, rawBody, nowMs } = tradeCallback();
    const ours = verifyTradeCallback(
      { headers, rawBody },
      { publicKey: keys.platformPublic, now: () => nowMs },
    );
    const naive = naiveVerifyTradeCallback(headers, rawBody, keys.platformPublicPem, nowMs);
    expect(naive.msg).toEqual(ours.msg);
  });

  it('TikTok Shop: webhook (the published example) and API request', () => {
    const { appKey, appSecret, rawBody, expected } = tiktokWebhook;
    expect(signTikTokWebhook(rawBody, { appKey, appSecret })).toBe(expected);
    expect(naiveSignTikTokWebhook(rawBody, appKey, appSecret)).toBe(expected);
    const ours = verifyTikTokWebhook(
      { rawBody, headers: { authorization: expected } },
      { appKey, appSecret },
    );
    expect(naiveVerifyTikTokWebhook(rawBody, expected, appKey, appSecret).data).toEqual(ours.data);
    const { path, query, body } = tiktokRequest;
    expect(naiveSignTikTokRequest(path, query, body, tiktokRequest.appSecret)).toBe(
      signTikTokRequest({ path, query, body }, tiktokRequest.appSecret),
    );
  });

  it('AlgoVoi webhook', () => {
    const { rawBody, secret, timestamp } = algovoiWebhook;
    const header = signAlgoVoiWebhook(rawBody, secret, { timestamp });
    expect(naiveSignAlgoVoiWebhook(rawBody, secret, timestamp)).toBe(header);
    const ours = verifyAlgoVoiWebhook(
      { rawBody, headers: { 'x-algovoi-signature': header } },
      { secret, now: () => timestamp * 1000 },
    );
    expect(naiveVerifyAlgoVoiWebhook(rawBody, header, secret, timestamp)).toEqual(ours.payload);
  });
});

describe('every micro benchmark group', () => {
  const groups = [...ecpayGroups(), ...tradeGroups(), ...tiktokGroups(), ...algovoiGroups()];

  it('covers every sign/verify function of @ttpay/core once', () => {
    expect(groups.map((g) => g.fn)).toEqual([
      'signEcpayRequest',
      'signEcpayCallback',
      'verifyEcpayCallback',
      'signTradeRequest',
      'buildByteAuthorization',
      'verifyTradeCallback',
      'signTikTokWebhook',
      'verifyTikTokWebhook',
      'signTikTokRequest',
      'signAlgoVoiWebhook',
      'verifyAlgoVoiWebhook',
    ]);
  });

  it.each(groups.map((g) => [g.fn, g] as const))(
    '%s: one ours, one floor, one naive; signers agree',
    (_fn, g) => {
      for (const role of ['ours', 'floor', 'naive'] as const) {
        expect(g.cases.filter((c) => c.role === role)).toHaveLength(1);
      }
      const outputs = g.cases.map((c) => c.fn());
      if (g.sameOutput) expect(new Set(outputs).size).toBe(1);
      else for (const out of outputs) expect(out).toBeTruthy();
    },
  );
});

describe('the HTTP servers answer the same deliveries alike', () => {
  // Strings: superagent would JSON-encode a Buffer sent as application/json.
  const body = String(signedCallbackBodies(1, BENCH_TOKEN)[0]);
  const tampered = body.replace(':9900', ':1'); // total_amount, inside the signed msg
  if (tampered === body) throw new Error('the sample body has no total_amount 9900 to tamper with');

  it.each(COMPARED)('%s acknowledges a signed callback with the Douyin ack', async (variant) => {
    const res = await request((await createApp(variant)).callback())
      .post('/douyin/notify')
      .set('content-type', 'application/json')
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ err_no: 0, err_tips: 'success' });
  });

  it.each(['ttpay', 'checked'] as const)(
    '%s acknowledges a duplicate of a handled payment, and another payment apart',
    async (variant) => {
      const app = (await createApp(variant)).callback();
      const [first, second] = signedCallbackBodies(2, BENCH_TOKEN).map(String);
      for (const b of [first, first, second]) {
        const res = await request(app).post('/douyin/notify').set('content-type', 'application/json').send(b);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ err_no: 0, err_tips: 'success' });
      }
    },
  );

  it.each(['ttpay', 'checked', 'naive'] as const)('%s refuses a tampered callback', async (variant) => {
    const res = await request((await createApp(variant)).callback())
      .post('/douyin/notify')
      .set('content-type', 'application/json')
      .send(tampered);
    expect(res.status).toBe(400);
  });
});
