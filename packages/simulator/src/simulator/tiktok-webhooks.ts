import { positiveInteger } from '@ttpay/core/internal';
import { signedTikTokWebhook } from '@ttpay/testing';
import { assertDuplicates, isTikTokAck } from './deliver-with-retries.js';
import { TIKTOK_RETRY_SCHEDULE } from './retry-schedules.js';
import type { SimContext } from './sim-context.js';
import { SimulatorError } from './simulator-error.js';
import type { DeliveryResult } from './types.js';

/** TikTok expects the reply within 3 s (docs/PROTOCOLS.md §3). */
const TIKTOK_REPLY_TIMEOUT_MS = 3000;

/** Webhook types that announce a new order status, which the simulated Open API then serves. */
const ORDER_STATUS_CHANGE = 1;
const CANCELLATION_STATUS_CHANGE = 11;

/**
 * Sends a webhook signed as TikTok signs it (`Authorization` = HMAC(app_secret, app_key + body)), with
 * TikTok's retry schedule until HTTP 200. The same bytes go out on every attempt and duplicate: a retry is
 * the same notification (same `tts_notification_id`).
 */
export async function sendTikTokWebhook(
  sim: SimContext,
  type: number,
  data: Record<string, unknown>,
  opts: { url?: string; duplicates?: number } = {},
): Promise<DeliveryResult> {
  assertDuplicates(opts.duplicates);
  positiveInteger(type, 'type (a TikTok webhook type number, e.g. 1 for order status)', SimulatorError);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SimulatorError('INVALID_ARGUMENT', 'data must be an object.');
  }
  const { appKey, appSecret, shopId, webhookUrl } = sim.options.tiktok;
  const url = opts.url ?? webhookUrl;
  if (!url) {
    throw new SimulatorError(
      'NO_DELIVERY_URL',
      'No TikTok webhook URL: start the simulator with tiktok.webhookUrl or pass { url }.',
    );
  }
  // Keep the simulated Open API consistent with what the webhook announces. The webhook spells the
  // cancelled state CANCEL, the Order API CANCELLED (docs/PROTOCOLS.md §5.4): the API answers in its own.
  const order = typeof data.order_id === 'string' ? sim.tiktok.orders.get(data.order_id) : undefined;
  if (order && type === ORDER_STATUS_CHANGE && typeof data.order_status === 'string') {
    sim.tiktok.setStatus(order, data.order_status === 'CANCEL' ? 'CANCELLED' : data.order_status);
  }
  if (
    order &&
    type === CANCELLATION_STATUS_CHANGE &&
    data.cancel_status === 'CANCELLATION_REQUEST_COMPLETE'
  ) {
    sim.tiktok.setStatus(order, 'CANCELLED');
  }
  const delivery = signedTikTokWebhook({ type, data, shop_id: shopId, appKey, appSecret });
  return sim.deliverer.deliver({
    url,
    platform: 'tiktok',
    schedule: TIKTOK_RETRY_SCHEDULE,
    attempt: () => delivery,
    isAck: isTikTokAck,
    duplicates: opts.duplicates,
    timeoutMs: TIKTOK_REPLY_TIMEOUT_MS,
  });
}
