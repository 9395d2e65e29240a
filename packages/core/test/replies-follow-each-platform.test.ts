import { describe, expect, it } from 'vitest';
import { toDeliveryError } from '../src/delivery/delivery-error.js';
import { douyinReplies, webhookReplies } from '../src/delivery/replies.js';
import { TtpayError } from '../src/index.js';

// How each platform is answered, as values (the adapters only write them): TikTok's configuration guide
// lists 200 and 401, each with an empty body (PROTOCOLS.md §3.1); AlgoVoi is answered the same, its stale
// `t=` included (§4.3); Douyin reads `err_no`/`err_tips` (§1.3).
describe('the webhook platforms (TikTok Shop, AlgoVoi)', () => {
  it.each(['MISSING_SIGNATURE', 'SIGNATURE_MISMATCH', 'TIMESTAMP_OUT_OF_RANGE'] as const)(
    '%s: 401 with an empty body and no content type',
    (code) => {
      expect(webhookReplies.reject(code)).toEqual({ status: 401, headers: {}, body: '' });
      expect(webhookReplies.statusOf(code)).toBe(401);
    },
  );

  it('a verified event of a type ttpay does not know: 501 UNKNOWN_EVENT_TYPE, retried by the sender', () => {
    expect(webhookReplies.reject('UNKNOWN_EVENT_TYPE')).toEqual({
      status: 501,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"error":"UNKNOWN_EVENT_TYPE"}',
    });
  });

  it('other refusals keep their code in the body', () => {
    expect(webhookReplies.reject('MALFORMED_HEADER')).toMatchObject({
      status: 400,
      body: '{"error":"MALFORMED_HEADER"}',
    });
  });
});

describe('Douyin', () => {
  it('a signature or timestamp failure stays 400 with its code in err_tips', () => {
    expect(douyinReplies.reject('TIMESTAMP_OUT_OF_RANGE')).toMatchObject({
      status: 400,
      body: '{"err_no":400,"err_tips":"TIMESTAMP_OUT_OF_RANGE"}',
    });
  });
});

describe('a verifier’s UNKNOWN_EVENT_TYPE', () => {
  it('is the sender’s refusal, kept as such (not an internal error)', () => {
    const error = toDeliveryError(new TtpayError('UNKNOWN_EVENT_TYPE', 'type payment.refunded'));
    expect(error.code).toBe('UNKNOWN_EVENT_TYPE');
  });
});
