import { describe, expect, it } from 'vitest';
import {
  signAlgoVoiWebhook,
  signEcpayCallback,
  signTikTokWebhook,
  TtpayError,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '../src/index.js';

function errorOf(fn: () => unknown): TtpayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TtpayError) return e;
    throw e;
  }
  throw new Error('expected a TtpayError');
}

const tiktokBody =
  '{"type":1,"tts_notification_id":"7","shop_id":"1","timestamp":1,"data":{"order_id":"9","order_status":"UNPAID"}}';

describe('a parsed object instead of the raw body is refused with a message that says what to do', () => {
  const parsed = JSON.parse(tiktokBody) as unknown as string;
  it.each([
    ['verifyEcpayCallback', () => verifyEcpayCallback({ rawBody: parsed }, { token: 't' })],
    ['verifyTradeCallback', () => verifyTradeCallback({ headers: {}, rawBody: parsed }, { publicKey: 'k' })],
    [
      'verifyTikTokWebhook',
      () =>
        verifyTikTokWebhook(
          { rawBody: parsed, headers: { authorization: 'x' } },
          { appKey: 'k', appSecret: 's' },
        ),
    ],
    [
      'verifyAlgoVoiWebhook',
      () =>
        verifyAlgoVoiWebhook({ rawBody: parsed, headers: { 'x-algovoi-signature': 'x' } }, { secret: 's' }),
    ],
  ])('%s', (_name, fn) => {
    const error = errorOf(fn);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/raw/);
  });
});

