import { demoCredentials, signedTradeCallback } from '@ttpay/testing';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { douyinCallbacks, douyinReply } from '../src/index.js';
import { captureLogger, douyinFailure, post } from './helpers.js';

const { douyin } = demoCredentials;

/**
 * The refund application (退款申请回调, `pre_create_refund`, docs/PROTOCOLS.md §2.5) through Koa: the
 * answer carries the shop's refund number from the handler, and `ctx.payment` is typed with the event.
 */
describe('douyinCallbacks: onRefundApplication', () => {
  const numbers = new Map<string, string>(); // the shop's refunds: refund_id → out_refund_no
  const app = new Koa();
  app.use(
    douyinCallbacks({
      path: '/douyin/notify',
      platformPublicKey: douyin.platformPublicKey,
      appId: douyin.appId,
      logger: captureLogger(),
      onRefundApplication: (event, ctx) => {
        const outRefundNo = numbers.get(event.msg.refund_id) ?? `R${event.msg.out_order_no}`;
        numbers.set(event.msg.refund_id, outRefundNo);
        expect(ctx.payment.event.msg.refund_id).toBe(event.msg.refund_id);
        return douyinReply({
          out_refund_no: outRefundNo,
          order_entry_schema: { path: 'pages/refund/detail', params: JSON.stringify({ outRefundNo }) },
        });
      },
    }),
  );

  it('answers 200 {"err_no":0,"err_tips":"success","data":{out_refund_no, order_entry_schema}}', async () => {
    const d = signedTradeCallback({ type: 'pre_create_refund', msg: { out_order_no: 'shop_order_7' } });
    const res = await post(app, '/douyin/notify', d);
    expect(res.status).toBe(200);
    expect(JSON.parse(d.rawBody).version).toBe('2.0');
    expect(JSON.parse(res.text)).toEqual({
      err_no: 0,
      err_tips: 'success',
      data: {
        out_refund_no: 'Rshop_order_7',
        order_entry_schema: { path: 'pages/refund/detail', params: '{"outRefundNo":"Rshop_order_7"}' },
      },
    });
    expect([...numbers.values()]).toContain('Rshop_order_7');
  });

  it('refuses an application signed for another app (400 APP_ID_MISMATCH) without asking the handler', async () => {
    const before = numbers.size;
    const d = signedTradeCallback({ type: 'pre_create_refund', msg: { app_id: 'tt_someone_else' } });
    const res = await post(app, '/douyin/notify', d);
    expect(res.status).toBe(400);
    expect(res.text).toBe(douyinFailure(400, 'APP_ID_MISMATCH'));
    expect(numbers.size).toBe(before);
  });

  it('a handler that answers no number is 500 MISSING_REPLY_DATA, so the platform asks again', async () => {
    const silent = new Koa();
    silent.use(
      douyinCallbacks({
        platformPublicKey: douyin.platformPublicKey,
        logger: captureLogger(),
        // A JavaScript caller (or a cast) can still return nothing: the engine refuses to acknowledge it.
        onRefundApplication: (() => undefined) as never,
      }),
    );
    const res = await post(silent, '/', signedTradeCallback({ type: 'pre_create_refund' }));
    expect(res.status).toBe(500);
    expect(res.text).toBe(douyinFailure(500, 'MISSING_REPLY_DATA'));
  });

  it('is typed so a handler cannot forget out_refund_no (checked by tsc, never run)', () => {
    const typeOnly = () => {
      douyinCallbacks({
        platformPublicKey: douyin.platformPublicKey,
        onRefundApplication: (event, ctx) => {
          // ctx.payment.event is the handler's own event type.
          const refundId: string = ctx.payment.event.msg.refund_id;
          return douyinReply({ out_refund_no: `${refundId}_${event.msg.order_id}` });
        },
      });
      // @ts-expect-error returning nothing is not an answer
      douyinCallbacks({ platformPublicKey: douyin.platformPublicKey, onRefundApplication: () => {} });
      douyinCallbacks({
        platformPublicKey: douyin.platformPublicKey,
        // @ts-expect-error reply data without out_refund_no
        onRefundApplication: () => douyinReply({ notify_url: 'https://shop.example/n' }),
      });
    };
    expect(typeof typeOnly).toBe('function');
  });
});
