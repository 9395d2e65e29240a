import { generateKeyPairSync } from 'node:crypto';
import {
  demoCredentials,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
} from '@ttpay/testing';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '../src/index.js';
import { captureLogger, DOUYIN_ACK, douyinFailure, post, webhookFailure } from './helpers.js';

const { douyin, tiktok, algovoi } = demoCredentials;

describe('rotation: old and new credentials both verify while both are configured', () => {
  it('Douyin: several tokens (ecpay) and several platform public keys (trade), any form', async () => {
    const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const handled: string[] = [];
    const app = new Koa().use(
      douyinCallbacks({
        token: ['new-console-token', douyin.token],
        // A KeyObject, and the PEM text: converted once, at start-up.
        platformPublicKey: [next.publicKey, douyin.platformPublicKey],
        logger: captureLogger(),
        onEvent: (event) => {
          handled.push(event.system);
        },
      }),
    );
    await post(app, '/', signedEcpayCallback({ type: 'payment' })).expect(200, DOUYIN_ACK);
    await post(app, '/', signedEcpayCallback({ type: 'payment', token: 'new-console-token' })).expect(
      200,
      DOUYIN_ACK,
    );
    await post(app, '/', signedTradeCallback({ type: 'payment' })).expect(200, DOUYIN_ACK);
    await post(
      app,
      '/',
      signedTradeCallback({ type: 'payment', platformPrivateKey: next.privateKey }),
    ).expect(200, DOUYIN_ACK);
    expect(handled).toEqual(['ecpay', 'ecpay', 'trade', 'trade']);

    await post(app, '/', signedEcpayCallback({ type: 'payment', token: 'retired-token' })).expect(
      400,
      douyinFailure(400, 'SIGNATURE_MISMATCH'),
    );
    await post(
      app,
      '/',
      signedTradeCallback({ type: 'payment', platformPrivateKey: stranger.privateKey }),
    ).expect(400, douyinFailure(400, 'SIGNATURE_MISMATCH'));
    expect(handled).toHaveLength(4);
  });

  it('TikTok Shop: several app secrets', async () => {
    const app = new Koa().use(
      tikTokWebhooks({
        appKey: tiktok.appKey,
        appSecret: [tiktok.appSecret, 'next-app-secret'],
        logger: captureLogger(),
        onEvent() {},
      }),
    );
    await post(app, '/', signedTikTokWebhook()).expect(200, '');
    await post(app, '/', signedTikTokWebhook({ appSecret: 'next-app-secret' })).expect(200, '');
    await post(app, '/', signedTikTokWebhook({ appSecret: 'retired-secret' })).expect(
      401,
      webhookFailure('SIGNATURE_MISMATCH'),
    );
  });

  it('AlgoVoi: several webhook secrets', async () => {
    const app = new Koa().use(
      algoVoiWebhooks({
        secret: ['next-secret', algovoi.webhookSecret],
        logger: captureLogger(),
        onEvent() {},
      }),
    );
    await post(app, '/', signedAlgoVoiWebhook()).expect(200, '');
    await post(app, '/', signedAlgoVoiWebhook({ secret: 'next-secret' })).expect(200, '');
    await post(app, '/', signedAlgoVoiWebhook({ secret: 'retired' })).expect(
      401,
      webhookFailure('SIGNATURE_MISMATCH'),
    );
  });
});
