import { signAlgoVoiWebhook, signEcpayCallback, signTikTokWebhook, signTradeCallback } from '@ttpay/core';
import { type SignedDelivery, withBadSignature } from '@ttpay/testing';
import { nowSeconds } from '../random-ids.js';
import { parseJsonObject } from '../read-body.js';
import type { ResolvedOptions } from '../resolve-options.js';
import { SimulatorError } from '../simulator-error.js';
import type { DeliveryScheme } from './describe-delivery.js';

/** How the dashboard can spoil a delivery before sending it again. */
export type Breakage = 'bad-signature' | 'stale-timestamp';

export const BREAKAGES: readonly Breakage[] = ['bad-signature', 'stale-timestamp'];

/**
 * How old a "stale" timestamp is: 74 hours, past the trade system's default 73 h window (the refund
 * application's 72 h of retries plus an hour, docs/PROTOCOLS.md §2.3), the AlgoVoi gateway's 300 s
 * (§4.3) and any sensible `maxAgeSeconds` for ecpay.
 */
export const STALE_BY_SECONDS = 74 * 3600;

/** Every scheme can be broken both ways (AlgoVoi's header carries `t=` since the published verifier). */
export function canBreak(_scheme: DeliveryScheme, _how: Breakage): boolean {
  return true;
}

/**
 * The delivery with its signature spoiled, or correctly re-signed over a timestamp 74 hours old — what a
 * replayed capture looks like.
 */
export function breakDelivery(
  d: SignedDelivery,
  scheme: DeliveryScheme,
  how: Breakage,
  credentials: Pick<ResolvedOptions, 'douyin' | 'tiktok' | 'algovoi'>,
): SignedDelivery {
  if (how === 'bad-signature') return withBadSignature(d);
  const stale = nowSeconds() - STALE_BY_SECONDS;
  if (scheme === 'trade') {
    // Same body bytes; only the signed Byte-Timestamp (and so the signature) changes.
    const timestamp = String(stale);
    const nonce = d.headers['byte-nonce-str'] ?? '';
    const signature = signTradeCallback(
      { timestamp, nonce, rawBody: d.rawBody },
      credentials.douyin.platformPrivateKey,
    );
    return { ...d, headers: { ...d.headers, 'byte-timestamp': timestamp, 'byte-signature': signature } };
  }
  const body = parseJsonObject(d.body);
  if (!body) throw new SimulatorError('INVALID_ARGUMENT', 'This delivery has no JSON body to re-sign.');
  if (scheme === 'ecpay') {
    // The timestamp is a body field covered by msg_signature (docs/PROTOCOLS.md §1.3).
    const timestamp = String(stale);
    const msgSignature = signEcpayCallback({
      token: credentials.douyin.token,
      timestamp,
      nonce: String(body.nonce ?? ''),
      msg: String(body.msg ?? ''),
    });
    return redelivered(d, { ...body, timestamp, msg_signature: msgSignature });
  }
  if (scheme === 'tiktok') {
    // The body's `timestamp` is covered by the HMAC over app_key + body (docs/PROTOCOLS.md §3).
    const next = redelivered(d, { ...body, timestamp: stale });
    const authorization = signTikTokWebhook(next.rawBody, credentials.tiktok);
    return { ...next, headers: { ...next.headers, authorization } };
  }
  // AlgoVoi: the same body, X-AlgoVoi-Signature made correctly over a stale t= (docs/PROTOCOLS.md §4.3).
  const signature = signAlgoVoiWebhook(d.rawBody, credentials.algovoi.webhookSecret, { timestamp: stale });
  return { ...d, headers: { ...d.headers, 'x-algovoi-signature': signature } };
}

/** The same headers over a new JSON body (keys keep their order: only the changed values differ). */
function redelivered(d: SignedDelivery, body: Record<string, unknown>): SignedDelivery {
  const rawBody = JSON.stringify(body);
  return { body: Buffer.from(rawBody, 'utf8'), rawBody, headers: { ...d.headers } };
}
