/**
 * Names `@ttpay/simulator` 0.1 exported that 0.2 reaches through the `Simulator`'s methods instead, kept
 * for one release so that code written against 0.1 still compiles. Each goes in the next minor release;
 * the changeset `.changeset/a-deliberate-api.md` lists them all.
 */
import type {
  SimLogEntry as SimLogEntryNow,
  SimTikTokOrderInput as SimTikTokOrderInputNow,
  UserRefundOptions as UserRefundOptionsNow,
} from './simulator/types.js';

/** @deprecated Use `Simulator['log'][number]`. */
export type SimLogEntry = SimLogEntryNow;
/** @deprecated Use `Parameters<Simulator['tiktok']['addOrder']>[0]`. */
export type SimTikTokOrderInput = SimTikTokOrderInputNow;
/** @deprecated Use `NonNullable<Parameters<Simulator['douyin']['userRefund']>[1]>`. */
export type UserRefundOptions = UserRefundOptionsNow;
