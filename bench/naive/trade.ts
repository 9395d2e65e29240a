/**
 * BASELINE, NOT PRODUCT CODE. The Douyin trade-system RSA signatures as SDKs commonly write them: the
 * string to sign built with a template, `createSign`/`createVerify` with the PEM text from configuration
 * on every call.
 */
import { createSign, createVerify } from 'node:crypto';

export interface NaiveTradeRequest {
  method: string;
  uri: string;
  timestamp: string;
  nonce: string;
  body: string;
}

export function naiveSignTradeRequest(r: NaiveTradeRequest, privateKeyPem: string): string {
  const message = `${r.method}\n${r.uri}\n${r.timestamp}\n${r.nonce}\n${r.body}\n`;
  return createSign('RSA-SHA256').update(message).sign(privateKeyPem, 'base64');
}

export function naiveByteAuthorization(
  r: NaiveTradeRequest & { appId: string; keyVersion: string },
  privateKeyPem: string,
): string {
  const signature = naiveSignTradeRequest(r, privateKeyPem);
  return `SHA256-RSA2048 appid=${r.appId},nonce_str=${r.nonce},timestamp=${r.timestamp},key_version=${r.keyVersion},signature=${signature}`;
}

/** Verify the headers over the body text, then parse the body and its `msg`. */
export function naiveVerifyTradeCallback(
  headers: Record<string, string>,
  rawBody: Buffer,
  publicKeyPem: string,
  nowMs: number = Date.now(),
): Record<string, unknown> {
  const timestamp = headers['byte-timestamp'];
  const nonce = headers['byte-nonce-str'];
  const signature = headers['byte-signature'];
  if (!timestamp || !nonce || !signature) throw new Error('missing headers');
  const body = rawBody.toString();
  const ok = createVerify('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${body}\n`)
    .verify(publicKeyPem, signature, 'base64');
  if (!ok) throw new Error('bad signature');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > 300) throw new Error('stale timestamp');
  const parsed = JSON.parse(body) as Record<string, string>;
  return { ...parsed, msg: JSON.parse(parsed.msg ?? '{}') as Record<string, unknown> };
}
