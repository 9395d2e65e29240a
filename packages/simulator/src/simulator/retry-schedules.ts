const S = 1000;
const M = 60 * S;
const H = 60 * M;

/**
 * Delays before each retry, in milliseconds at `timeScale` 1. A delivery makes at most
 * `schedule.length + 1` attempts.
 */
export type RetrySchedule = readonly number[];

/** Douyin ecpay callbacks (docs/PROTOCOLS.md §1.3): 15 retries, about a day. */
export const ECPAY_RETRY_SCHEDULE: RetrySchedule = [
  15 * S,
  15 * S,
  30 * S,
  3 * M,
  10 * M,
  20 * M,
  30 * M,
  30 * M,
  30 * M,
  60 * M,
  3 * H,
  3 * H,
  3 * H,
  6 * H,
  6 * H,
];

/**
 * Douyin trade-system callbacks. Not in docs/PROTOCOLS.md (§2 only says "reply as in 1.3"); this is the
 * schedule the platform's trade-system "支付结果回调" page states (15s/30s/1m/…/128m, about 4 h), which
 * types.ts also quotes. Another revision of that page lists 12s/12s/33s/1m/…/7m: treat it as approximate.
 */
export const TRADE_RETRY_SCHEDULE: RetrySchedule = [
  15 * S,
  30 * S,
  1 * M,
  2 * M,
  4 * M,
  8 * M,
  16 * M,
  32 * M,
  64 * M,
  128 * M,
];

/** TikTok Shop webhooks (docs/PROTOCOLS.md §3): 4 retries at 2 min, 30 min, 3 h, 12 h. */
export const TIKTOK_RETRY_SCHEDULE: RetrySchedule = [2 * M, 30 * M, 3 * H, 12 * H];

/**
 * AlgoVoi gateway webhooks: the gateway's retry schedule is undocumented (docs/PROTOCOLS.md §4), so the
 * simulator borrows TikTok's modest one.
 */
export const ALGOVOI_RETRY_SCHEDULE: RetrySchedule = TIKTOK_RETRY_SCHEDULE;
