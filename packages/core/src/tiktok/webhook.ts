import { createHmac } from 'node:crypto';
import { TtpayError } from '../errors.js';
import { TIKTOK_WEBHOOK_TYPES, type TikTokEvent, type TikTokWebhookTypeNumber } from '../events.js';
import { constantTimeEqual } from '../shared/constant-time.js';
import { parseJsonObject, requireInteger, requireStringish } from '../shared/json.js';
import { type RawBody, rawBodyToBuffer, utf8Text } from '../shared/raw-body.js';
import { requireSecret, secretList } from '../shared/secrets.js';

export interface TikTokWebhookCredentials {
  appKey: string;
  appSecret: string;
}

/**
 * The `Authorization` header value of a TikTok Shop webhook: lowercase hex
 * HMAC-SHA256(key = app_secret, message = app_key + raw body) — the app key is part of the message,
 * which the seed adapter forgot (PROTOCOLS.md §3, §4).
 */
export function signTikTokWebhook(rawBody: RawBody, c: TikTokWebhookCredentials): string {
  const appKey = requireSecret(c?.appKey, 'appKey');
  const appSecret = requireSecret(c.appSecret, 'appSecret');
  return webhookSignature(rawBodyToBuffer(rawBody), appKey, appSecret);
}

function webhookSignature(raw: Buffer, appKey: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(appKey).update(raw).digest('hex');
}

/** Verifies a TikTok Shop webhook and returns the typed event (narrow on `name`). */
export function verifyTikTokWebhook(
  r: { rawBody: RawBody; signature: string | undefined },
  c: { appKey: string; appSecret: string | readonly string[] },
): TikTokEvent {
  const appKey = requireSecret(c?.appKey, 'appKey');
  const secrets = secretList(c.appSecret, 'appSecret');
  const raw = rawBodyToBuffer(r?.rawBody);
  const signature = typeof r.signature === 'string' ? r.signature.trim() : '';
  if (!signature)
    throw new TtpayError('MISSING_SIGNATURE', 'The TikTok Shop webhook has no Authorization header.');
  let verified = false;
  for (const appSecret of secrets) {
    if (constantTimeEqual(webhookSignature(raw, appKey, appSecret), signature)) verified = true;
  }
  if (!verified) {
    throw new TtpayError(
      'SIGNATURE_MISMATCH',
      'The TikTok Shop webhook signature does not match: it is HMAC-SHA256(app_secret, app_key + raw body); check both, and pass the raw bytes received.',
    );
  }
  return parseTikTokWebhook(utf8Text(raw, 'The TikTok Shop webhook body'));
}

function parseTikTokWebhook(text: string): TikTokEvent {
  const body = parseJsonObject(text, 'The TikTok Shop webhook body');
  const type = requireInteger(body, 'type', 'The TikTok Shop webhook');
  const ttsNotificationId = requireStringish(body, 'tts_notification_id', 'The TikTok Shop webhook');
  const shopId =
    typeof body.shop_id === 'string' ||
    (typeof body.shop_id === 'number' && Number.isSafeInteger(body.shop_id))
      ? String(body.shop_id)
      : '';
  // Informational only (nothing is decided on it): a number, or digits; anything else reads as 0.
  const timestamp =
    typeof body.timestamp === 'number'
      ? body.timestamp
      : typeof body.timestamp === 'string' && /^\d{1,15}$/.test(body.timestamp)
        ? Number(body.timestamp)
        : 0;
  const data =
    typeof body.data === 'object' && body.data !== null && !Array.isArray(body.data)
      ? (body.data as Record<string, unknown>)
      : {};
  const name = (TIKTOK_WEBHOOK_TYPES as Record<number, string>)[type];
  if ((type === 1 || type === 11) && typeof data.order_id !== 'string') {
    throw new TtpayError('MISSING_FIELD', 'The TikTok Shop order webhook has no data.order_id.');
  }
  // Type 1 is documented as {order_id, order_status, is_on_hold_order, update_time} (PROTOCOLS.md §3.1):
  // the event's type promises a status, so one without it is refused here rather than handed on.
  if (type === 1 && typeof data.order_status !== 'string') {
    throw new TtpayError('MISSING_FIELD', 'The TikTok Shop order status webhook has no data.order_status.');
  }
  return {
    platform: 'tiktok',
    key: `tiktok:${ttsNotificationId}`,
    tts_notification_id: ttsNotificationId,
    shop_id: shopId,
    timestamp: Number.isFinite(timestamp) ? timestamp : 0,
    type: type as TikTokWebhookTypeNumber,
    name: (name ?? 'UNKNOWN') as 'UNKNOWN',
    data,
  } as TikTokEvent;
}
