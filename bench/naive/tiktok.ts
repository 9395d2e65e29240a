/**
 * BASELINE, NOT PRODUCT CODE. TikTok Shop signatures as SDKs commonly write them: the message built
 * with `+`, then one `createHmac`; the webhook compared with `===`.
 */
import { createHmac } from 'node:crypto';

export function naiveSignTikTokWebhook(rawBody: Buffer, appKey: string, appSecret: string): string {
  return createHmac('sha256', appSecret)
    .update(appKey + rawBody.toString())
    .digest('hex');
}

export function naiveVerifyTikTokWebhook(
  rawBody: Buffer,
  signature: string,
  appKey: string,
  appSecret: string,
): Record<string, unknown> {
  if (naiveSignTikTokWebhook(rawBody, appKey, appSecret) !== signature) throw new Error('bad signature');
  return JSON.parse(rawBody.toString()) as Record<string, unknown>;
}

export function naiveSignTikTokRequest(
  path: string,
  query: Record<string, string | number>,
  body: Buffer,
  appSecret: string,
): string {
  const keys = Object.keys(query)
    .filter((k) => k !== 'sign' && k !== 'access_token')
    .sort();
  let input = path;
  keys.forEach((k) => {
    input += k + query[k];
  });
  input += body.toString();
  input = appSecret + input + appSecret;
  return createHmac('sha256', appSecret).update(input).digest('hex');
}