describe('an empty secret never verifies, even against a signature made with it', () => {
  it('TikTok', () => {
    // A signature computed with an empty secret by hand (the core signer refuses to make one).
    const signature = signTikTokWebhook(tiktokBody, { appKey: 'k', appSecret: 'x' });
    expect(
      errorOf(() =>
        verifyTikTokWebhook(
          { rawBody: tiktokBody, headers: { authorization: signature } },
          { appKey: 'k', appSecret: '' },
        ),
      ).code,
    ).toBe('INVALID_ARGUMENT');
    expect(
      errorOf(() =>
        verifyTikTokWebhook(
          { rawBody: tiktokBody, headers: { authorization: signature } },
          { appKey: 'k', appSecret: ['', ''] },
        ),
      ).code,
    ).toBe('INVALID_ARGUMENT');
    expect(
      errorOf(() =>
        verifyTikTokWebhook(
          { rawBody: tiktokBody, headers: { authorization: signature } },
          { appKey: '', appSecret: 'x' },
        ),
      ).code,
    ).toBe('INVALID_ARGUMENT');
  });

  it('AlgoVoi and ecpay', () => {
    expect(
      errorOf(() =>
        verifyAlgoVoiWebhook({ rawBody: '{}', headers: { 'x-algovoi-signature': 'x' } }, { secret: '' }),
      ).code,
    ).toBe('INVALID_ARGUMENT');
    expect(
      errorOf(() =>
        verifyAlgoVoiWebhook(
          { rawBody: '{}', headers: { 'x-algovoi-signature': 'x' } },
          { secret: ['', ''] },
        ),
      ).code,
    ).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => signAlgoVoiWebhook('{}', '')).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => verifyEcpayCallback({ rawBody: '{}' }, { token: '' })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorOf(() => verifyTradeCallback({ headers: {}, rawBody: '{}' }, { publicKey: '' })).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('secret rotation: any configured secret verifies, none other does', () => {
  it('TikTok app secrets', () => {
    const signature = signTikTokWebhook(tiktokBody, { appKey: 'k', appSecret: 'new' });
    const event = verifyTikTokWebhook(
      { rawBody: tiktokBody, headers: { authorization: signature } },
      { appKey: 'k', appSecret: ['old', 'new'] },
    );
    expect(event.tts_notification_id).toBe('7');
    expect(
      errorOf(() =>
        verifyTikTokWebhook(
          { rawBody: tiktokBody, headers: { authorization: signature } },
          { appKey: 'k', appSecret: ['old'] },
        ),
      ).code,
    ).toBe('SIGNATURE_MISMATCH');
  });

  it('ecpay tokens', () => {
    const msg = JSON.stringify({ cp_orderno: 'o', status: 'SUCCESS', total_amount: 1 });
    const body = JSON.stringify({
      timestamp: '1',
      nonce: '2',
      msg,
      msg_signature: signEcpayCallback({ token: 'old', timestamp: '1', nonce: '2', msg }),
      type: 'payment',
    });
    expect(verifyEcpayCallback({ rawBody: body }, { token: ['new', 'old'] }).key).toBe(
      'douyin:ecpay:payment:o:SUCCESS',
    );
    expect(errorOf(() => verifyEcpayCallback({ rawBody: body }, { token: 'new' })).code).toBe(
      'SIGNATURE_MISMATCH',
    );
  });

  it('AlgoVoi secrets', () => {
    const raw = '{"id":"evt_1","type":"payment.confirmed","data":{}}';
    const headers = { 'x-algovoi-signature': signAlgoVoiWebhook(raw, 'b') };
    expect(verifyAlgoVoiWebhook({ rawBody: raw, headers }, { secret: ['a', 'b'] }).key).toBe('algovoi:evt_1');
    expect(errorOf(() => verifyAlgoVoiWebhook({ rawBody: raw, headers }, { secret: 'a' })).code).toBe(
      'SIGNATURE_MISMATCH',
    );
  });
});

describe('missing signatures have their own code', () => {
  it.each([
    [
      'TikTok, no header',
      () => verifyTikTokWebhook({ rawBody: tiktokBody, headers: {} }, { appKey: 'k', appSecret: 's' }),
    ],
    [
      'TikTok, blank header',
      () =>
        verifyTikTokWebhook(
          { rawBody: tiktokBody, headers: { authorization: '  ' } },
          { appKey: 'k', appSecret: 's' },
        ),
    ],
    ['AlgoVoi, no header', () => verifyAlgoVoiWebhook({ rawBody: '{}', headers: {} }, { secret: 's' })],
    [
      'AlgoVoi, blank header',
      () => verifyAlgoVoiWebhook({ rawBody: '{}', headers: { 'x-algovoi-signature': ' ' } }, { secret: 's' }),
    ],
    [
      'ecpay',
      () =>
        verifyEcpayCallback(
          { rawBody: '{"timestamp":"1","nonce":"2","msg":"{}","type":"payment"}' },
          { token: 't' },
        ),
    ],
    [
      'trade',
      () =>
        verifyTradeCallback(
          { headers: { 'byte-timestamp': '1', 'byte-nonce-str': 'n' }, rawBody: '{}' },
          { publicKey: 'k' },
        ),
    ],
  ])('%s', (_name, fn) => {
    expect(errorOf(fn).code).toBe('MISSING_SIGNATURE');
  });
});

describe('invalid UTF-8 is malformed, never silently replaced with U+FFFD', () => {
  const bad = Buffer.concat([
    Buffer.from('{"type":1,"tts_notification_id":"7","data":{"order_id":"'),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"}}'),
  ]);
  it('TikTok (signed bytes, but not UTF-8)', () => {
    const signature = signTikTokWebhook(bad, { appKey: 'k', appSecret: 's' });
    expect(
      errorOf(() =>
        verifyTikTokWebhook(
          { rawBody: bad, headers: { authorization: signature } },
          { appKey: 'k', appSecret: 's' },
        ),
      ).code,
    ).toBe('MALFORMED_BODY');
  });
  it('AlgoVoi', () => {
    const headers = { 'x-algovoi-signature': signAlgoVoiWebhook(bad, 's') };
    expect(errorOf(() => verifyAlgoVoiWebhook({ rawBody: bad, headers }, { secret: 's' })).code).toBe(
      'MALFORMED_BODY',
    );
  });
  it('ecpay', () => {
    expect(errorOf(() => verifyEcpayCallback({ rawBody: bad }, { token: 't' })).code).toBe('MALFORMED_BODY');
  });
  it('ecpay msg_signature of the wrong type', () => {
    expect(
      errorOf(() =>
        verifyEcpayCallback(
          { rawBody: '{"timestamp":"1","nonce":"2","msg":"{}","msg_signature":5}' },
          { token: 't' },
        ),
      ).code,
    ).toBe('MALFORMED_BODY');
  });
});
