import { createHmac } from 'node:crypto';
import { TtpayError } from '../errors.js';
import { TIKTOK_WEBHOOK_TYPES, type TikTokEvent, type TikTokWebhookTypeNumber } from '../events.js';
import { constantTimeEqual } from '../shared/constant-time.js';
import { type HeaderMap, headerValue } from '../shared/headers.js';
import { parseJsonObject, requireInteger, requireStringish } from '../shared/json.js';
import { type RawBody, rawBodyToBuffer, utf8Text } from '../shared/raw-body.js';
import { requireSecret, secretList } from '../shared/secrets.js';
import type { ParsedBody, SignedRequest } from '../shared/signed-request.js';

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

/** The app key and secret(s) a TikTok Shop webhook is verified with; several secrets during rotation. */
export interface VerifyTikTokWebhookOptions {
  appKey: string;
  appSecret: string | readonly string[];
}

/**
 * Verifies a TikTok Shop webhook — the `Authorization` header against the exact bytes — and returns the
 * typed event (narrow on `name`). Throws `TtpayError`: `MISSING_SIGNATURE`, `SIGNATURE_MISMATCH`,
 * `MALFORMED_HEADER` (a repeated `Authorization`), `MALFORMED_BODY`, `MISSING_FIELD`.
 */
export function verifyTikTokWebhook(request: SignedRequest, options: VerifyTikTokWebhookOptions): TikTokEvent;
/**
 * @deprecated Pass the headers: `verifyTikTokWebhook({ rawBody, headers }, options)` (the header is
 * `Authorization`). This `{ rawBody, signature }` form goes in the next minor release.
 */
export function verifyTikTokWebhook(
  request: { rawBody: RawBody; signature: string | undefined },
  options: VerifyTikTokWebhookOptions,
): TikTokEvent;
export function verifyTikTokWebhook(
  request: SignedRequest | { rawBody: RawBody; signature: string | undefined },
  options: VerifyTikTokWebhookOptions,
): TikTokEvent {
  const raw = rawBodyToBuffer(request?.rawBody);
  const signature = signatureOf(request);
  checkSignature(raw, signature, options);
  return tikTokEventOf(parseJsonObject(utf8Text(raw, WHAT), WHAT));
}

/** The engine's entry: the same checks on a body it has parsed from `body.raw` already. */
export function verifyTikTokWebhookParsed(
  body: ParsedBody,
  headers: HeaderMap,
  options: VerifyTikTokWebhookOptions,
): TikTokEvent {
  checkSignature(body.raw, headerValue(headers, 'Authorization'), options);
  return tikTokEventOf(body.json);
}

const WHAT = 'The TikTok Shop webhook body';

function signatureOf(
  request: SignedRequest | { rawBody: RawBody; signature: string | undefined },
): string | undefined {
  if (request !== null && typeof request === 'object' && 'headers' in request && request.headers) {
    return headerValue(request.headers, 'Authorization');
  }
  const legacy = (request as { signature?: unknown } | null)?.signature;
  return typeof legacy === 'string' ? legacy : undefined;
}

function checkSignature(raw: Buffer, header: string | undefined, c: VerifyTikTokWebhookOptions): void {
  const appKey = requireSecret(c?.appKey, 'appKey');
  const secrets = secretList(c.appSecret, 'appSecret');
  const signature = typeof header === 'string' ? header.trim() : '';
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
}

function tikTokEventOf(body: Record<string, unknown>): TikTokEvent {
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
