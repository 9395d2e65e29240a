import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  AlgoVoiWebhookOptions,
  Delivery,
  DemoCredentials,
  DouyinCallbackType,
  EcpayCallbackOptions,
  SignedDelivery,
  TikTokWebhookOptions,
  TradeCallbackOptions,
  TradeCallbackType,
} from '../src/index.js';
import * as testing from '../src/index.js';

/**
 * What @ttpay/testing 0.1 exported and 0.2 renames (the fixtures are `signed…` now, so none reads like the
 * middleware it feeds) or reaches through a signature stays importable for one release (`src/deprecated.ts`).
 */
describe('@ttpay/testing 0.1 names, deprecated for one release', () => {
  it('the fixtures: the renamed functions themselves', () => {
    expect(testing.ecpayCallback).toBe(testing.signedEcpayCallback);
    expect(testing.tradeCallback).toBe(testing.signedTradeCallback);
    expect(testing.tikTokWebhook).toBe(testing.signedTikTokWebhook);
    expect(testing.algoVoiWebhook).toBe(testing.signedAlgoVoiWebhook);
    expect(testing.bodyOnlyTikTokWebhook).toBe(testing.bodyOnlySignedTikTokWebhook);
  });

  it('their types: the same as the renamed fixtures take and return', () => {
    expectTypeOf<Delivery>().toEqualTypeOf<SignedDelivery>();
    expectTypeOf<EcpayCallbackOptions>().toEqualTypeOf<Parameters<typeof testing.signedEcpayCallback>[0]>();
    expectTypeOf<TradeCallbackOptions>().toEqualTypeOf<Parameters<typeof testing.signedTradeCallback>[0]>();
    expectTypeOf<TikTokWebhookOptions>().toEqualTypeOf<
      NonNullable<Parameters<typeof testing.signedTikTokWebhook>[0]>
    >();
    expectTypeOf<AlgoVoiWebhookOptions>().toEqualTypeOf<
      NonNullable<Parameters<typeof testing.signedAlgoVoiWebhook>[0]>
    >();
    expectTypeOf<DouyinCallbackType>().toEqualTypeOf<Parameters<typeof testing.ecpayMsg>[0]>();
    expectTypeOf<TradeCallbackType>().toEqualTypeOf<Parameters<typeof testing.tradeMsg>[0]>();
    expectTypeOf<DemoCredentials>().toEqualTypeOf<typeof testing.demoCredentials>();
  });
});
