import type { JobQueue } from './job-queue.js';

/** Job names and their data: plain JSON, so a queue on Redis can carry them unchanged. */
export type ShopJobs = {
  /**
   * Ship a TikTok order through TikTok's own flow: a TikTok-shipped package with `shipPackage`, a
   * seller-shipped one with the carrier's tracking number (`selfShipment`, from `POST /orders/:outOrderNo/
   * shipment`). Never waits on a payment gateway — unless the order is held for an outside settlement.
   */
  'ship-tiktok-order': {
    outOrderNo: string;
    selfShipment?: { tracking_number: string; shipping_provider_id: string };
  };
  /** A gateway webhook named this checkout: read `/checkout/{token}/status`; when paid, settle (and ship). */
  'confirm-algovoi-settlement': { outOrderNo: string; token: string; txId?: string };
  /** A buyer asked to cancel (webhook type 11, pending): approve or reject by the shop's rule. */
  'answer-tiktok-cancellation': { outOrderNo: string; orderId: string; cancelId: string };
  /** Webhook type 7, the seller's authorization is expiring: refresh the token, tell a human. */
  'refresh-tiktok-token': { expirationTime?: string };
  /** Find what missed TikTok webhooks would have said (Search Orders by update time), and apply it. */
  'backfill-tiktok-orders': { lookbackSeconds?: number };
  /** Ask Douyin about orders whose payment callback never came, and apply what it says. */
  'reconcile-payments': Record<string, never>;
};

export type ShopJobQueue = JobQueue<ShopJobs>;
