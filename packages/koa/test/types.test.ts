import type {
  AlgoVoiEvent,
  DouyinEvent,
  EcpayPaymentEvent,
  EcpayRefundEvent,
  EcpaySettleEvent,
  TikTokEvent,
  TikTokEventOf,
  TradePaymentEvent,
  TradeRefundEvent,
  TradeSettleEvent,
  TtpayLogger,
} from '@ttpay/core';
import type { DeliveryErrorCode, DuplicateState } from '@ttpay/core/delivery';
import type { TransactionalIdempotencyStore } from '@ttpay/core/store';
import type Koa from 'koa';
import { pino } from 'pino';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  algoVoiWebhooks,
  type DeliveryError,
  douyinCallbacks,
  douyinReply,
  type PaymentHandler,
  tikTokWebhooks,
} from '../src/index.js';
// ctx.payment's shape, by its module name: `@ttpay/koa` reaches it as PaymentRouteContext<E, Tx>['payment'].
import type { PaymentContext } from '../src/types.js';

describe('handler event types', () => {
  it('Douyin: each handler gets its type from both systems; onEvent the whole union', () => {
    douyinCallbacks({
      token: 't',
      onPayment: (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<EcpayPaymentEvent | TradePaymentEvent>();
        expectTypeOf(ctx.payment.event).toEqualTypeOf<EcpayPaymentEvent | TradePaymentEvent>();
        expectTypeOf(ctx.payment.rawBody).toEqualTypeOf<Buffer>();
        if (event.system === 'ecpay') expectTypeOf(event.msg.cp_orderno).toBeString();
        else expectTypeOf(event.msg.out_order_no).toBeString();
        // @ts-expect-error a payment handler never sees a refund
        if (event.type === 'refund') return;
        // @ts-expect-error ecpay payment msgs have cp_orderno, trade ones out_order_no: narrow first
        expectTypeOf(event.msg.cp_orderno).toBeString();
      },
      onRefund: (event) => {
        expectTypeOf(event).toEqualTypeOf<EcpayRefundEvent | TradeRefundEvent>();
      },
      onSettle: (event) => {
        expectTypeOf(event).toEqualTypeOf<EcpaySettleEvent | TradeSettleEvent>();
      },
      onEvent: (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<DouyinEvent>();
        expectTypeOf(ctx.payment.event).toEqualTypeOf<DouyinEvent>();
      },
    });
  });

  it('Douyin: a handler for the wrong event type does not compile', () => {
    const onRefund: PaymentHandler<EcpayRefundEvent> = () => {};
    // @ts-expect-error a refund handler cannot take payments
    douyinCallbacks({ token: 't', onPayment: onRefund });
  });

  it('TikTok Shop: `on` handlers get the event of their name; unknown names do not compile', () => {
    tikTokWebhooks({
      appKey: 'k',
      appSecret: 's',
      on: {
        ORDER_STATUS_CHANGE: (event, ctx) => {
          expectTypeOf(event).toEqualTypeOf<TikTokEventOf<'ORDER_STATUS_CHANGE'>>();
          expectTypeOf(event.type).toEqualTypeOf<1>();
          expectTypeOf(event.data.order_status).toBeString();
          expectTypeOf(ctx.payment.event).toEqualTypeOf<TikTokEventOf<'ORDER_STATUS_CHANGE'>>();
        },
        RETURN_STATUS_CHANGE: (event) => {
          expectTypeOf(event.data.order_id).toBeString();
        },
      },
      onEvent: (event) => {
        expectTypeOf(event).toEqualTypeOf<TikTokEvent>();
      },
    });
    tikTokWebhooks({
      appKey: 'k',
      appSecret: 's',
      // @ts-expect-error not a TikTok Shop webhook name
      on: { ORDER_PAID: () => {} },
    });
  });

  it('AlgoVoi: onEvent is required and gets AlgoVoiEvent', () => {
    algoVoiWebhooks({
      secret: 's',
      onEvent: (event) => {
        expectTypeOf(event).toEqualTypeOf<AlgoVoiEvent>();
      },
    });
    // @ts-expect-error onEvent is required (and its absence throws at start-up)
    expect(() => algoVoiWebhooks({ secret: 's' })).toThrow(/at least one handler/);
  });

  it('hooks are typed', () => {
    douyinCallbacks({
      token: 't',
      onEvent: () => {},
      onVerified: (event) => expectTypeOf(event).toEqualTypeOf<DouyinEvent>(),
      onDuplicate: (_event, _ctx, state) => expectTypeOf(state).toEqualTypeOf<DuplicateState>(),
      onRejected: (error, ctx) => {
        expectTypeOf(error).toEqualTypeOf<DeliveryError>();
        expectTypeOf(error.code).toEqualTypeOf<DeliveryErrorCode>();
        expectTypeOf(ctx).toEqualTypeOf<Koa.Context>();
      },
      onError: (error, event) => {
        expectTypeOf(error.code).toEqualTypeOf<DeliveryErrorCode>();
        expectTypeOf(event).toEqualTypeOf<DouyinEvent>();
      },
    });
    expectTypeOf<DuplicateState>().toEqualTypeOf<'in-flight' | 'done'>();
  });
});

