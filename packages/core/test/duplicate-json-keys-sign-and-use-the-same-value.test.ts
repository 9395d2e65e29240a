import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isTtpayError,
  signAlgoVoiWebhook,
  signEcpayCallback,
  signTikTokWebhook,
  signTradeCallback,
  toPublicKey,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '../src/index.js';
import { isTradeCallbackBody } from '../src/internal.js';

// A body may repeat a key ("msg" twice, "type" twice). Whatever a verifier checks the signature
// against and whatever it hands on in the event must be the same copy — the last, as JSON.parse (and
// Go's encoding/json on the platform side) keeps it — so a second copy can never smuggle unsigned
// content past the check.

const TOKEN = 'dup-token';
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_KEY = toPublicKey(platform.publicKey);
const NOW_MS = 1_700_000_000_000;
const NOW_S = String(NOW_MS / 1000);

const orderNo = fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/);
const paymentMsg = (cpOrderNo: string, amount: number) =>
  JSON.stringify({ cp_orderno: cpOrderNo, status: 'SUCCESS', total_amount: amount, way: '10' });
const amount = fc.integer({ min: 1, max: 10_000_000 });

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (isTtpayError(error)) return error.code;
    throw error;
  }
}

describe('ecpay: two "msg" keys (100 runs)', () => {
  it('verifies only when the LAST copy is the signed one, and the event carries that copy', () => {
    fc.assert(
      fc.property(orderNo, orderNo, amount, amount, fc.boolean(), (o1, o2, a1, a2, signLast) => {
        fc.pre(o1 !== o2);
        const first = paymentMsg(o1, a1);
        const last = paymentMsg(o2, a2);
        const signed = signLast ? last : first;
        const sig = signEcpayCallback({ token: TOKEN, timestamp: NOW_S, nonce: 'n', msg: signed });
        const body = `{"timestamp":"${NOW_S}","nonce":"n","msg":${JSON.stringify(first)},"msg":${JSON.stringify(last)},"msg_signature":"${sig}","type":"payment"}`;
        if (signLast) {
          const event = verifyEcpayCallback({ rawBody: body }, { token: TOKEN });
          expect(event.rawMsg).toBe(last);
          expect(event.key).toBe(`douyin:ecpay:payment:${o2}:SUCCESS`);
          expect(event.type === 'payment' && event.msg.total_amount).toBe(a2);
        } else {
          expect(codeOf(() => verifyEcpayCallback({ rawBody: body }, { token: TOKEN }))).toBe(
            'SIGNATURE_MISMATCH',
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it('two "msg_signature" / "timestamp" / "type" keys: the last copy is the one checked and used', () => {
    fc.assert(
      fc.property(orderNo, amount, fc.constantFrom('payment', 'refund', 'withdraw'), (o, a, decoyType) => {
        const msg = paymentMsg(o, a);
        const sig = signEcpayCallback({ token: TOKEN, timestamp: NOW_S, nonce: 'n', msg });
        const wrong = signEcpayCallback({ token: TOKEN, timestamp: '1', nonce: 'n', msg });
        const body = (sigs: [string, string], stamps: [string, string]) =>
          `{"timestamp":"${stamps[0]}","nonce":"n","msg":${JSON.stringify(msg)},"msg_signature":"${sigs[0]}","type":"${decoyType}","timestamp":"${stamps[1]}","msg_signature":"${sigs[1]}","type":"payment"}`;
        expect(
          verifyEcpayCallback({ rawBody: body([wrong, sig], ['1', NOW_S]) }, { token: TOKEN }).type,
        ).toBe('payment');
        expect(
          codeOf(() => verifyEcpayCallback({ rawBody: body([sig, wrong], ['1', NOW_S]) }, { token: TOKEN })),
        ).toBe('SIGNATURE_MISMATCH');
        expect(
          codeOf(() => verifyEcpayCallback({ rawBody: body([wrong, sig], [NOW_S, '1']) }, { token: TOKEN })),
        ).toBe('SIGNATURE_MISMATCH');
      }),
      { numRuns: 100 },
    );
  });
});

describe('trade system: the signature covers the bytes, the event takes the last copy (50 runs)', () => {
  it('two "type", "msg" and "version" keys; @ttpay/koa’s dispatch (isTradeCallbackBody) sees the same copy', () => {
    const type = fc.constantFrom('payment', 'refund', 'settle');
    fc.assert(
      fc.property(orderNo, orderNo, type, type, fc.constantFrom('3.0', ''), (o1, o2, t1, t2, lastVersion) => {
        const msg = (o: string) =>
          JSON.stringify({
            out_order_no: o,
            out_refund_no: o,
            out_settle_no: o,
            status: 'SUCCESS',
            total_amount: 1,
          });
        const raw = `{"msg":${JSON.stringify(msg(o1))},"type":"${t1}","version":"3.0","msg":${JSON.stringify(msg(o2))},"type":"${t2}","version":"${lastVersion}"}`;
        const headers = {
          'byte-timestamp': NOW_S,
          'byte-nonce-str': 'n',
          'byte-signature': signTradeCallback(
            { timestamp: NOW_S, nonce: 'n', rawBody: raw },
            platform.privateKey,
          ),
        };
        const verify = () =>
          verifyTradeCallback({ headers, rawBody: raw }, { publicKey: PUBLIC_KEY, now: () => NOW_MS });
        expect(isTradeCallbackBody(JSON.parse(raw) as Record<string, unknown>)).toBe(lastVersion !== '');
        if (lastVersion === '') {
          expect(codeOf(verify)).toBe('MISSING_FIELD');
          return;
        }
        const event = verify();
        expect(event.type).toBe(t2);
        expect(event.rawMsg).toBe(msg(o2));
        expect(event.key).toBe(
          t2 === 'payment' ? `douyin:trade:payment:${o2}:SUCCESS` : `douyin:trade:${t2}:${o2}`,
        );
      }),
      { numRuns: 50 },
    );
  });
});

describe('TikTok Shop and AlgoVoi: the event takes the last copy of a repeated key (100 runs each)', () => {
  it('TikTok: two "type" and two "tts_notification_id" keys', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 12, 99),
        fc.constantFrom(1, 12, 99),
        orderNo,
        orderNo,
        (t1, t2, id1, id2) => {
          const raw = `{"type":${t1},"tts_notification_id":"${id1}","data":{"order_id":"o","order_status":"UNPAID"},"type":${t2},"tts_notification_id":"${id2}"}`;
          const credentials = { appKey: 'k', appSecret: 's' };
          const event = verifyTikTokWebhook(
            { rawBody: raw, headers: { authorization: signTikTokWebhook(raw, credentials) } },
            credentials,
          );
          expect(event.type).toBe(t2);
          expect(event.key).toBe(`tiktok:${id2}`);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('AlgoVoi: two "id" keys and two "data.payment_link_token" keys', () => {
    fc.assert(
      fc.property(orderNo, orderNo, orderNo, orderNo, (id1, id2, tok1, tok2) => {
        const raw = `{"id":"${id1}","type":"payment.confirmed","data":{"payment_link_token":"${tok1}","payment_link_token":"${tok2}"},"id":"${id2}"}`;
        const event = verifyAlgoVoiWebhook(
          { rawBody: raw, headers: { 'x-algovoi-signature': signAlgoVoiWebhook(raw, 's') } },
          { secret: 's' },
        );
        expect(event.data.payment_link_token).toBe(tok2);
        expect(event.key).toBe(`algovoi:${id2}`);
      }),
      { numRuns: 100 },
    );
  });
});
