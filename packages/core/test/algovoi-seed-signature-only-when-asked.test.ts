import { describe, expect, it } from 'vitest';
import { signAlgoVoiWebhook, TtpayError, verifyAlgoVoiWebhook } from '../src/index.js';
import { signAlgoVoiSeedWebhook } from '../src/internal.js';

/**
 * The seed adapter's base64 HMAC over the body (docs/PROTOCOLS.md §4.1) is accepted only with
 * `seedBodySignature: true`; the published `t=,v1=` scheme (§4.3) always.
 */
const raw = '{"id":"evt_seed_1","type":"payment.confirmed","data":{"payment_link_token":"tok_1"}}';
const secret = 'algvw_seed_secret';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof TtpayError) return error.code;
    throw error;
  }
  return 'ok';
}

describe('the seed scheme is an explicit opt-in', () => {
  const seedHeaders = { 'x-algovoi-signature': signAlgoVoiSeedWebhook(raw, secret) };

  it('is refused by default, as a malformed header', () => {
    expect(codeOf(() => verifyAlgoVoiWebhook({ rawBody: raw, headers: seedHeaders }, { secret }))).toBe(
      'MALFORMED_HEADER',
    );
  });

  it('verifies with seedBodySignature: true, and still refuses another secret or a changed body', () => {
    const event = verifyAlgoVoiWebhook(
      { rawBody: raw, headers: seedHeaders },
      { secret: ['algvw_old', secret], seedBodySignature: true },
    );
    expect(event).toMatchObject({ key: 'algovoi:evt_seed_1', data: { payment_link_token: 'tok_1' } });
    expect(
      codeOf(() =>
        verifyAlgoVoiWebhook(
          { rawBody: raw, headers: seedHeaders },
          { secret: 'algvw_other', seedBodySignature: true },
        ),
      ),
    ).toBe('SIGNATURE_MISMATCH');
    expect(
      codeOf(() =>
        verifyAlgoVoiWebhook(
          { rawBody: raw.replace('tok_1', 'tok_2'), headers: seedHeaders },
          { secret, seedBodySignature: true },
        ),
      ),
    ).toBe('SIGNATURE_MISMATCH');
  });

  it('with the option on, the published scheme still verifies and still goes stale', () => {
    const header = signAlgoVoiWebhook(raw, secret, { timestamp: 1_800_000_000 });
    const check = (nowS: number) =>
      codeOf(() =>
        verifyAlgoVoiWebhook(
          { rawBody: raw, headers: { 'x-algovoi-signature': header } },
          { secret, seedBodySignature: true, now: () => nowS * 1000 },
        ),
      );
    expect(check(1_800_000_000)).toBe('ok');
    expect(check(1_800_000_000 + 301)).toBe('TIMESTAMP_OUT_OF_RANGE');
  });
});

describe('the 0.x call shape fails loudly, with what to do', () => {
  it('a secret string as the second argument is INVALID_ARGUMENT naming options.secret', () => {
    let message = '';
    try {
      verifyAlgoVoiWebhook({ rawBody: raw, signature: 'x' } as never, secret as never);
    } catch (error) {
      expect(error).toBeInstanceOf(TtpayError);
      expect((error as TtpayError).code).toBe('INVALID_ARGUMENT');
      message = (error as Error).message;
    }
    expect(message).toMatch(/options\.secret/);
  });

  it('{rawBody, signature} without headers is INVALID_ARGUMENT naming headers', () => {
    expect(() => verifyAlgoVoiWebhook({ rawBody: raw, signature: 'x' } as never, { secret })).toThrow(
      /headers/,
    );
  });
});

describe('the event', () => {
  it('types data, keys on id, and keeps the deprecated aliases for one release', () => {
    const body = JSON.stringify({
      id: 'evt_9',
      type: 'payment.confirmed',
      created: 1_800_000_000,
      api_version: '2024-01-01',
      data: { tx_id: 'TX9', payment_link_token: 'tok_9', payment_link_label: 'Invoice 9' },
    });
    const event = verifyAlgoVoiWebhook(
      {
        rawBody: body,
        headers: { 'x-algovoi-signature': signAlgoVoiWebhook(body, secret, { timestamp: 1_800_000_000 }) },
      },
      { secret, now: () => 1_800_000_000_000 },
    );
    expect(event).toMatchObject({
      key: 'algovoi:evt_9',
      id: 'evt_9',
      created: 1_800_000_000,
      api_version: '2024-01-01',
      token: 'tok_9',
      tx_id: 'TX9',
      status: 'confirmed',
      data: { payment_link_label: 'Invoice 9' },
    });
  });

  it.each([
    ['no id', '{"type":"payment.confirmed","data":{}}', 'MISSING_FIELD'],
    ['data not an object', '{"id":"e","type":"payment.confirmed","data":[]}', 'MALFORMED_BODY'],
    ['a numeric tx_id', '{"id":"e","type":"payment.confirmed","data":{"tx_id":5}}', 'MALFORMED_BODY'],
    ['an unknown type', '{"id":"e","type":"refund.issued","data":{}}', 'UNKNOWN_EVENT_TYPE'],
  ])('a signed body with %s is refused (%s)', (_what, body, code) => {
    const headers = { 'x-algovoi-signature': signAlgoVoiWebhook(body, secret) };
    expect(codeOf(() => verifyAlgoVoiWebhook({ rawBody: body, headers }, { secret }))).toBe(code);
  });
});
