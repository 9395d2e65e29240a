import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildByteAuthorization,
  DEFAULT_TRADE_TOLERANCE_SECONDS,
  signTradeCallback,
  toPublicKey,
  verifyTradeCallback,
} from '../src/index.js';
import { parseByteAuthorization } from '../src/internal.js';
import { codeOf } from './support/error-code.js';

const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
const T = 1_750_000_000;
const rawBody = JSON.stringify({
  msg: JSON.stringify({ out_order_no: 'o1', status: 'SUCCESS', total_amount: 5 }),
  type: 'payment',
  version: '3.0',
});

function headersFor(privateKey = platform.privateKey, timestamp = T) {
  return {
    'byte-timestamp': String(timestamp),
    'byte-nonce-str': 'abc',
    'byte-signature': signTradeCallback({ timestamp, nonce: 'abc', rawBody }, privateKey),
    'byte-logid': 'L1',
  };
}

describe('verifyTradeCallback', () => {
  it('returns a typed event with version, logId and key', () => {
    const event = verifyTradeCallback(
      { headers: headersFor(), rawBody },
      { publicKey: platform.publicKey, now: () => T * 1000 },
    );
    expect(event).toMatchObject({
      system: 'trade',
      type: 'payment',
      version: '3.0',
      logId: 'L1',
      key: 'douyin:trade:payment:o1:SUCCESS',
    });
  });

  it('enforces a two-sided timestamp window (default 73 h: every documented retry fits) with an injectable clock', () => {
    const r = { headers: headersFor(), rawBody };
    const at = (s: number) => ({ publicKey: platform.publicKey, now: () => (T + s) * 1000 });
    const window = 73 * 3600;
    expect(DEFAULT_TRADE_TOLERANCE_SECONDS).toBe(window);
    // A payment callback's last retry (~29 min) and a refund application's (72 h), if they re-send the
    // first attempt's Byte-Timestamp, still verify (docs/PROTOCOLS.md §2.3, §2.5).
    expect(codeOf(() => verifyTradeCallback(r, at(29 * 60)))).toBe('NO_ERROR');
    expect(codeOf(() => verifyTradeCallback(r, at(72 * 3600)))).toBe('NO_ERROR');
    expect(codeOf(() => verifyTradeCallback(r, at(window)))).toBe('NO_ERROR');
    expect(codeOf(() => verifyTradeCallback(r, at(-window)))).toBe('NO_ERROR');
    expect(codeOf(() => verifyTradeCallback(r, at(window + 1)))).toBe('TIMESTAMP_OUT_OF_RANGE');
    expect(codeOf(() => verifyTradeCallback(r, at(-window - 1)))).toBe('TIMESTAMP_OUT_OF_RANGE');
    // Narrower on request: 300 s refuses the documented 29-minute payment retry of a stale timestamp.
    expect(codeOf(() => verifyTradeCallback(r, { ...at(301), toleranceSeconds: 300 }))).toBe(
      'TIMESTAMP_OUT_OF_RANGE',
    );
    expect(codeOf(() => verifyTradeCallback(r, { ...at(1000), toleranceSeconds: 1000 }))).toBe('NO_ERROR');
  });

  it('supports platform key rotation (any configured key verifies)', () => {
    const r = { headers: headersFor(rotated.privateKey), rawBody };
    expect(codeOf(() => verifyTradeCallback(r, { publicKey: platform.publicKey, now: () => T * 1000 }))).toBe(
      'SIGNATURE_MISMATCH',
    );
    const keys = [
      platform.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      toPublicKey(rotated.publicKey),
    ];
    expect(verifyTradeCallback(r, { publicKey: keys, now: () => T * 1000 }).type).toBe('payment');
  });

  it('accepts the bare base64 key text the console shows', () => {
    const bare = (platform.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');
    expect(
      verifyTradeCallback({ headers: headersFor(), rawBody }, { publicKey: bare, now: () => T * 1000 }).type,
    ).toBe('payment');
  });

  it('reads headers case-insensitively and refuses repeated or missing ones', () => {
    const h = headersFor();
    const mixed = {
      'Byte-Timestamp': h['byte-timestamp'],
      'BYTE-NONCE-STR': h['byte-nonce-str'],
      'Byte-Signature': h['byte-signature'],
    };
    const opts = { publicKey: platform.publicKey, now: () => T * 1000 };
    expect(verifyTradeCallback({ headers: mixed, rawBody }, opts).type).toBe('payment');
    expect(
      codeOf(() =>
        verifyTradeCallback(
          { headers: { ...h, 'byte-signature': [h['byte-signature'], 'x'] }, rawBody },
          opts,
        ),
      ),
    ).toBe('MALFORMED_HEADER');
    expect(
      codeOf(() => verifyTradeCallback({ headers: { ...h, 'byte-nonce-str': undefined }, rawBody }, opts)),
    ).toBe('MISSING_FIELD');
    expect(
      codeOf(() => verifyTradeCallback({ headers: { ...h, 'byte-timestamp': '1e9' }, rawBody }, opts)),
    ).toBe('MALFORMED_HEADER');
  });

  it('refuses a non-canonical base64 signature that decodes to the same bytes', () => {
    const h = headersFor();
    const sig = h['byte-signature'];
    // 256-byte signature → base64 ends "X==", where X carries 4 unused bits; flipping them decodes identically.
    const last = sig.at(-3) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const twin = alphabet[alphabet.indexOf(last) ^ 1] as string;
    const altered = `${sig.slice(0, -3)}${twin}==`;
    expect(Buffer.from(altered, 'base64').equals(Buffer.from(sig, 'base64'))).toBe(true);
    expect(
      codeOf(() =>
        verifyTradeCallback(
          { headers: { ...h, 'byte-signature': altered }, rawBody },
          { publicKey: platform.publicKey, now: () => T * 1000 },
        ),
      ),
    ).toBe('SIGNATURE_MISMATCH');
  });
});

describe('Byte-Authorization header', () => {
  it('parses bare and quoted values', () => {
    const header = buildByteAuthorization(
      {
        method: 'post',
        uri: '/requestOrder',
        timestamp: T,
        nonce: 'n1',
        body: '{}',
        appId: 'tt1',
        keyVersion: 2,
      },
      platform.privateKey,
    );
    const parsed = parseByteAuthorization(header);
    expect(parsed).toMatchObject({
      scheme: 'SHA256-RSA2048',
      appId: 'tt1',
      nonce: 'n1',
      timestamp: String(T),
      keyVersion: '2',
    });
    const quoted = `SHA256-RSA2048 appid="tt1",nonce_str="n1",timestamp="${T}",key_version="2",signature="${parsed.signature}"`;
    expect(parseByteAuthorization(quoted)).toEqual(parsed);
  });

  it('refuses newlines in signed fields and a host in the uri', () => {
    expect(
      codeOf(() =>
        buildByteAuthorization(
          { method: 'POST', uri: '/x', timestamp: T, nonce: 'a\nb', appId: 'a', keyVersion: 1 },
          platform.privateKey,
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(
      codeOf(() =>
        buildByteAuthorization(
          {
            method: 'POST',
            uri: 'https://open.douyin.com/x',
            timestamp: T,
            nonce: 'n',
            appId: 'a',
            keyVersion: 1,
          },
          platform.privateKey,
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
  });
});
