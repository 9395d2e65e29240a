import { readFileSync } from 'node:fs';
import {
  demoCredentials,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  withBadSignature,
} from '@ttpay/testing';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOUYIN_ACK, douyinFailure, post } from './helpers.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const exampleSource = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');

/** The fenced block right after `<!-- example: <file> -->` in the README. */
function readmeBlock(file: string): string {
  const marker = `<!-- example: ${file} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(at + marker.length));
  if (!match?.[1]) throw new Error(`no ts block after ${marker}`);
  return match[1];
}

describe('README example', () => {
  it('is exactly test/readme-example.ts (which tsc checks and this test runs)', () => {
    expect(readmeBlock('readme-example.ts')).toBe(exampleSource);
  });

  describe('runs', () => {
    const { douyin, tiktok, algovoi } = demoCredentials;
    let shop: typeof import('./readme-example.js');

    beforeAll(async () => {
      Object.assign(process.env, {
        DOUYIN_TOKEN: douyin.token,
        DOUYIN_APP_ID: douyin.appId,
        DOUYIN_PLATFORM_PUBLIC_KEY: douyin.platformPublicKey,
        TIKTOK_APP_KEY: tiktok.appKey,
        TIKTOK_APP_SECRET: tiktok.appSecret,
        ALGOVOI_WEBHOOK_SECRET: algovoi.webhookSecret,
        LOG_LEVEL: 'silent',
      });
      shop = await import('./readme-example.js');
    });

    it('takes ecpay and trade payments on one endpoint, and serves the order', async () => {
      await post(
        shop.app,
        '/douyin/notify',
        signedEcpayCallback({ type: 'payment', msg: { cp_orderno: 'readme_1' } }),
      ).expect(200, DOUYIN_ACK);
      await post(
        shop.app,
        '/douyin/notify',
        signedTradeCallback({ type: 'payment', msg: { out_order_no: 'readme_2' } }),
      ).expect(200, DOUYIN_ACK);
      expect(shop.paidOrders.get('readme_1')).toBe(9900);
      const res = await request(shop.app.callback()).get('/orders/readme_2');
      expect(res.body).toEqual({ outOrderNo: 'readme_2', paid: true, amount: 9900 });
    });

    it('de-duplicates a refund and refuses a bad signature', async () => {
      const refund = signedTradeCallback({ type: 'refund' });
      await post(shop.app, '/douyin/notify', refund).expect(200, DOUYIN_ACK);
      await post(shop.app, '/douyin/notify', refund).expect(200, DOUYIN_ACK);
      expect(shop.refunds.size).toBe(1);
      await post(shop.app, '/douyin/notify', withBadSignature(refund)).expect(
        400,
        douyinFailure(400, 'SIGNATURE_MISMATCH'),
      );
    });

    it('answers a refund application with the shop’s number, and refuses another app’s callback', async () => {
      const application = signedTradeCallback({ type: 'pre_create_refund' });
      const refundId = JSON.parse(JSON.parse(application.rawBody).msg).refund_id as string;
      const res = await post(shop.app, '/douyin/notify', application).expect(200);
      expect(JSON.parse(res.text)).toEqual({
        err_no: 0,
        err_tips: 'success',
        data: { out_refund_no: `refund_${refundId}` },
      });
      expect(shop.refundNumbers.get(refundId)).toBe(`refund_${refundId}`);
      await post(
        shop.app,
        '/douyin/notify',
        signedTradeCallback({ type: 'payment', msg: { app_id: 'tt_another_app', out_order_no: 'readme_3' } }),
      ).expect(400, douyinFailure(400, 'APP_ID_MISMATCH'));
      expect(shop.paidOrders.has('readme_3')).toBe(false);
    });

    it('takes TikTok Shop and AlgoVoi webhooks', async () => {
      await post(
        shop.app,
        '/tiktok/webhook',
        signedTikTokWebhook({ type: 1, data: { order_id: '576', order_status: 'AWAITING_SHIPMENT' } }),
      ).expect(200, '');
      await post(shop.app, '/tiktok/webhook', signedTikTokWebhook({ type: 6 })).expect(200, '');
      await post(
        shop.app,
        '/algovoi/webhook',
        signedAlgoVoiWebhook({ data: { payment_link_token: 'tok_readme' } }),
      ).expect(200, '');
      expect(shop.ordersToShip).toEqual(['576']);
      expect(shop.gatewayHints).toEqual(['tok_readme']);
    });

    it('leaves the rest of the app its body parser', async () => {
      const res = await request(shop.app.callback()).post('/orders').send({ sku: 'A1' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ received: { sku: 'A1' } });
    });
  });
});
