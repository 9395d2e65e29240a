// The refund application (退款申请回调, `type: "pre_create_refund"`, docs/PROTOCOLS.md §2.5) through the
// delivery engine on its own: no HTTP, an in-memory store, fake timers where time matters.
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  type Delivery,
  type DeliveryEndpoint,
  type DeliveryOutcome,
  type DouyinEndpointOptions,
  douyinEndpoint,
  douyinReply,
  type HandlerContext,
  MemoryStore,
  type RefundApplicationReply,
  type RejectedContext,
  type Reply,
} from '../src/delivery/index.js';
import type { TradeRefundApplicationEvent } from '../src/index.js';
import { captureLogger } from './support/capture-logger.js';
import {
  PLATFORM_PUBLIC_KEY,
  type TestRequest,
  TOKEN,
  tradeDeliveryOf,
} from './support/signed-deliveries.js';

type Context = HandlerContext<undefined, TestRequest>;
type Options = DouyinEndpointOptions<Context, RejectedContext<TestRequest>>;

/** The documented application msg (docs/PROTOCOLS.md §2.5), for refund `refundId`. */
function application(refundId = 'motr70000000000000000000001', extra: Record<string, unknown> = {}) {
  return tradeDeliveryOf(
    'pre_create_refund',
    {
      app_id: 'tt_engine_app',
      open_id: 'open_1',
      refund_id: refundId,
      order_id: 'motb70000000000000000000001',
      out_order_no: 'order_1',
      refund_total_amount: 500,
      need_refund_audit: 1,
      refund_audit_deadline: Date.now() + 72 * 3600_000,
      create_refund_time: Date.now(),
      refund_source: 1,
      refund_reason: ['不想要了'],
      refund_description: '',
      cp_extra: '',
      refund_item_detail: {
        item_order_quantity: 1,
        item_order_detail: [{ item_order_id: 'motb70000000000000000000002', refund_amount: 500 }],
      },
      ...extra,
    },
    { version: '2.0' },
  );
}

function douyin(options: Partial<Options> = {}) {
  const logger = captureLogger();
  const store = new MemoryStore();
  const endpoint = douyinEndpoint<undefined, TestRequest>({
    token: TOKEN,
    platformPublicKey: PLATFORM_PUBLIC_KEY,
    logger,
    store,
    ...options,
  } as Options);
  return { endpoint, logger, store };
}

function receive(
  endpoint: DeliveryEndpoint<TestRequest>,
  delivery: Delivery<TestRequest>,
): Promise<{ reply: Reply; outcome: DeliveryOutcome }> {
  return endpoint.receive(delivery, (reply, outcome) => ({ reply, outcome }));
}

const failure = (status: number, code: string) => JSON.stringify({ err_no: status, err_tips: code });

afterEach(() => {
  vi.useRealTimers();
});

