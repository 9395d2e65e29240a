import type { TtpayLogger as CoreTtpayLogger, DouyinEvent, TtpayEvent } from '@ttpay/core';
import * as delivery from '@ttpay/core/delivery';
import type * as store from '@ttpay/core/store';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  Claim,
  DeliveryErrorCode,
  DeliveryHooks,
  DeliveryOptions,
  DouyinReply,
  DuplicateState,
  IdempotencyStore,
  Lease,
  MemoryStoreOptions,
  PaymentContext,
  RefundApplicationReply,
  RefundApplicationReplyData,
  TikTokHandlers,
  TransactionalIdempotencyStore,
  TtpayLogger,
} from '../src/index.js';
import * as koa from '../src/index.js';

/**
 * What @ttpay/koa 0.1 exported and 0.2 renames or no longer exports stays importable for one release
 * (`src/deprecated.ts`): code written against 0.1 compiles and behaves the same, with the editor's
 * strikethrough naming the replacement.
 */
describe('@ttpay/koa 0.1 names, deprecated for one release', () => {
  it('tiktokWebhooks and algovoiWebhooks: the renamed middleware themselves', () => {
    expect(koa.tiktokWebhooks).toBe(koa.tikTokWebhooks);
    expect(koa.algovoiWebhooks).toBe(koa.algoVoiWebhooks);
  });

  it("the engine's names: the same as @ttpay/core/delivery's", () => {
    expect(koa.DEFAULT_CLAIM_TTL_MS).toBe(delivery.DEFAULT_CLAIM_TTL_MS);
    expect(koa.DEFAULT_DONE_TTL_MS).toBe(delivery.DEFAULT_DONE_TTL_MS);
    expectTypeOf<DeliveryErrorCode>().toEqualTypeOf<delivery.DeliveryErrorCode>();
    expectTypeOf<DeliveryErrorCode>().toEqualTypeOf<koa.DeliveryError['code']>();
    expectTypeOf<DouyinReply>().toEqualTypeOf<delivery.DouyinReply>();
    expectTypeOf<DuplicateState>().toEqualTypeOf<'in-flight' | 'done'>();
    expectTypeOf<MemoryStoreOptions>().toEqualTypeOf<delivery.MemoryStoreOptions>();
    expectTypeOf<RefundApplicationReply>().toEqualTypeOf<delivery.RefundApplicationReply>();
    expectTypeOf<RefundApplicationReplyData>().toEqualTypeOf<delivery.RefundApplicationReplyData>();
  });

  it("the middleware's option parts: what the options and handlers reach", () => {
    type Tx = { query(sql: string): Promise<unknown> };
    expectTypeOf<TikTokHandlers<Tx>>().toEqualTypeOf<NonNullable<koa.TikTokWebhooksOptions<Tx>['on']>>();
    expectTypeOf<PaymentContext<TtpayEvent, Tx>>().toEqualTypeOf<
      koa.PaymentRouteContext<TtpayEvent, Tx>['payment']
    >();
    expectTypeOf<koa.DouyinCallbacksOptions<Tx>>().toExtend<DeliveryOptions<DouyinEvent, Tx>>();
    expectTypeOf<koa.DouyinCallbacksOptions<Tx>['onVerified']>().toEqualTypeOf<
      DeliveryHooks<DouyinEvent, Tx>['onVerified']
    >();
  });

  it("other packages' names: the same as where they live", () => {
    expectTypeOf<IdempotencyStore>().toEqualTypeOf<store.IdempotencyStore>();
    expectTypeOf<TransactionalIdempotencyStore<1>>().toEqualTypeOf<store.TransactionalIdempotencyStore<1>>();
    expectTypeOf<Claim>().toEqualTypeOf<store.Claim>();
    expectTypeOf<Lease>().toEqualTypeOf<store.Lease>();
    expectTypeOf<TtpayLogger>().toEqualTypeOf<CoreTtpayLogger>();
    // silentLogger: a logger that drops every call.
    const logger: CoreTtpayLogger = koa.silentLogger;
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      expect(logger[level]({ secret: 'x' }, 'dropped')).toBeUndefined();
    }
  });
});
