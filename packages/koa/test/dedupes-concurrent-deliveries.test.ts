import type { DuplicateState } from '@ttpay/core/delivery';
import {
  demoCredentials,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
} from '@ttpay/testing';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { douyinCallbacks, tikTokWebhooks } from '../src/index.js';
import { captureLogger, DOUYIN_ACK, douyinFailure, post, sleep, webhookFailure } from './helpers.js';

const { douyin, tiktok } = demoCredentials;

describe('100 concurrent identical deliveries run the handler exactly once', () => {
  it.each(['ecpay', 'trade'] as const)(
    'Douyin %s: every reply is ack or retry-later, at least one ack',
    async (system) => {
      let runs = 0;
      const duplicates: DuplicateState[] = [];
      const app = new Koa().use(
        douyinCallbacks({
          token: douyin.token,
          platformPublicKey: douyin.platformPublicKey,
          logger: captureLogger(),
          onDuplicate: (_event, _ctx, state) => {
            duplicates.push(state);
          },
          onPayment: async () => {
            runs++;
            await sleep(50);
          },
        }),
      );
      const d =
        system === 'ecpay'
          ? signedEcpayCallback({ type: 'payment' })
          : signedTradeCallback({ type: 'payment' });
      const replies = await Promise.all(Array.from({ length: 100 }, () => post(app, '/', d)));
      expect(runs).toBe(1);
      const acks = replies.filter((r) => r.status === 200 && r.text === DOUYIN_ACK).length;
      const retries = replies.filter(
        (r) => r.status === 503 && r.text === douyinFailure(503, 'IN_FLIGHT'),
      ).length;
      expect(acks + retries).toBe(100);
      expect(acks).toBeGreaterThanOrEqual(1);
      expect(duplicates).toHaveLength(99);

      // Once it is done, a redelivery is acknowledged without running the handler again.
      await post(app, '/', d).expect(200, DOUYIN_ACK);
      expect(runs).toBe(1);
    },
  );

  it('TikTok Shop: the same, keyed on tts_notification_id', async () => {
    let runs = 0;
    const app = new Koa().use(
      tikTokWebhooks({
        appKey: tiktok.appKey,
        appSecret: tiktok.appSecret,
        logger: captureLogger(),
        onEvent: async () => {
          runs++;
          await sleep(50);
        },
      }),
    );
    const d = signedTikTokWebhook({ type: 1 });
    const replies = await Promise.all(Array.from({ length: 100 }, () => post(app, '/', d)));
    expect(runs).toBe(1);
    const acks = replies.filter((r) => r.status === 200 && r.text === '').length;
    const retries = replies.filter((r) => r.status === 503 && r.text === webhookFailure('IN_FLIGHT')).length;
    expect(acks + retries).toBe(100);
    expect(acks).toBeGreaterThanOrEqual(1);
  });
});
