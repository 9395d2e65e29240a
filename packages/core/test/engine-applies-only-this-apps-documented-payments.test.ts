// What a signed Douyin callback may change: only this app's (appId), only with a documented status
// (docs/PROTOCOLS.md §1.3, §2.3, §5.5). The engine on its own, an in-memory store, no HTTP.
import { describe, expect, it } from 'vitest';
import {
  type Delivery,
  type DeliveryEndpoint,
  type DeliveryOutcome,
  type DouyinEndpointOptions,
  douyinEndpoint,
  type HandlerContext,
  MemoryStore,
  type RejectedContext,
  type Reply,
} from '../src/delivery/index.js';
import type { DouyinEvent } from '../src/index.js';
import { captureLogger } from './support/capture-logger.js';
import {
  ecpayDelivery,
  PLATFORM_PUBLIC_KEY,
  type TestRequest,
  TOKEN,
  tradeDeliveryOf,
} from './support/signed-deliveries.js';

type Context = HandlerContext<undefined, TestRequest>;
type Options = DouyinEndpointOptions<Context, RejectedContext<TestRequest>>;

const APP = 'tt_this_app_0001';
const failure = (status: number, code: string) => JSON.stringify({ err_no: status, err_tips: code });

function douyin(options: Partial<Options> = {}) {
  const logger = captureLogger();
  const store = new MemoryStore();
  const applied: DouyinEvent[] = [];
  const errors: { code: string; key: string }[] = [];
  const endpoint = douyinEndpoint<undefined, TestRequest>({
    token: TOKEN,
    platformPublicKey: PLATFORM_PUBLIC_KEY,
    logger,
    store,
    onPayment: (event) => void applied.push(event),
    onRefund: (event) => void applied.push(event),
    onSettle: (event) => void applied.push(event),
    onError: (error, event) => void errors.push({ code: error.code, key: event.key }),
    ...options,
  } as Options);
  return { endpoint, logger, store, applied, errors };
}

function receive(
  endpoint: DeliveryEndpoint<TestRequest>,
  delivery: Delivery<TestRequest>,
): Promise<{ reply: Reply; outcome: DeliveryOutcome }> {
  return endpoint.receive(delivery, (reply, outcome) => ({ reply, outcome }));
}

const tradePayment = (msg: Record<string, unknown>) =>
  tradeDeliveryOf('payment', { out_order_no: 'o1', order_id: 'motb1', total_amount: 100, ...msg });