describe('a refund application is answered with the shop’s refund number', () => {
  it('answers {err_no: 0, data: {out_refund_no, order_entry_schema}} from the handler; the key is the refund_id', async () => {
    const seen: TradeRefundApplicationEvent[] = [];
    const { endpoint, store } = douyin({
      onRefundApplication: (event) => {
        seen.push(event);
        return douyinReply({
          out_refund_no: `shop_${event.msg.out_order_no}_r1`,
          order_entry_schema: { path: 'pages/refund/detail', params: '{"id":1}' },
        });
      },
    });
    const { reply, outcome } = await receive(endpoint, application());
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      err_no: 0,
      err_tips: 'success',
      data: {
        out_refund_no: 'shop_order_1_r1',
        order_entry_schema: { path: 'pages/refund/detail', params: '{"id":1}' },
      },
    });
    expect(outcome).toMatchObject({ kind: 'handled', replyData: { out_refund_no: 'shop_order_1_r1' } });
    expect(seen.map((e) => [e.type, e.version, e.key, e.msg.refund_total_amount])).toEqual([
      ['pre_create_refund', '2.0', 'douyin:trade:pre_create_refund:motr70000000000000000000001', 500],
    ]);
    expect(store.claim('douyin:trade:pre_create_refund:motr70000000000000000000001', 1000)).toEqual({
      status: 'done',
    });
  });

  it('a handler that answers nothing is MISSING_REPLY_DATA: not acknowledged, the key stays free, the platform asks again', async () => {
    let runs = 0;
    const { endpoint, logger } = douyin({
      onRefundApplication: (() => {
        runs++;
        return undefined;
      }) as unknown as Options['onRefundApplication'],
    });
    const first = await receive(endpoint, application());
    expect(first.reply.status).toBe(500);
    expect(first.reply.body).toBe(failure(500, 'MISSING_REPLY_DATA'));
    expect(first.outcome).toMatchObject({ kind: 'failed', error: { code: 'MISSING_REPLY_DATA' } });
    expect(logger.records.some((r) => r.level === 'error' && r.obj.code === 'MISSING_REPLY_DATA')).toBe(true);
    // Released, not done: the retry (every 10 minutes) runs the handler again.
    const again = await receive(endpoint, application());
    expect(again.reply.body).toBe(failure(500, 'MISSING_REPLY_DATA'));
    expect(runs).toBe(2);
  });

  it.each([
    ['reply data without out_refund_no', () => douyinReply({ order_entry_schema: { path: 'p' } })],
    ['an empty out_refund_no', () => douyinReply({ out_refund_no: '' })],
    ['an out_refund_no over 64 bytes', () => douyinReply({ out_refund_no: '退'.repeat(22) })],
    [
      'an order_entry_schema without path',
      () => douyinReply({ out_refund_no: 'r1', order_entry_schema: {} }),
    ],
    ['a notify_url that is not https', () => douyinReply({ out_refund_no: 'r1', notify_url: 'http://x/n' })],
    ['a plain object instead of douyinReply', () => ({ out_refund_no: 'r1' })],
  ])('%s is MISSING_REPLY_DATA, never a bare acknowledgement', async (_name, answer) => {
    const { endpoint } = douyin({
      onRefundApplication: answer as unknown as Options['onRefundApplication'],
    });
    const { reply } = await receive(endpoint, application());
    expect(reply.body).toBe(failure(500, 'MISSING_REPLY_DATA'));
  });

  it('onEvent taking a refund application must answer the number too', async () => {
    const { endpoint } = douyin({ onEvent: () => {} });
    expect((await receive(endpoint, application())).reply.body).toBe(failure(500, 'MISSING_REPLY_DATA'));
    const answering = douyin({
      onEvent: (event) =>
        event.type === 'pre_create_refund' ? douyinReply({ out_refund_no: 'r9' }) : undefined,
    });
    const { reply } = await receive(answering.endpoint, application());
    expect(JSON.parse(reply.body)).toEqual({ err_no: 0, err_tips: 'success', data: { out_refund_no: 'r9' } });
  });

  it('without a handler for it the application is UNHANDLED_EVENT (501), never acknowledged empty', async () => {
    const { endpoint } = douyin({ onPayment: () => {} });
    expect((await receive(endpoint, application())).reply.body).toBe(failure(501, 'UNHANDLED_EVENT'));
  });

  it('an application without refund_id or order_id is refused (400 MISSING_FIELD) before any handler', async () => {
    let runs = 0;
    const { endpoint } = douyin({
      onRefundApplication: () => {
        runs++;
        return douyinReply({ out_refund_no: 'r1' });
      },
    });
    for (const missing of ['refund_id', 'order_id']) {
      const delivery = tradeDeliveryOf('pre_create_refund', {
        app_id: 'a',
        refund_id: 'motr1',
        order_id: 'motb1',
        [missing]: undefined,
      });
      expect((await receive(endpoint, delivery)).reply.body).toBe(failure(400, 'MISSING_FIELD'));
    }
    expect(runs).toBe(0);
  });

  it('a repeat of a handled application is not answered with a bare ack (stores keep no reply data yet): 503 REPLY_DATA_UNAVAILABLE, handler not run', async () => {
    let runs = 0;
    const { endpoint, logger } = douyin({
      onRefundApplication: () => {
        runs++;
        return douyinReply({ out_refund_no: 'shop_r1' });
      },
    });
    expect((await receive(endpoint, application())).reply.status).toBe(200);
    const { reply, outcome } = await receive(endpoint, application());
    expect(reply.status).toBe(503);
    expect(reply.body).toBe(failure(503, 'REPLY_DATA_UNAVAILABLE'));
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'REPLY_DATA_UNAVAILABLE' } });
    expect(runs).toBe(1);
    expect(logger.records.some((r) => r.obj.code === 'REPLY_DATA_UNAVAILABLE')).toBe(true);
  });

  it('once the done-record expires (74 h by default) a repeat runs the handler again, which answers the same number', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-05T00:00:00Z'));
    const numbers = new Map<string, string>(); // the shop's table: refund_id → out_refund_no
    let runs = 0;
    const { endpoint } = douyin({
      onRefundApplication: (event) => {
        runs++;
        const known = numbers.get(event.msg.refund_id) ?? `shop_r${numbers.size + 1}`;
        numbers.set(event.msg.refund_id, known);
        return douyinReply({ out_refund_no: known });
      },
    });
    const first = await receive(endpoint, application());
    vi.setSystemTime(Date.now() + 73 * 3600_000);
    expect((await receive(endpoint, application())).reply.body).toBe(failure(503, 'REPLY_DATA_UNAVAILABLE'));
    vi.setSystemTime(Date.now() + 2 * 3600_000); // 75 h after the first
    const later = await receive(endpoint, application());
    expect(later.reply.body).toBe(first.reply.body);
    expect(JSON.parse(later.reply.body).data).toEqual({ out_refund_no: 'shop_r1' });
    expect(runs).toBe(2);
  });

  it('is typed so a handler cannot forget out_refund_no', () => {
    const ok: Options['onRefundApplication'] = (event) => douyinReply({ out_refund_no: event.msg.refund_id });
    expectTypeOf(ok).not.toBeUndefined();
    // @ts-expect-error returning nothing is not an answer
    const nothing: Options['onRefundApplication'] = () => {};
    // @ts-expect-error reply data without out_refund_no
    const noNumber: Options['onRefundApplication'] = () => douyinReply({ order_entry_schema: { path: 'p' } });
    // @ts-expect-error a plain object is not a douyinReply
    const plain: Options['onRefundApplication'] = () => ({ data: { out_refund_no: 'r1' } });
    expectTypeOf<ReturnType<NonNullable<Options['onRefundApplication']>>>().toEqualTypeOf<
      RefundApplicationReply | PromiseLike<RefundApplicationReply>
    >();
    expect([nothing, noNumber, plain]).toHaveLength(3);
  });
});
