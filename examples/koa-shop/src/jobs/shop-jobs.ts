import type { TikTokEventOf } from '@ttpay/core';
import type { JobQueue } from './job-queue.js';

/** Job names and their data: plain JSON, so a queue on Redis can carry them unchanged. */
export type ShopJobs = {
  /** Fetch the TikTok order's amount and create its AlgoVoi payment link. */
  'settle-tiktok-order': { outOrderNo: string; event: TikTokEventOf<'ORDER_STATUS_CHANGE'> };
  /** Confirm the AlgoVoi checkout is paid, then ship the package (its transaction id stays on the order). */
  'ship-tiktok-order': { outOrderNo: string; token: string; txId?: string };
  /** Ask Douyin about orders whose payment callback never came, and apply what it says. */
  'reconcile-payments': Record<string, never>;
};

export type ShopJobQueue = JobQueue<ShopJobs>;