describe('appId: a signed callback of another mini-program is refused, never applied', () => {
  it.each([
    ['trade payment', () => tradePayment({ app_id: 'tt_other_app', status: 'SUCCESS' })],
    [
      'trade refund',
      () =>
        tradeDeliveryOf('refund', {
          app_id: 'tt_other_app',
          status: 'SUCCESS',
          refund_id: 'r1',
          order_id: 'o',
        }),
    ],
    [
      'ecpay payment (appid)',
      () =>
        ecpayDelivery('payment', {
          appid: 'tt_other_app',
          cp_orderno: 'order_1',
          status: 'SUCCESS',
          total_amount: 9900,
        }),
    ],
    ['ecpay settle (app_id)', () => ecpayDelivery('settle', { app_id: 'tt_other_app', cp_settle_no: 's1' })],
  ])(
    '%s: 400 APP_ID_MISMATCH, the handler never runs, the key stays free, onError gets the event',
    async (_name, make) => {
      const { endpoint, applied, errors, store, logger } = douyin({ appId: APP });
      const { reply, outcome } = await receive(endpoint, make());
      expect(reply.status).toBe(400);
      expect(reply.body).toBe(failure(400, 'APP_ID_MISMATCH'));
      expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'APP_ID_MISMATCH' } });
      expect(applied).toEqual([]);
      if (outcome.kind !== 'failed') throw new Error('expected failed');
      expect(errors).toEqual([{ code: 'APP_ID_MISMATCH', key: outcome.event.key }]);
      expect(store.claim(outcome.event.key, 1000)).toMatchObject({ status: 'claimed' });
      // An anomaly with money in it: logged as an error, naming the app but no secret.
      const logged = logger.records.find((r) => r.obj.code === 'APP_ID_MISMATCH');
      expect(logged?.level).toBe('error');
    },
  );

  it('this app’s callbacks, and callbacks that name no app, are applied', async () => {
    const { endpoint, applied } = douyin({ appId: APP });
    expect((await receive(endpoint, tradePayment({ app_id: APP, status: 'SUCCESS' }))).reply.status).toBe(
      200,
    );
    expect(
      (
        await receive(
          endpoint,
          ecpayDelivery('payment', { appid: APP, cp_orderno: 'order_2', status: 'SUCCESS', total_amount: 1 }),
        )
      ).reply.status,
    ).toBe(200);
    expect((await receive(endpoint, ecpayDelivery())).reply.status).toBe(200);
    expect(applied.map((e) => e.key)).toEqual([
      'douyin:trade:payment:o1:SUCCESS',
      'douyin:ecpay:payment:order_2:SUCCESS',
      'douyin:ecpay:payment:order_1:SUCCESS',
    ]);
  });

  it('refuses an empty appId at construction', () => {
    expect(() => douyin({ appId: '' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('only documented statuses are payments or refunds', () => {
  it.each([
    ['trade payment PROCESSING', () => tradePayment({ app_id: APP, status: 'PROCESSING' }), 'payment'],
    ['trade payment "success" (not exactly SUCCESS)', () => tradePayment({ status: 'success' }), 'payment'],
    ['trade payment FAIL', () => tradePayment({ status: 'FAIL' }), 'payment'],
    [
      'trade refund PROCESSING',
      () => tradeDeliveryOf('refund', { status: 'PROCESSING', refund_id: 'r1', order_id: 'o' }),
      'refund',
    ],
    [
      'ecpay payment TIMEOUT',
      () => ecpayDelivery('payment', { cp_orderno: 'order_1', status: 'TIMEOUT', total_amount: 9900 }),
      'payment',
    ],
    [
      'ecpay refund PROCESSING',
      () => ecpayDelivery('refund', { cp_refundno: 'r1', status: 'PROCESSING' }),
      'refund',
    ],
  ])(
    '%s is type "other": onPayment/onRefund never see it, and without onEvent it is not acknowledged',
    async (_name, make, callbackType) => {
      const { endpoint, applied } = douyin();
      const { reply, outcome } = await receive(endpoint, make());
      expect(reply.body).toBe(failure(501, 'UNHANDLED_EVENT'));
      expect(applied).toEqual([]);
      expect(outcome).toMatchObject({ kind: 'failed', event: { type: 'other', callbackType } });
      const seen: DouyinEvent[] = [];
      const withOnEvent = douyin({ onEvent: (event) => void seen.push(event) });
      expect((await receive(withOnEvent.endpoint, make())).reply.status).toBe(200);
      expect(seen.map((e) => e.type)).toEqual(['other']);
    },
  );

  it('SUCCESS and CANCEL (trade) and SUCCESS (ecpay) are payments; a payment without status is 400 MISSING_FIELD', async () => {
    const { endpoint, applied } = douyin();
    await receive(endpoint, tradePayment({ status: 'SUCCESS' }));
    await receive(endpoint, tradePayment({ out_order_no: 'o2', status: 'CANCEL' }));
    await receive(endpoint, ecpayDelivery());
    expect(applied.map((e) => `${e.type}:${e.system}:${(e.msg as { status: string }).status}`)).toEqual([
      'payment:trade:SUCCESS',
      'payment:trade:CANCEL',
      'payment:ecpay:SUCCESS',
    ]);
    const { reply } = await receive(endpoint, tradePayment({ out_order_no: 'o3' }));
    expect(reply.body).toBe(failure(400, 'MISSING_FIELD'));
  });
});

describe('the trade window and the done-records agree', () => {
  it('keeps handled keys 74 h by default, beyond the 73 h Byte-Timestamp window, without a warning', () => {
    const { logger } = douyin();
    expect(logger.records.filter((r) => r.level === 'warn')).toEqual([]);
  });

  it('warns at construction when done-records would expire inside the accepted window', () => {
    const { logger } = douyin({ doneTtlMs: 24 * 3600_000 });
    expect(logger.records).toEqual([
      expect.objectContaining({
        level: 'warn',
        obj: { doneTtlMs: 24 * 3600_000, toleranceSeconds: 73 * 3600 },
      }),
    ]);
    const narrow = douyin({ doneTtlMs: 24 * 3600_000, toleranceSeconds: 600 });
    expect(narrow.logger.records).toEqual([]);
  });
});
