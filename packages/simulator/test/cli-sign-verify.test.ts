import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildByteAuthorization,
  signAlgoVoiWebhook,
  signEcpayCallback,
  signEcpayRequest,
  signTikTokRequest,
  signTikTokWebhook,
  signTradeCallback,
  signTradeRequest,
} from '@ttpay/core';
import {
  demoCredentials,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
  tampered,
  withBadSignature,
  withoutSignature,
} from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, parseJson, runBinary } from './cli-binary.js';

const { douyin, tiktok, algovoi } = demoCredentials;
const SECRETS = [
  douyin.salt,
  douyin.token,
  tiktok.appSecret,
  algovoi.webhookSecret,
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', // the start of the app private key's body
  'MIIEvAIBADANBgkqhkiG9w0BAQEFAASC', // the platform private key's
];

function expectNoSecrets(...outputs: string[]): void {
  for (const out of outputs) for (const secret of SECRETS) expect(out).not.toContain(secret);
}

let dir: string;
beforeAll(() => {
  assertBinaryBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ttpay-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tradeRequest = {
  method: 'POST',
  uri: '/requestOrder',
  timestamp: '1700000000',
  nonce: 'n0nce',
  body: '{"outOrderNo":"o1","totalAmount":100}',
};
const tikTokRequest = {
  path: '/order/202309/orders',
  query: { app_key: tiktok.appKey, timestamp: 1700000000, ids: '576', access_token: 'x' },
  body: '',
};
const webhookBody =
  '{"type":1,"tts_notification_id":"1","shop_id":"7","timestamp":1,"data":{"order_id":"9","order_status":"UNPAID"}}';

describe('ttpay sign prints what @ttpay/core computes, for every scheme', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'ecpay-request',
      {
        params: { out_order_no: 'o1', total_amount: 100, disable_msg: 0, subject: '测试！' },
        salt: douyin.salt,
      },
      {
        signature: signEcpayRequest(
          { out_order_no: 'o1', total_amount: 100, disable_msg: 0, subject: '测试！' },
          douyin.salt,
        ),
      },
    ],
    [
      'ecpay-callback',
      { token: douyin.token, timestamp: 1700000000, nonce: '1234', msg: '{"a":1}' },
      {
        signature: signEcpayCallback({
          token: douyin.token,
          timestamp: '1700000000',
          nonce: '1234',
          msg: '{"a":1}',
        }),
      },
    ],
    [
      'trade-request',
      { ...tradeRequest, appId: douyin.appId, keyVersion: 1, privateKey: douyin.appPrivateKey },
      {
        signature: signTradeRequest(tradeRequest, douyin.appPrivateKey),
        headers: {
          'Byte-Authorization': buildByteAuthorization(
            { ...tradeRequest, appId: douyin.appId, keyVersion: '1' },
            douyin.appPrivateKey,
          ),
        },
      },
    ],
    [
      'trade-callback',
      {
        timestamp: '1700000000',
        nonce: 'abc',
        rawBody: '{"msg":"{}"}',
        privateKey: douyin.platformPrivateKey,
      },
      {
        signature: signTradeCallback(
          { timestamp: '1700000000', nonce: 'abc', rawBody: '{"msg":"{}"}' },
          douyin.platformPrivateKey,
        ),
        headers: {
          'Byte-Timestamp': '1700000000',
          'Byte-Nonce-Str': 'abc',
          'Byte-Signature': signTradeCallback(
            { timestamp: '1700000000', nonce: 'abc', rawBody: '{"msg":"{}"}' },
            douyin.platformPrivateKey,
          ),
        },
      },
    ],
    [
      'tiktok-webhook',
      { rawBody: webhookBody, appKey: tiktok.appKey, appSecret: tiktok.appSecret },
      {
        signature: signTikTokWebhook(webhookBody, tiktok),
        headers: { Authorization: signTikTokWebhook(webhookBody, tiktok) },
      },
    ],
    [
      'tiktok-request',
      { ...tikTokRequest, appSecret: tiktok.appSecret },
      { signature: signTikTokRequest(tikTokRequest, tiktok.appSecret) },
    ],
    [
      'algovoi-webhook',
      { rawBody: '{"id":"e"}', secret: algovoi.webhookSecret, timestamp: 1748650000 },
      {
        signature: signAlgoVoiWebhook('{"id":"e"}', algovoi.webhookSecret, { timestamp: 1748650000 }),
        headers: {
          'X-AlgoVoi-Signature': signAlgoVoiWebhook('{"id":"e"}', algovoi.webhookSecret, {
            timestamp: 1748650000,
          }),
        },
      },
    ],
  ];

  it.each(cases)('%s', async (scheme, input, expected) => {
    const r = await runBinary(['sign', scheme], { input: JSON.stringify(input) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)).toEqual(expected);
    expectNoSecrets(r.stdout, r.stderr);
  });

  it('reads the input from --file, and a private key from a PEM file path', async () => {
    writeFileSync(join(dir, 'app.pem'), douyin.appPrivateKey);
    writeFileSync(
      join(dir, 'request.json'),
      JSON.stringify({ ...tradeRequest, appId: douyin.appId, keyVersion: '1', privateKey: 'app.pem' }),
    );
    const r = await runBinary(['sign', 'trade-request', '--file', 'request.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout).signature).toBe(signTradeRequest(tradeRequest, douyin.appPrivateKey));
  });

  it('fills in a fresh timestamp and nonce for trade-callback, and says which', async () => {
    const r = await runBinary(['sign', 'trade-callback'], {
      input: JSON.stringify({ rawBody: '{}', privateKey: douyin.platformPrivateKey }),
    });
    expect(r.code).toBe(0);
    const headers = parseJson(r.stdout).headers as Record<string, string>;
    expect(Math.abs(Number(headers['Byte-Timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(headers['Byte-Signature']).toBe(
      signTradeCallback(
        { timestamp: headers['Byte-Timestamp'] ?? '', nonce: headers['Byte-Nonce-Str'] ?? '', rawBody: '{}' },
        douyin.platformPrivateKey,
      ),
    );
  });
});

describe('ttpay verify', () => {
  const ecpay = signedEcpayCallback({ type: 'refund', msg: { cp_refundno: 'refund_cli_1' } });
  const trade = signedTradeCallback({ type: 'payment', msg: { out_order_no: 'order_cli_1' } });
  const webhook = signedTikTokWebhook({ type: 12 });
  const gateway = signedAlgoVoiWebhook({ id: 'evt_cli', data: { payment_link_token: 'tok_cli' } });
  const inputs = {
    'ecpay-callback': (d: typeof ecpay) => ({ body: d.rawBody, token: douyin.token }),
    'trade-callback': (d: typeof trade) => ({
      headers: d.headers,
      rawBody: d.rawBody,
      publicKey: douyin.platformPublicKey,
    }),
    'tiktok-webhook': (d: typeof webhook) => ({
      rawBody: d.rawBody,
      signature: d.headers.authorization ?? '',
      appKey: tiktok.appKey,
      appSecret: tiktok.appSecret,
    }),
    'algovoi-webhook': (d: typeof gateway) => ({
      rawBody: d.rawBody,
      signature: d.headers['x-algovoi-signature'] ?? '',
      secret: algovoi.webhookSecret,
    }),
  };

  it.each([
    ['ecpay-callback', inputs['ecpay-callback'](ecpay), { system: 'ecpay', type: 'refund' }],
    ['trade-callback', inputs['trade-callback'](trade), { system: 'trade', type: 'payment' }],
    ['tiktok-webhook', inputs['tiktok-webhook'](webhook), { platform: 'tiktok', type: 12 }],
    [
      'algovoi-webhook',
      inputs['algovoi-webhook'](gateway),
      { platform: 'algovoi', key: 'algovoi:evt_cli', data: { payment_link_token: 'tok_cli' } },
    ],
  ] as const)('%s: a valid delivery exits 0 with the typed event', async (scheme, input, event) => {
    const r = await runBinary(['verify', scheme], { input: JSON.stringify(input) });
    expect(r.code).toBe(0);
    const out = parseJson(r.stdout);
    expect(out.valid).toBe(true);
    expect(out.event).toMatchObject(event);
    expectNoSecrets(r.stdout, r.stderr);
  });

  it.each([
    ['ecpay-callback', 'SIGNATURE_MISMATCH', inputs['ecpay-callback'](withBadSignature(ecpay))],
    ['ecpay-callback', 'MISSING_SIGNATURE', inputs['ecpay-callback'](withoutSignature(ecpay))],
    ['trade-callback', 'SIGNATURE_MISMATCH', inputs['trade-callback'](tampered(trade))],
    ['tiktok-webhook', 'SIGNATURE_MISMATCH', inputs['tiktok-webhook'](tampered(webhook))],
    ['algovoi-webhook', 'SIGNATURE_MISMATCH', inputs['algovoi-webhook'](tampered(gateway))],
  ] as const)('%s: a broken delivery exits 1 with %s', async (scheme, code, input) => {
    const r = await runBinary(['verify', scheme], { input: JSON.stringify(input) });
    expect(r.code).toBe(1);
    const out = parseJson(r.stdout);
    expect(out).toMatchObject({ valid: false, code });
    expect(typeof out.message).toBe('string');
    expectNoSecrets(r.stdout, r.stderr);
  });

  it('trade-callback honours "now" (Unix seconds) for the timestamp window', async () => {
    const old = signedTradeCallback({ type: 'settle', timestamp: 1700000000 });
    const input = inputs['trade-callback'](old);
    const stale = await runBinary(['verify', 'trade-callback'], { input: JSON.stringify(input) });
    expect(parseJson(stale.stdout)).toMatchObject({ valid: false, code: 'TIMESTAMP_OUT_OF_RANGE' });
    const then = await runBinary(['verify', 'trade-callback'], {
      input: JSON.stringify({ ...input, now: 1700000100 }),
    });
    expect(then.code).toBe(0);
  });

  it('request schemes verify too: ecpay-request, trade-request, tiktok-request', async () => {
    const params = { out_order_no: 'o1', total_amount: 100 };
    const sign = signEcpayRequest(params, douyin.salt);
    const ecpayOk = await runBinary(['verify', 'ecpay-request'], {
      input: JSON.stringify({ params: { ...params, sign }, salt: douyin.salt }),
    });
    expect([ecpayOk.code, parseJson(ecpayOk.stdout).valid]).toEqual([0, true]);
    const ecpayBad = await runBinary(['verify', 'ecpay-request'], {
      input: JSON.stringify({ params: { ...params, total_amount: 101, sign }, salt: douyin.salt }),
    });
    expect([ecpayBad.code, parseJson(ecpayBad.stdout).code]).toEqual([1, 'SIGNATURE_MISMATCH']);

    const byteAuthorization = buildByteAuthorization(
      { ...tradeRequest, appId: douyin.appId, keyVersion: '1' },
      douyin.appPrivateKey,
    );
    const tradeOk = await runBinary(['verify', 'trade-request'], {
      input: JSON.stringify({ ...tradeRequest, byteAuthorization, publicKey: douyin.appPublicKey }),
    });
    expect(tradeOk.code).toBe(0);
    expect(parseJson(tradeOk.stdout).authorization).toMatchObject({ appId: douyin.appId, keyVersion: '1' });
    const tradeBad = await runBinary(['verify', 'trade-request'], {
      input: JSON.stringify({
        ...tradeRequest,
        body: '{}',
        byteAuthorization,
        publicKey: douyin.appPublicKey,
      }),
    });
    expect(tradeBad.code).toBe(1);

    const query = { ...tikTokRequest.query, sign: signTikTokRequest(tikTokRequest, tiktok.appSecret) };
    const tiktokOk = await runBinary(['verify', 'tiktok-request'], {
      input: JSON.stringify({ ...tikTokRequest, query, appSecret: tiktok.appSecret }),
    });
    expect(tiktokOk.code).toBe(0);
    const tiktokBad = await runBinary(['verify', 'tiktok-request'], {
      input: JSON.stringify({
        ...tikTokRequest,
        query: { ...query, ids: '577' },
        appSecret: tiktok.appSecret,
      }),
    });
    expect(tiktokBad.code).toBe(1);
  });
});

describe('bad input exits 2 with a message on stderr and nothing on stdout', () => {
  it('invalid JSON, without echoing the input (it may hold a secret)', async () => {
    const r = await runBinary(['sign', 'ecpay-request'], { input: `{"salt": "${douyin.salt}", oops}` });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not valid JSON/);
    expectNoSecrets(r.stderr);
  });

  it('a JSON value that is not an object', async () => {
    const r = await runBinary(['verify', 'tiktok-webhook'], { input: '[1,2]' });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/must be a JSON object/);
  });

  it('a missing field names the field and the expected shape', async () => {
    const r = await runBinary(['sign', 'tiktok-webhook'], {
      input: JSON.stringify({ rawBody: '{}', appKey: tiktok.appKey }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"appSecret"');
    expect(r.stderr).toContain('{rawBody, appKey, appSecret}');
  });

  it('a parsed body where the raw text is needed', async () => {
    const r = await runBinary(['verify', 'ecpay-callback'], {
      input: JSON.stringify({ body: { msg: '{}' }, token: douyin.token }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/raw text exactly as sent or received/);
  });

  it('an unreadable key', async () => {
    const r = await runBinary(['sign', 'trade-callback'], {
      input: JSON.stringify({ rawBody: '{}', privateKey: 'no/such/key.pem' }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/neither PEM text nor a readable key file/);
  });

  it('an unknown scheme, with the list of schemes and a usage hint', async () => {
    const r = await runBinary(['verify', 'paypal'], { input: '{}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown scheme "paypal"/);
    expect(r.stderr).toContain('ecpay-callback');
    expect(r.stderr).toContain("Run 'ttpay verify --help' for usage.");
  });

  it('a missing scheme, and a missing --file', async () => {
    const none = await runBinary(['sign'], { input: '{}' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs a scheme/);
    const file = await runBinary(['sign', 'ecpay-request', '--file', join(dir, 'missing.json')]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/cannot read --file .*ENOENT/);
  });
});
