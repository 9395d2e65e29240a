import { signEcpayCallback } from '@ttpay/core';

/**
 * Signed ecpay payment callbacks as the platform sends them (PROTOCOLS.md §1.3), each for a different
 * order, so every one is a first delivery. Generated before the run: signing is not what is measured.
 */
export function signedCallbackBodies(count: number, token: string): Buffer[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const bodies: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const serial = String(i).padStart(12, '0');
    const msg = JSON.stringify({
      appid: 'tt07e3715e98c9aac0',
      cp_orderno: `bench${serial}`,
      cp_extra: '',
      way: '2',
      channel_no: '4200001929202403150000000000',
      channel_gateway_no: '',
      payment_order_no: `PCP${serial}`,
      out_channel_order_no: '',
      total_amount: 9900,
      status: 'SUCCESS',
      seller_uid: '69631798443938962290',
      extra: '',
      item_id: '',
      paid_at: Number(timestamp),
      message: '',
      order_id: `N7${serial}`,
    });
    const nonce = String(1000 + (i % 9000));
    const msg_signature = signEcpayCallback({ token, timestamp, nonce, msg });
    bodies.push(Buffer.from(JSON.stringify({ timestamp, nonce, msg, msg_signature, type: 'payment' })));
  }
  return bodies;
}
