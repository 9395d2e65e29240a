import { createHmac } from 'node:crypto';
import { TtpayError } from '../errors.js';
import type { AlgoVoiEvent } from '../events.js';
import { digestKey } from '../idempotency.js';
import { constantTimeEqual } from '../shared/constant-time.js';
import { parseJsonObject } from '../shared/json.js';
import { type RawBody, rawBodyToBuffer, utf8Text } from '../shared/raw-body.js';
import { requireSecret, secretList } from '../shared/secrets.js';

/** `X-AlgoVoi-Signature`: base64 HMAC-SHA256(webhook_secret, raw body) (PROTOCOLS.md §4). */
export function signAlgoVoiWebhook(rawBody: RawBody, secret: string): string {
  return webhookSignature(rawBodyToBuffer(rawBody), requireSecret(secret, 'secret'));
}

function webhookSignature(raw: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

/**
 * Verifies an AlgoVoi gateway webhook. Its fields are undocumented: treat the event as a hint and confirm
 * the checkout with the gateway (`AlgoVoiClient.verifyPayment`) before shipping anything.
 */
export function verifyAlgoVoiWebhook(
  r: { rawBody: RawBody; signature: string | undefined },
  secret: string | readonly string[],
): AlgoVoiEvent {
  const secrets = secretList(secret, 'webhook secret');
  const raw = rawBodyToBuffer(r?.rawBody);
  const signature = typeof r.signature === 'string' ? r.signature.trim() : '';
  if (!signature)
    throw new TtpayError('MISSING_SIGNATURE', 'The AlgoVoi webhook has no X-AlgoVoi-Signature header.');
  let verified = false;
  for (const s of secrets) {
    if (constantTimeEqual(webhookSignature(raw, s), signature)) verified = true;
  }
  if (!verified) {
    throw new TtpayError(
      'SIGNATURE_MISMATCH',
      'The AlgoVoi webhook signature does not match: check the webhook secret, and pass the raw bytes received.',
    );
  }
  const text = utf8Text(raw, 'The AlgoVoi webhook body');
  const payload = parseJsonObject(text, 'The AlgoVoi webhook body');
  const str = (v: unknown): string | undefined =>
    // Only safe integers become text: 2^64 and 2^64+1 would both print as 18446744073709552000.
    typeof v === 'string' && v.length > 0 ? v : Number.isSafeInteger(v) ? String(v) : undefined;
  const checkoutUrl = str(payload.checkout_url);
  const token = str(payload.token) ?? (checkoutUrl ? lastPathSegment(checkoutUrl) : undefined);
  const status = str(payload.status);
  const orderId = str(payload.order_id);
  const txId = str(payload.tx_id);
  const key = token ? `algovoi:${token}:${status ?? ''}` : `algovoi:${digestKey(text)}`;
  // Optional fields set one by one: four `...(x ? { x } : {})` spreads cost more than the rest of the
  // event together (bench/PROFILE.md).
  const event: AlgoVoiEvent = { platform: 'algovoi', key, payload };
  if (token) event.token = token;
  if (status) event.status = status;
  if (orderId) event.order_id = orderId;
  if (txId) event.tx_id = txId;
  return event;
}

function lastPathSegment(url: string): string | undefined {
  try {
    const segments = new URL(url).pathname.split('/').filter(Boolean);
    const last = segments.at(-1);
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}
