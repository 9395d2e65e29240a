import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildByteAuthorization,
  signAlgoVoiWebhook,
  signEcpayCallback,
  signEcpayRequest,
  signTikTokRequest,
  signTikTokWebhook,
  signTradeCallback,
  TtpayError,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '../src/index.js';
import { verifyByteAuthorization } from '../src/internal.js';

const { privateKey: platformPrivate, publicKey: platformPublic } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const { privateKey: appPrivate, publicKey: appPublic } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
const secret = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 });
const digits = fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }).map(String);
const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(text, fc.integer(), fc.boolean()), {
  maxKeys: 5,
});

/** Replaces the character at `at` with a different one (a single-character change). */
function changeChar(s: string, at: number, replacement: string): string {
  const i = at % s.length;
  const c = s[i] === replacement ? (replacement === 'x' ? 'y' : 'x') : replacement;
  return s.slice(0, i) + c + s.slice(i + 1);
}

function changeByte(b: Buffer, at: number, xor: number): Buffer {
  const copy = Buffer.from(b);
  const i = at % copy.length;
  copy[i] = (copy[i] ?? 0) ^ xor;
  return copy;
}

const throwsTtpay = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof TtpayError;
  }
  return false;
};

const position = fc.nat();
const replacementChar = fc.constantFrom('0', '1', 'a', 'A', '=', '+', '/', '"', ' ', '中');
const xorByte = fc.integer({ min: 1, max: 255 });

describe('ecpay callback', () => {
  const payment = (extra: Record<string, unknown>) =>
    JSON.stringify({ ...extra, cp_orderno: 'o1', status: 'SUCCESS', total_amount: 100 });

  it('round-trips', () => {
    fc.assert(
      fc.property(secret, digits, text, jsonObject, (token, timestamp, nonce, extra) => {
        const msg = payment(extra);
        const body = JSON.stringify({
          timestamp,
          nonce,
          msg,
          msg_signature: signEcpayCallback({ token, timestamp, nonce, msg }),
          type: 'payment',
        });
        const event = verifyEcpayCallback({ rawBody: body }, { token });
        expect(event.rawMsg).toBe(msg);
        expect(event.type).toBe('payment');
      }),
    );
  });

  it('rejects any single-character change to timestamp, nonce, msg or signature', () => {
    fc.assert(
      fc.property(
        secret,
        digits,
        text,
        jsonObject,
        fc.constantFrom('timestamp', 'nonce', 'msg', 'msg_signature'),
        position,
        replacementChar,
        (token, timestamp, nonce, extra, field, at, ch) => {
          const fields: Record<string, string> = { timestamp, nonce, msg: payment(extra) };
          fields.msg_signature = signEcpayCallback({ token, timestamp, nonce, msg: fields.msg as string });
          fields[field] = changeChar(fields[field] as string, at, ch);
          const body = JSON.stringify({ ...fields, type: 'payment' });
          expect(throwsTtpay(() => verifyEcpayCallback({ rawBody: body }, { token }))).toBe(true);
        },
      ),
    );
  });
});

