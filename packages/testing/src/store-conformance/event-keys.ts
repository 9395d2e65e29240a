import { randomBytes } from 'node:crypto';
import {
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '@ttpay/core';
import { TIKTOK_WEBHOOK_TYPES } from '@ttpay/core/internal';
import { demoCredentials } from '../demo-credentials.js';
import {
  type SignedDelivery,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
} from '../fixtures/index.js';

/** A key to claim, and what it is, for messages. */
export interface LabelledKey {
  readonly label: string;
  readonly key: string;
}

const { douyin, tiktok, algovoi } = demoCredentials;

const ecpayKey = (d: SignedDelivery): string =>
  verifyEcpayCallback({ rawBody: d.body }, { token: douyin.token }).key;
const tradeKey = (d: SignedDelivery): string =>
  verifyTradeCallback({ headers: d.headers, rawBody: d.body }, { publicKey: douyin.platformPublicKey }).key;
const tikTokKey = (d: SignedDelivery): string =>
  verifyTikTokWebhook({ rawBody: d.body, headers: { authorization: d.headers.authorization } }, tiktok).key;
const algoVoiKey = (d: SignedDelivery): string =>
  verifyAlgoVoiWebhook({ rawBody: d.body, headers: d.headers }, { secret: algovoi.webhookSecret }).key;

/**
 * The key of every kind of event `@ttpay/core` verifies, taken from the events it returns for signed
 * fixtures — never written out by hand, so a new key format in core is tested here as soon as it ships.
 * Many carry the same business id, so keys that differ only in their namespace meet; others carry ids
 * with characters a real shop's order numbers may have.
 */
export function eventKeys(): LabelledKey[] {
  const id = `order_${randomBytes(6).toString('hex')}`;
  const keys: LabelledKey[] = [
    {
      label: 'ecpay payment',
      key: ecpayKey(signedEcpayCallback({ type: 'payment', msg: { cp_orderno: id } })),
    },
    {
      label: 'ecpay payment of the same order, another status',
      key: ecpayKey(signedEcpayCallback({ type: 'payment', msg: { cp_orderno: id, status: 'TIMEOUT' } })),
    },
    {
      label: 'ecpay refund',
      key: ecpayKey(signedEcpayCallback({ type: 'refund', msg: { cp_refundno: id } })),
    },
    {
      label: 'ecpay settle',
      key: ecpayKey(signedEcpayCallback({ type: 'settle', msg: { cp_settle_no: id } })),
    },
    { label: 'ecpay callback of an unknown type', key: ecpayKey(signedEcpayCallback({ type: 'withdraw' })) },
    {
      label: 'ecpay payment, order number with CJK, fullwidth and emoji',
      key: ecpayKey(signedEcpayCallback({ type: 'payment', msg: { cp_orderno: `订单：${id}（一）💳` } })),
    },
    {
      label: 'trade payment',
      key: tradeKey(signedTradeCallback({ type: 'payment', msg: { out_order_no: id } })),
    },
    {
      label: 'trade payment of the same order, cancelled',
      key: tradeKey(signedTradeCallback({ type: 'payment', msg: { out_order_no: id, status: 'CANCEL' } })),
    },
    {
      label: 'trade refund',
      key: tradeKey(signedTradeCallback({ type: 'refund', msg: { out_refund_no: id } })),
    },
    {
      label: 'trade refund without out_refund_no (keyed on refund_id)',
      key: tradeKey(
        signedTradeCallback({ type: 'refund', msg: { out_refund_no: '', refund_id: `${id}_refund` } }),
      ),
    },
    {
      label: 'trade refund with neither number (keyed on a digest)',
      key: tradeKey(signedTradeCallback({ type: 'refund', msg: { out_refund_no: '', refund_id: '' } })),
    },
    {
      label: 'trade settle',
      key: tradeKey(signedTradeCallback({ type: 'settle', msg: { out_settle_no: id } })),
    },
    {
      label: 'trade settle without out_settle_no (keyed on settle_id)',
      key: tradeKey(
        signedTradeCallback({ type: 'settle', msg: { out_settle_no: '', settle_id: `${id}_settle` } }),
      ),
    },
    { label: 'trade callback of an unknown type', key: tradeKey(signedTradeCallback({ type: 'withdraw' })) },
  ];
  for (const [type, name] of Object.entries(TIKTOK_WEBHOOK_TYPES)) {
    keys.push({ label: `TikTok Shop ${name}`, key: tikTokKey(signedTikTokWebhook({ type: Number(type) })) });
  }
  keys.push(
    { label: 'TikTok Shop webhook of an unknown type', key: tikTokKey(signedTikTokWebhook({ type: 99 })) },
    {
      label: 'TikTok Shop webhook whose notification id is the order number',
      key: tikTokKey(signedTikTokWebhook({ tts_notification_id: id })),
    },
    {
      label: 'AlgoVoi payment.confirmed whose event id is the order number',
      key: algoVoiKey(signedAlgoVoiWebhook({ id, data: { payment_link_token: id } })),
    },
    {
      label: 'AlgoVoi payment.confirmed, another event for the same checkout',
      key: algoVoiKey(signedAlgoVoiWebhook({ id: `evt_${id}`, data: { payment_link_token: id } })),
    },
  );
  return keys;
}
