/**
 * BASELINE, NOT PRODUCT CODE. The AlgoVoi webhook signature as a JavaScript port of the seed adapter
 * (Python) writes it: one `createHmac` over the body, base64, compared in constant time as the adapter's
 * `hmac.compare_digest` does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function naiveSignAlgoVoiWebhook(rawBody: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export function naiveVerifyAlgoVoiWebhook(
  rawBody: Buffer,
  signature: string,
  secret: string,
): Record<string, unknown> {
  const expected = Buffer.from(naiveSignAlgoVoiWebhook(rawBody, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new Error('bad signature');
  return JSON.parse(rawBody.toString()) as Record<string, unknown>;
}