describe('trade-system callback (RSA)', () => {
  const body = (msg: Record<string, unknown>) =>
    JSON.stringify({
      msg: JSON.stringify({ ...msg, out_order_no: 'o1', status: 'SUCCESS', total_amount: 1 }),
      type: 'payment',
      version: '3.0',
    });

  it('round-trips and rejects any single-byte change to body, timestamp, nonce or signature', () => {
    fc.assert(
      fc.property(
        jsonObject,
        digits,
        fc.stringMatching(/^[0-9a-f]{8,32}$/),
        fc.constantFrom('body', 'Byte-Timestamp', 'Byte-Nonce-Str', 'Byte-Signature'),
        position,
        xorByte,
        replacementChar,
        (msg, timestamp, nonce, target, at, xor, ch) => {
          const raw = Buffer.from(body(msg));
          const headers: Record<string, string> = {
            'Byte-Timestamp': timestamp,
            'Byte-Nonce-Str': nonce || 'n',
            'Byte-Signature': signTradeCallback(
              { timestamp, nonce: nonce || 'n', rawBody: raw },
              platformPrivate,
            ),
          };
          const opts = { publicKey: platformPublic, now: () => Number(timestamp) * 1000 };
          expect(verifyTradeCallback({ headers, rawBody: raw }, opts).type).toBe('payment');
          let rawBody: Buffer = raw;
          if (target === 'body') rawBody = changeByte(raw, at, xor);
          else headers[target] = changeChar(headers[target] as string, at, ch);
          expect(throwsTtpay(() => verifyTradeCallback({ headers, rawBody }, opts))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('Byte-Authorization (trade requests)', () => {
  it('round-trips through verifyByteAuthorization and rejects a changed body', () => {
    fc.assert(
      fc.property(
        jsonObject,
        digits,
        fc.stringMatching(/^[0-9a-f]{1,32}$/),
        position,
        xorByte,
        (data, ts, nonce, at, xor) => {
          const bodyText = JSON.stringify(data);
          const header = buildByteAuthorization(
            {
              method: 'POST',
              uri: '/requestOrder',
              timestamp: ts,
              nonce,
              body: bodyText,
              appId: 'tt1',
              keyVersion: '1',
            },
            appPrivate,
          );
          expect(
            verifyByteAuthorization(
              { method: 'POST', uri: '/requestOrder', body: bodyText, header },
              appPublic,
            ).nonce,
          ).toBe(nonce);
          const changed = changeByte(Buffer.from(bodyText), at, xor);
          expect(
            throwsTtpay(() =>
              verifyByteAuthorization(
                { method: 'POST', uri: '/requestOrder', body: changed, header },
                appPublic,
              ),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('TikTok Shop webhook', () => {
  const webhook = (data: Record<string, unknown>) =>
    JSON.stringify({
      type: 1,
      tts_notification_id: '1',
      shop_id: '2',
      timestamp: 3,
      data: { ...data, order_id: '9', order_status: 'UNPAID' },
    });

  it('round-trips and rejects any single-byte change to body or signature, or a different app key', () => {
    fc.assert(
      fc.property(
        secret,
        secret,
        jsonObject,
        fc.boolean(),
        position,
        xorByte,
        replacementChar,
        (appKey, appSecret, data, inBody, at, xor, ch) => {
          const raw = Buffer.from(webhook(data));
          const signature = signTikTokWebhook(raw, { appKey, appSecret });
          expect(signature).toMatch(/^[0-9a-f]{64}$/);
          expect(
            verifyTikTokWebhook(
              { rawBody: raw, headers: { authorization: signature } },
              { appKey, appSecret },
            ).name,
          ).toBe('ORDER_STATUS_CHANGE');
          const r = inBody
            ? { rawBody: changeByte(raw, at, xor), headers: { authorization: signature } }
            : { rawBody: raw, headers: { authorization: changeChar(signature, at, ch) } };
          expect(throwsTtpay(() => verifyTikTokWebhook(r, { appKey, appSecret }))).toBe(true);
          expect(
            throwsTtpay(() =>
              verifyTikTokWebhook(
                { rawBody: raw, headers: { authorization: signature } },
                { appKey: `${appKey}x`, appSecret },
              ),
            ),
          ).toBe(true);
        },
      ),
    );
  });
});

describe('TikTok Shop webhook data the event type promises (docs/PROTOCOLS.md §3.1)', () => {
  const credentials = { appKey: 'app_key_1', appSecret: 'app_secret_1' };
  const verify = (body: Record<string, unknown>) => {
    const raw = Buffer.from(
      JSON.stringify({ tts_notification_id: 'n1', shop_id: '2', timestamp: 3, ...body }),
    );
    return verifyTikTokWebhook(
      { rawBody: raw, headers: { authorization: signTikTokWebhook(raw, credentials) } },
      credentials,
    );
  };
  const code = (f: () => unknown) => {
    try {
      f();
      return 'accepted';
    } catch (error) {
      return (error as TtpayError).code;
    }
  };

  it('type 1 needs data.order_id and data.order_status as strings; type 11 needs data.order_id', () => {
    expect(code(() => verify({ type: 1, data: { order_id: '9', order_status: 'CANCEL' } }))).toBe('accepted');
    expect(code(() => verify({ type: 1, data: { order_id: '9' } }))).toBe('MISSING_FIELD');
    expect(code(() => verify({ type: 1, data: { order_id: '9', order_status: 140 } }))).toBe('MISSING_FIELD');
    expect(code(() => verify({ type: 1, data: { order_status: 'UNPAID' } }))).toBe('MISSING_FIELD');
    expect(code(() => verify({ type: 11, data: { cancel_status: 'CANCELLATION_REQUEST_PENDING' } }))).toBe(
      'MISSING_FIELD',
    );
  });

  it('a documented type-11 body arrives with its cancellation fields', () => {
    const event = verify({
      type: 11,
      data: {
        order_id: '576461413038785752',
        cancellations_role: 'BUYER',
        cancel_status: 'CANCELLATION_REQUEST_PENDING',
        cancel_id: '4035318504086700000',
        create_time: 1627587506,
      },
    });
    expect(event).toMatchObject({
      name: 'CANCELLATION_STATUS_CHANGE',
      data: {
        order_id: '576461413038785752',
        cancel_status: 'CANCELLATION_REQUEST_PENDING',
        cancellations_role: 'BUYER',
      },
    });
  });
});

describe('AlgoVoi webhook', () => {
  it('round-trips and rejects any single-byte change to body or header', () => {
    fc.assert(
      fc.property(
        secret,
        jsonObject,
        fc.boolean(),
        position,
        xorByte,
        replacementChar,
        (s, data, inBody, at, xor, ch) => {
          const raw = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'payment.confirmed', data }));
          const header = signAlgoVoiWebhook(raw, s, { timestamp: 1_748_650_000 });
          const now = () => 1_748_650_000_000;
          const headers = { 'x-algovoi-signature': header };
          expect(verifyAlgoVoiWebhook({ rawBody: raw, headers }, { secret: s, now }).platform).toBe(
            'algovoi',
          );
          const r = inBody
            ? { rawBody: changeByte(raw, at, xor), headers }
            : { rawBody: raw, headers: { 'x-algovoi-signature': changeChar(header, at, ch) } };
          expect(throwsTtpay(() => verifyAlgoVoiWebhook(r, { secret: s, now }))).toBe(true);
        },
      ),
    );
  });
});

describe('request signers change with any signed input', () => {
  it('TikTok: any query value, path or body change changes the sign; key order, sign and access_token do not', () => {
    fc.assert(
      fc.property(
        secret,
        fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), fc.string({ minLength: 1, maxLength: 12 }), {
          minKeys: 1,
          maxKeys: 6,
        }),
        fc.string({ maxLength: 40 }),
        position,
        replacementChar,
        (appSecret, query, body, at, ch) => {
          const { sign: _s, access_token: _a, ...signed } = query;
          fc.pre(Object.keys(signed).length > 0);
          const base = signTikTokRequest({ path: '/order/202309/orders', query: signed, body }, appSecret);
          const reordered = Object.fromEntries(Object.entries(query).reverse());
          expect(
            signTikTokRequest(
              { path: '/order/202309/orders', query: { ...reordered, sign: 'x', access_token: 'y' }, body },
              appSecret,
            ),
          ).toBe(base);
          const key = Object.keys(signed)[at % Object.keys(signed).length] as string;
          const changed = { ...signed, [key]: changeChar(signed[key] as string, at, ch) };
          expect(
            signTikTokRequest({ path: '/order/202309/orders', query: changed, body }, appSecret),
          ).not.toBe(base);
          expect(
            signTikTokRequest({ path: '/order/202309/orderz', query: signed, body }, appSecret),
          ).not.toBe(base);
          expect(
            signTikTokRequest({ path: '/order/202309/orders', query: signed, body: `${body} ` }, appSecret),
          ).not.toBe(base);
        },
      ),
    );
  });

  it('ecpay: any change to a signed value changes the sign', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/),
        fc.integer({ min: 1, max: 10_000_000 }),
        secret,
        (outOrderNo, amount, salt) => {
          const base = signEcpayRequest(
            { out_order_no: outOrderNo, total_amount: amount, subject: 's', body: 'b', valid_time: 300 },
            salt,
          );
          expect(
            signEcpayRequest(
              {
                out_order_no: `${outOrderNo}1`,
                total_amount: amount,
                subject: 's',
                body: 'b',
                valid_time: 300,
              },
              salt,
            ),
          ).not.toBe(base);
          expect(
            signEcpayRequest(
              {
                out_order_no: outOrderNo,
                total_amount: amount + 1,
                subject: 's',
                body: 'b',
                valid_time: 300,
              },
              salt,
            ),
          ).not.toBe(base);
          expect(
            signEcpayRequest(
              { out_order_no: outOrderNo, total_amount: amount, subject: 's', body: 'b', valid_time: 300 },
              `${salt}x`,
            ),
          ).not.toBe(base);
        },
      ),
    );
  });
});
