import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Delivery } from '../../src/delivery/index.js';
import { signEcpayCallback, signTikTokWebhook, signTradeCallback } from '../../src/index.js';

/** Credentials of these tests only (the engine's tests build their own deliveries: no @ttpay/testing here). */
export const TOKEN = 'engine-test-token';
export const TIKTOK = { appKey: 'engine-app-key', appSecret: 'engine-app-secret' };
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const PLATFORM_PUBLIC_KEY = keys.publicKey;

/** A request as the engine sees it: `request` is a marker the handler's context hands back. */
export interface TestRequest {
  readonly id: string;
}

export function deliveryOf(
  body: string,
  headers: Record<string, string> = {},
  method = 'POST',
): Delivery<TestRequest> {
  return {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(body, 'utf8'),
    request: { id: randomUUID() },
  };
}

/** A signed ecpay callback of `type` whose msg carries `msg` (a payment of order_1 by default). */
export function ecpayDelivery(
  type = 'payment',
  msg: Record<string, unknown> = { cp_orderno: 'order_1', status: 'SUCCESS', total_amount: 9900 },
): Delivery<TestRequest> {
  const fields = { timestamp: '1700000000', nonce: 'n1', msg: JSON.stringify(msg) };
  const msg_signature = signEcpayCallback({ token: TOKEN, ...fields });
  return deliveryOf(JSON.stringify({ ...fields, msg_signature, type }));
}

/** A signed trade-system payment callback, timestamped now. */
export function tradeDelivery(outOrderNo = 'order_t1'): Delivery<TestRequest> {
  return tradeDeliveryOf('payment', { out_order_no: outOrderNo, status: 'SUCCESS', total_amount: 100 });
}

/** A signed trade-system callback of `type` carrying `msg`, timestamped now (or at `timestamp`, seconds). */
export function tradeDeliveryOf(
  type: string,
  msg: Record<string, unknown>,
  opts: { version?: string; timestamp?: number } = {},
): Delivery<TestRequest> {
  const body = JSON.stringify({ msg: JSON.stringify(msg), type, version: opts.version ?? '3.0' });
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = signTradeCallback({ timestamp, nonce: 'n2', rawBody: body }, keys.privateKey);
  return deliveryOf(body, {
    'byte-timestamp': timestamp,
    'byte-nonce-str': 'n2',
    'byte-signature': signature,
  });
}

/** A signed TikTok Shop order status webhook. */
export function tikTokDelivery(id = '7300000000000000001'): Delivery<TestRequest> {
  const body = JSON.stringify({
    type: 1,
    tts_notification_id: id,
    shop_id: '1',
    timestamp: 1700000000,
    data: { order_id: '576', order_status: 'AWAITING_SHIPMENT' },
  });
  return deliveryOf(body, { authorization: signTikTokWebhook(body, TIKTOK) });
}
