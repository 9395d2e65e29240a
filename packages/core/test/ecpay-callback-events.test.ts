import { describe, expect, it } from 'vitest';
import { signEcpayCallback, verifyEcpayCallback } from '../src/index.js';
import { codeOf } from './support/error-code.js';

const token = 'tok';
function callback(
  type: string,
  msgObj: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): string {
  const msg = JSON.stringify(msgObj);
  const timestamp = '1700000000';
  const nonce = '1234';
  return JSON.stringify({
    timestamp,
    nonce,
    msg,
    msg_signature: signEcpayCallback({ token, timestamp, nonce, msg }),
    type,
    ...overrides,
  });
}

describe('verifyEcpayCallback', () => {
  it('returns typed payment, refund and settle events with natural idempotency keys', () => {
    const payment = verifyEcpayCallback(
      { rawBody: callback('payment', { cp_orderno: 'A1', status: 'SUCCESS', total_amount: 990 }) },
      { token },
    );
    expect(payment).toMatchObject({
      platform: 'douyin',
      system: 'ecpay',
      type: 'payment',
      key: 'douyin:ecpay:payment:A1:SUCCESS',
    });
    const refund = verifyEcpayCallback(
      { rawBody: callback('refund', { cp_refundno: 'R1', status: 'FAIL' }) },
      { token },
    );
    expect(refund).toMatchObject({ type: 'refund', key: 'douyin:ecpay:refund:R1' });
    const settle = verifyEcpayCallback(
      { rawBody: callback('settle', { cp_settle_no: 'S1', status: 'SUCCESS' }) },
      {
        token,
      },
    );
    expect(settle).toMatchObject({ type: 'settle', key: 'douyin:ecpay:settle:S1' });
    const other = verifyEcpayCallback({ rawBody: callback('withdraw', { anything: 1 }) }, { token });
    expect(other).toMatchObject({ type: 'other', callbackType: 'withdraw' });
    expect(other.key).toMatch(/^douyin:ecpay:other:[0-9a-f]{32}$/);
  });

  it('verifies msg as the raw string: a re-serialised msg with the same data does not verify', () => {
    const body = JSON.parse(
      callback('payment', { cp_orderno: 'A1', status: 'SUCCESS', total_amount: 990 }),
    ) as Record<string, string>;
    body.msg = JSON.stringify(JSON.parse(body.msg as string), null, 1);
    expect(codeOf(() => verifyEcpayCallback({ rawBody: JSON.stringify(body) }, { token }))).toBe(
      'SIGNATURE_MISMATCH',
    );
  });

  it('refuses a signed payment msg re-labelled as a refund (type is not covered by the signature)', () => {
    const relabelled = callback('refund', { cp_orderno: 'A1', status: 'SUCCESS', total_amount: 990 });
    expect(codeOf(() => verifyEcpayCallback({ rawBody: relabelled }, { token }))).toBe('MISSING_FIELD');
  });

  it.each([
    ['not JSON', '{"timestamp":', 'MALFORMED_BODY'],
    ['a JSON array', '[]', 'MALFORMED_BODY'],
    [
      'no msg',
      JSON.stringify({ timestamp: '1', nonce: '2', msg_signature: 'x', type: 'payment' }),
      'MISSING_FIELD',
    ],
    [
      'msg not a string',
      JSON.stringify({ timestamp: '1', nonce: '2', msg: {}, msg_signature: 'x', type: 'payment' }),
      'MALFORMED_BODY',
    ],
    [
      'payment without cp_orderno',
      callback('payment', { status: 'SUCCESS', total_amount: 1 }),
      'MISSING_FIELD',
    ],
    [
      'payment with a string amount',
      callback('payment', { cp_orderno: 'A', status: 'SUCCESS', total_amount: '1' }),
      'MALFORMED_BODY',
    ],
    [
      'msg that is not JSON',
      (() => {
        const msg = 'not json';
        return JSON.stringify({
          timestamp: '1',
          nonce: '2',
          msg,
          msg_signature: signEcpayCallback({ token, timestamp: '1', nonce: '2', msg }),
          type: 'payment',
        });
      })(),
      'MALFORMED_BODY',
    ],
  ])('%s → %s', (_name, body, code) => {
    expect(codeOf(() => verifyEcpayCallback(body, { token }))).toBe(code);
  });

  it('has no age limit by default, and an opt-in one with an injectable clock', () => {
    const body = callback('payment', { cp_orderno: 'A1', status: 'SUCCESS', total_amount: 990 });
    expect(verifyEcpayCallback({ rawBody: body }, { token }).type).toBe('payment');
    const now = () => (1_700_000_000 + 3601) * 1000;
    expect(codeOf(() => verifyEcpayCallback({ rawBody: body }, { token, maxAgeSeconds: 3600, now }))).toBe(
      'TIMESTAMP_OUT_OF_RANGE',
    );
    expect(verifyEcpayCallback({ rawBody: body }, { token, maxAgeSeconds: 3602, now }).type).toBe('payment');
  });

  it('accepts Uint8Array bodies byte-for-byte', () => {
    const body = callback('payment', {
      cp_orderno: '订单1',
      status: 'SUCCESS',
      total_amount: 990,
      subject: '强烈推荐！😀',
    });
    const event = verifyEcpayCallback({ rawBody: new Uint8Array(Buffer.from(body)) }, { token });
    expect(event.type === 'payment' && event.msg.cp_orderno).toBe('订单1');
  });
});

describe('verifyEcpayCallbackFields (a body already parsed from the raw bytes)', () => {
  it('gives the same event as verifyEcpayCallback, and the same rejections', async () => {
    const { verifyEcpayCallbackFields } = await import('../src/ecpay/verify-callback.js');
    const raw = callback('payment', { cp_orderno: 'A1', status: 'SUCCESS', total_amount: 990 });
    expect(verifyEcpayCallbackFields(JSON.parse(raw), { token })).toEqual(
      verifyEcpayCallback({ rawBody: raw }, { token }),
    );
    expect(codeOf(() => verifyEcpayCallbackFields(JSON.parse(raw), { token: 'other' }))).toBe(
      'SIGNATURE_MISMATCH',
    );
    expect(codeOf(() => verifyEcpayCallbackFields([] as never, { token }))).toBe('MALFORMED_BODY');
  });
});
