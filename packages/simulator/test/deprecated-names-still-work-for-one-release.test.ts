import { describe, expectTypeOf, it } from 'vitest';
import type { SimLogEntry, SimTikTokOrderInput, Simulator, UserRefundOptions } from '../src/index.js';

/**
 * What @ttpay/simulator 0.1 exported and 0.2 reaches through the `Simulator`'s methods stays importable
 * for one release (`src/deprecated.ts`), as the very same types.
 */
describe('@ttpay/simulator 0.1 names, deprecated for one release', () => {
  it("the same types as the Simulator's members take and give", () => {
    expectTypeOf<SimLogEntry>().toEqualTypeOf<Simulator['log'][number]>();
    expectTypeOf<SimTikTokOrderInput>().toEqualTypeOf<Parameters<Simulator['tiktok']['addOrder']>[0]>();
    expectTypeOf<UserRefundOptions>().toEqualTypeOf<
      NonNullable<Parameters<Simulator['douyin']['userRefund']>[1]>
    >();
  });
});