describe('ctx.payment', () => {
  it('is the event, the raw bytes and tx, typed through the handler’s parameters', () => {
    douyinCallbacks({
      token: 't',
      onPayment: (_event, ctx) => {
        expectTypeOf(ctx.payment).toEqualTypeOf<PaymentContext<EcpayPaymentEvent | TradePaymentEvent>>();
        // @ts-expect-error the clients registry is gone: ctx.payment carries no clients
        ctx.payment.douyin;
      },
    });
    // @ts-expect-error the clients option was removed (and throws at start-up)
    expect(() => douyinCallbacks({ token: 't', onEvent: () => {}, clients: { douyin: {} } })).toThrow(
      /removed/,
    );
  });

  it('handlers may return Douyin reply data; other return values are allowed and ignored', () => {
    douyinCallbacks({ token: 't', onRefund: () => douyinReply({ out_refund_no: 'r1' }) });
    douyinCallbacks({ token: 't', onPayment: async () => new Map() });
    // @ts-expect-error reply data is a JSON object (and a string throws)
    expect(() => douyinReply('r1')).toThrow(/must be an object/);
  });

  it('a transactional store types ctx.payment.tx in every handler and hook; any other store leaves it undefined', () => {
    interface FakeTx {
      query(sql: string): Promise<unknown>;
    }
    const fakeTx: FakeTx = { query: async () => undefined };
    const store: TransactionalIdempotencyStore<FakeTx> = {
      claim: () => ({ status: 'done' }),
      complete: () => {},
      release: () => {},
      completeWithin: (_lease, _ttlMs, work) => work(fakeTx),
    };
    douyinCallbacks({
      token: 't',
      store,
      onPayment: async (_event, ctx) => {
        expectTypeOf(ctx.payment.tx).toEqualTypeOf<FakeTx>();
        await ctx.payment.tx.query('update orders set paid = true');
      },
      onVerified: (_event, ctx) => expectTypeOf(ctx.payment.tx).toEqualTypeOf<FakeTx>(),
    });
    tikTokWebhooks({
      appKey: 'k',
      appSecret: 's',
      store,
      on: { ORDER_STATUS_CHANGE: (_event, ctx) => expectTypeOf(ctx.payment.tx).toEqualTypeOf<FakeTx>() },
    });
    algoVoiWebhooks({
      secret: 's',
      store,
      onEvent: (_event, ctx) => expectTypeOf(ctx.payment.tx).toEqualTypeOf<FakeTx>(),
    });
    douyinCallbacks({
      token: 't',
      onPayment: (_event, ctx) => expectTypeOf(ctx.payment.tx).toEqualTypeOf<undefined>(),
    });
  });

  it('the middlewares are plain Koa middleware', () => {
    expectTypeOf(douyinCallbacks({ token: 't', onEvent: () => {} })).toEqualTypeOf<Koa.Middleware>();
  });
});

describe('logger', () => {
  it('a pino logger is a TtpayLogger', () => {
    const logger: TtpayLogger = pino({ level: 'silent' });
    expectTypeOf(logger.warn).parameters.toEqualTypeOf<[Record<string, unknown>, string]>();
  });
});
