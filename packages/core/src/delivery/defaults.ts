/** Documented defaults of every delivery option (the @ttpay/koa README, "Options every middleware takes"). */

/** Largest body read, in bytes: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** AlgoVoi webhooks are small; the seed adapter's 64 KiB cap is one of its guards worth keeping (PROTOCOLS.md §4). */
export const ALGOVOI_BODY_LIMIT = 64 * 1024;

/**
 * How long a claim (the in-flight lease) lasts. It must outlast your slowest handler: when it expires a
 * redelivery may claim the key again. 5 minutes.
 */
export const DEFAULT_CLAIM_TTL_MS = 5 * 60 * 1000;
/**
 * How long a processed key is remembered. It must cover the platforms' retry windows: ecpay retries for
 * about 25 hours, TikTok Shop for about 15 hours (PROTOCOLS.md §1.3, §3). 48 hours.
 */
export const DEFAULT_DONE_TTL_MS = 48 * 60 * 60 * 1000;

/**
 * The Douyin endpoint remembers a processed key at least this long: 74 hours, a margin over the trade
 * system's default `Byte-Timestamp` window (73 h, the refund application's 72 h of retries plus an hour),
 * so that a callback the clock check still accepts is still known as handled (PROTOCOLS.md §2.3, §2.5).
 */
export const DOUYIN_DONE_TTL_MS = 74 * 60 * 60 * 1000;

/** How long a handler may run before the delivery is answered "retry later" (it keeps running). 10 s. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;
/** TikTok Shop waits 3 s for a webhook reply (PROTOCOLS.md §3), so its deadline is 2.5 s. */
export const TIKTOK_HANDLER_TIMEOUT_MS = 2_500;

/** MemoryStore capacity: 100 000 keys (a few tens of MB at most). */
export const DEFAULT_MAX_ENTRIES = 100_000;
