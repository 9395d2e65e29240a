import Router from '@koa/router';
import '../src/global-context.js';
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
  TransactionalIdempotencyStore,
  TtpayEvent,
} from '@ttpay/core';
import type Koa from 'koa';
import { pino } from 'pino';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  algovoiWebhooks,
  type DeliveryError,
  type DeliveryErrorCode,
  type DuplicateState,
  douyinCallbacks,
  type PaymentContext,
  type PaymentHandler,
  paymentContext,
  type RegisteredClients,
  type TtpayLogger,
  tiktokWebhooks,
} from '../src/index.js';

/** Stands in for an @ttpay/client class. */
interface GatewayClient {
  verifyPayment(token: string): Promise<boolean>;
}

// The registry: typing a client slot once types `ctx.payment` on every route.
declare module '../src/index.js' {
  interface PaymentClients {
    algovoi: GatewayClient;
  }
}

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
    tiktokWebhooks({
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
    tiktokWebhooks({
      appKey: 'k',
      appSecret: 's',
      // @ts-expect-error not a TikTok Shop webhook name
      on: { ORDER_PAID: () => {} },
    });
  });

  it('AlgoVoi: onEvent is required and gets AlgoVoiEvent', () => {
    algovoiWebhooks({
      secret: 's',
      onEvent: (event) => {
        expectTypeOf(event).toEqualTypeOf<AlgoVoiEvent>();
      },
    });
    // @ts-expect-error onEvent is required (and its absence throws at start-up)
    expect(() => algovoiWebhooks({ secret: 's' })).toThrow(/at least one handler/);
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
  it('handlers see the clients passed in `clients` with their own types', () => {
    const douyin = { queryOrder: async (outOrderNo: string) => ({ outOrderNo, paid: true }) };
    douyinCallbacks({
      token: 't',
      clients: { douyin },
      onPayment: async (_event, ctx) => {
        expectTypeOf(ctx.payment.douyin).toEqualTypeOf<typeof douyin>();
        expectTypeOf(await ctx.payment.douyin.queryOrder('o')).toEqualTypeOf<{
          outOrderNo: string;
          paid: boolean;
        }>();
      },
    });
  });

  it('any route, with the opt-in `@ttpay/koa/global-context`: typed, clients from the registry', () => {
    const route: Koa.Middleware = (ctx) => {
      expectTypeOf(ctx.payment).toEqualTypeOf<
        PaymentContext<TtpayEvent | undefined, RegisteredClients, unknown>
      >();
      expectTypeOf(ctx.payment.event).toEqualTypeOf<TtpayEvent | undefined>();
      expectTypeOf(ctx.payment.rawBody).toEqualTypeOf<Buffer | undefined>();
      expectTypeOf(ctx.payment.tx).toBeUnknown();
      expectTypeOf(ctx.payment.algovoi).toEqualTypeOf<GatewayClient>();
      expectTypeOf(ctx.payment.tiktok).toBeUnknown();
    };
    const router = new Router();
    router.get('/orders/:id', (ctx) => {
      expectTypeOf(ctx.payment.algovoi.verifyPayment).parameter(0).toBeString();
    });
    expectTypeOf(route).toBeFunction();
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
    tiktokWebhooks({
      appKey: 'k',
      appSecret: 's',
      store,
      on: { ORDER_STATUS_CHANGE: (_event, ctx) => expectTypeOf(ctx.payment.tx).toEqualTypeOf<FakeTx>() },
    });
    algovoiWebhooks({
      secret: 's',
      store,
      onEvent: (_event, ctx) => expectTypeOf(ctx.payment.tx).toEqualTypeOf<FakeTx>(),
    });
    douyinCallbacks({
      token: 't',
      onPayment: (_event, ctx) => expectTypeOf(ctx.payment.tx).toEqualTypeOf<undefined>(),
    });
  });

  it('paymentContext() takes clients, and a registered slot must have its registered type', () => {
    const gateway: GatewayClient = { verifyPayment: async () => true };
    expectTypeOf(paymentContext({ clients: { algovoi: gateway } })).toEqualTypeOf<Koa.Middleware>();
    // @ts-expect-error `clients` must be an object of client slots
    paymentContext({ clients: 'douyin' });
    // @ts-expect-error the registry says the algovoi slot holds a GatewayClient
    paymentContext({ clients: { algovoi: { verifyPayment: 'no' } } });
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
