import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toPrivateKey, toPublicKey } from '@ttpay/core';
// Internals by path, not through the package entry (which exports what users need).
import { signTradeCallback } from '../packages/core/src/trade/callback.js';
import { vectorKey } from '../test/vectors/load.js';

/**
 * The inputs every micro benchmark signs or verifies, one realistic message per scheme. Ours, the floor
 * and the naive port all get the same input, so their outputs can be compared (test/bench-baselines.test.ts).
 */

interface EcpayRequestSample {
  salt: string;
  params: Record<string, unknown>;
  expected: string;
}

/** The Go demo's own test request (shared with bench/go-demo so both languages sign the same map). */
export const ecpayRequest = JSON.parse(
  readFileSync(fileURLToPath(new URL('go-demo/testdata/ecpay-request.json', import.meta.url)), 'utf8'),
) as EcpayRequestSample;

/** A published ecpay payment callback (test/vectors/douyin-ecpay.jsonl, yansongda/pay's test). */
export const ecpayCallback = {
  token: 'douyin_mini_token',
  timestamp: '1722769986',
  nonce: '5280',
  msg: '{"appid":"tt226e54d3bd581bf801","cp_orderno":"202408041111312119","cp_extra":"","way":"2","channel_no":"","channel_gateway_no":"","payment_order_no":"","out_channel_order_no":"","total_amount":1,"status":"SUCCESS","seller_uid":"73744242495132490630","extra":"","item_id":"","paid_at":1722769986,"message":"","order_id":"7398108028895054107"}',
  expected: '840bdf067c1d6056becfe88735c8ebb7e1ab809c',
};

/** The callback as it arrives: the raw bytes of the JSON body. */
export const ecpayCallbackBody = Buffer.from(
  JSON.stringify({
    timestamp: ecpayCallback.timestamp,
    nonce: ecpayCallback.nonce,
    msg: ecpayCallback.msg,
    msg_signature: ecpayCallback.expected,
    type: 'payment',
  }),
);

export interface TradeKeys {
  appPrivatePem: string;
  appPrivate: KeyObject;
  platformPublicPem: string;
  platformPublic: KeyObject;
}

/** The test keys of test/vectors/keys (they protect nothing), as PEM text and parsed once. */
export function tradeKeys(): TradeKeys {
  const appPrivatePem = vectorKey('app_private');
  const platformPublicPem = vectorKey('platform_public');
  return {
    appPrivatePem,
    appPrivate: toPrivateKey(appPrivatePem),
    platformPublicPem,
    platformPublic: toPublicKey(platformPublicPem),
  };
}

/** A `tt.requestOrder` signature request (PROTOCOLS.md §2). */
export const tradeRequest = {
  method: 'POST',
  uri: '/requestOrder',
  timestamp: '1765725551',
  nonce: '7923986bb968a43',
  body: JSON.stringify({
    skuList: [
      {
        skuId: 'sku_89',
        price: 9900,
        quantity: 1,
        title: 'Annual membership',
        imageList: ['https://example.com/a.png'],
        type: 401,
      },
    ],
    outOrderNo: 'order_115890310',
    totalAmount: 9900,
    payExpireSeconds: 3600,
    payNotifyUrl: 'https://shop.example.com/douyin/notify',
  }),
  appId: 'tt0b21fbac78255d68',
  keyVersion: '2',
};

/** A trade-system payment callback signed with the platform test key; verify with `now` at its timestamp. */
export function tradeCallback(): { headers: Record<string, string>; rawBody: Buffer; nowMs: number } {
  const timestamp = '1773658522';
  const nonce = 'b3fa7aa7e1fab9d7';
  const rawBody = Buffer.from(
    JSON.stringify({
      version: '3.0',
      type: 'payment',
      msg: JSON.stringify({
        app_id: 'ttda71144896c8da19',
        status: 'SUCCESS',
        order_id: 'ot279860131199461308',
        out_order_no: 'order_798574708',
        total_amount: 836139,
        pay_channel: 1,
        channel_pay_id: '4200001929202403151234567890',
        cp_extra: 'shop',
        event_time: 1773658521000,
      }),
    }),
  );
  const signature = signTradeCallback({ timestamp, nonce, rawBody }, vectorKey('platform_private'));
  return {
    headers: {
      'byte-timestamp': timestamp,
      'byte-nonce-str': nonce,
      'byte-signature': signature,
      'byte-logid': '20240316101010ABCDEF',
      'content-type': 'application/json',
    },
    rawBody,
    nowMs: Number(timestamp) * 1000,
  };
}

/** TikTok Shop's published webhook example (test/vectors/tiktok-shop.jsonl). */
export const tiktokWebhook = {
  appKey: 'abcdef',
  appSecret: '123',
  rawBody: Buffer.from(
    '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}',
  ),
  expected: '5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05',
};

/** A signed TikTok Shop "ship package" call: common query params plus a JSON body. */
export const tiktokRequest = {
  appSecret: 'e59af819cc7f4c1a9b3d',
  path: '/fulfillment/202309/packages/1152921504630418090/ship',
  query: {
    app_key: '6abc12def3g4h',
    timestamp: 1718305585,
    shop_cipher: 'ROW_AbCdEfGhIjKlMnOpQrStUv',
    version: '202309',
    access_token: 'TTP_not-signed',
  } as Record<string, string | number>,
  body: Buffer.from(
    '{"handover_method":"PICKUP","self_shipment":{"tracking_number":"JT5001234567890","shipping_provider_id":"6617675021119438597"}}',
  ),
};

/** An AlgoVoi gateway webhook (PROTOCOLS.md §4). */
export const algovoiWebhook = {
  secret: 'algvw_demo_0123456789abcdef',
  /** The `t=` the header is signed at, and the clock the verifiers read. */
  timestamp: 1_748_650_000,
  rawBody: Buffer.from(
    '{"id":"evt_c1a2b3d4e5","type":"payment.confirmed","created":1748650000,"api_version":"2024-01-01","data":{"tenant_label":"demo","resource_id":"pay_c1a2b3","chain":"algorand_mainnet","asset":{"id":"usdc","label":"USDC","decimals":6},"amount_microunits":12500000,"amount_pretty":"12.50 USDC","tx_id":"ALGO7TXQ4ZK2M3N5P6R7S8T9U","payer_address":"ADDR0","payment_link_token":"c1a2b3d4e5","payment_link_label":"Invoice 576653688135258178"}}',
  ),
};
