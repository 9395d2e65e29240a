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
 * Douyin trade-system result callbacks (docs/PROTOCOLS.md §2.3): 10 retries at
 * 12s/12s/33s/1m/2m/3m/4m/5m/6m/7m — "共约29m" — as the payment-result page states (yansongda/pay
 * docs/douyin-trade-system.md quotes it: "支付回调 12s/12s/33s/1m/2m/3m/4m/5m/6m/7m"). The refund and
 * settlement notifications' own schedules are not documented (§6 Q8): the simulator uses this one.
 */
export const TRADE_RETRY_SCHEDULE: RetrySchedule = [
  12 * S,
  12 * S,
  33 * S,
  1 * M,
  2 * M,
  3 * M,
  4 * M,
  5 * M,
  6 * M,
  7 * M,
];

/**
 * The refund application (退款申请回调, docs/PROTOCOLS.md §2.5): "系统在72小时内会重试, 重试频率是10分钟/次" —
 * every 10 minutes for 72 hours, 432 retries. Not answered by then, the platform passes the refund with a
 * refund number of its own.
 */
export const REFUND_APPLICATION_RETRY_SCHEDULE: RetrySchedule = Array.from({ length: 72 * 6 }, () => 10 * M);

/**
 * How long a refund waits for the shop's audit: "若开发者在退款单创建后72小时内未同步审核结果,则系统默认审核
 * 通过" (docs/PROTOCOLS.md §2.6). Scaled by `timeScale` like the retry schedules.
 */
export const REFUND_AUDIT_WINDOW_MS = 72 * H;

/** TikTok Shop webhooks (docs/PROTOCOLS.md §3): 4 retries at 2 min, 30 min, 3 h, 12 h. */
export const TIKTOK_RETRY_SCHEDULE: RetrySchedule = [2 * M, 30 * M, 3 * H, 12 * H];

/**
 * AlgoVoi gateway webhooks: the gateway's retry schedule is undocumented (docs/PROTOCOLS.md §4), so the
 * simulator borrows TikTok's modest one.
 */
export const ALGOVOI_RETRY_SCHEDULE: RetrySchedule = TIKTOK_RETRY_SCHEDULE;
