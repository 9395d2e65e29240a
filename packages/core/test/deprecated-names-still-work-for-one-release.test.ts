import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as Events from '../src/events.js';
import type {
  AlgoVoiEvent,
  AlgoVoiEventType,
  AlgoVoiPaymentConfirmedData,
  ApplyOnceOptions,
  AtomicIdempotencyStore,
  AtomicRun,
  ByteAuthorizationParams,
  Claim,
  EcpayCallbackFields,
  EcpayPaymentEvent,
  EcpayPaymentMsg,
  EcpayRefundEvent,
  EcpayRefundMsg,
  EcpaySettleEvent,
  EcpaySettleMsg,
  HeaderMap,
  IdempotencyStore,
  Lease,
  ParsedByteAuthorization,
  RawBody,
  SignAlgoVoiWebhookOptions,
  SignedRequest,
  StoreErrorCode,
  TikTokCancellationStatusData,
  TikTokEvent,
  TikTokEventOf,
  TikTokKnownEvent,
  TikTokOrderStatusData,
  TikTokQuery,
  TikTokRequestToSign,
  TikTokUnknownEvent,
  TikTokWebhookCredentials,
  TikTokWebhookTypeNumber,
  TradePaymentEvent,
  TradePaymentMsg,
  TradeRefundApplicationEvent,
  TradeRefundApplicationMsg,
  TradeRefundEvent,
  TradeRefundMsg,
  TradeRequest,
  TradeSettleEvent,
  TradeSettleMsg,
  TransactionalIdempotencyStore,
} from '../src/index.js';
import * as core from '../src/index.js';
import * as internal from '../src/internal.js';
import * as store from '../src/store.js';

/**
 * What @ttpay/core 0.1 exported and 0.2 moved or reaches through a signature stays importable for one
 * release (`src/deprecated.ts`), as the very same values and types: code written against 0.1 compiles and
 * behaves the same, with the editor's strikethrough naming the replacement. The only uses of the aliases
 * in the repository are here (test/no-code-uses-a-deprecated-name.test.ts).
 */
describe('@ttpay/core 0.1 names, deprecated for one release', () => {
  it('the store contract and its helpers: the same as @ttpay/core/store', () => {
    expect(core.newLeaseToken).toBe(store.newLeaseToken);
    expect(core.storableKey).toBe(store.storableKey);
    expectTypeOf<IdempotencyStore>().toEqualTypeOf<store.IdempotencyStore>();
    expectTypeOf<TransactionalIdempotencyStore<1>>().toEqualTypeOf<store.TransactionalIdempotencyStore<1>>();
    expectTypeOf<AtomicIdempotencyStore<1>>().toEqualTypeOf<store.AtomicIdempotencyStore<1>>();
    expectTypeOf<AtomicRun<1>>().toEqualTypeOf<store.AtomicRun<1>>();
    expectTypeOf<Claim>().toEqualTypeOf<store.Claim>();
    expectTypeOf<Lease>().toEqualTypeOf<store.Lease>();
    expectTypeOf<StoreErrorCode>().toEqualTypeOf<store.StoreErrorCode>();
  });

  it("events' bodies: the same types as the events carry", () => {
    expectTypeOf<EcpayPaymentMsg>().toEqualTypeOf<EcpayPaymentEvent['msg']>();
    expectTypeOf<EcpayRefundMsg>().toEqualTypeOf<EcpayRefundEvent['msg']>();
    expectTypeOf<EcpaySettleMsg>().toEqualTypeOf<EcpaySettleEvent['msg']>();
    expectTypeOf<TradePaymentMsg>().toEqualTypeOf<TradePaymentEvent['msg']>();
    expectTypeOf<TradeRefundMsg>().toEqualTypeOf<TradeRefundEvent['msg']>();
    expectTypeOf<TradeSettleMsg>().toEqualTypeOf<TradeSettleEvent['msg']>();
    expectTypeOf<TradeRefundApplicationMsg>().toEqualTypeOf<TradeRefundApplicationEvent['msg']>();
    expectTypeOf<TikTokOrderStatusData>().toEqualTypeOf<TikTokEventOf<'ORDER_STATUS_CHANGE'>['data']>();
    expectTypeOf<TikTokCancellationStatusData>().toEqualTypeOf<
      TikTokEventOf<'CANCELLATION_STATUS_CHANGE'>['data']
    >();
    expectTypeOf<AlgoVoiPaymentConfirmedData>().toEqualTypeOf<AlgoVoiEvent['data']>();
    expectTypeOf<AlgoVoiEventType>().toEqualTypeOf<AlgoVoiEvent['type']>();
    expectTypeOf<TikTokKnownEvent>().toEqualTypeOf<Exclude<TikTokEvent, { name: 'UNKNOWN' }>>();
    expectTypeOf<TikTokUnknownEvent>().toEqualTypeOf<Extract<TikTokEvent, { name: 'UNKNOWN' }>>();
    expectTypeOf<TikTokWebhookTypeNumber>().toEqualTypeOf<Events.TikTokWebhookTypeNumber>();
    expect(core.ALGOVOI_EVENT_TYPES).toEqual(['payment.confirmed']);
    expect(core.TIKTOK_WEBHOOK_TYPES).toBe(internal.TIKTOK_WEBHOOK_TYPES);
    expect(core.TIKTOK_WEBHOOK_TYPES[1]).toBe('ORDER_STATUS_CHANGE');
  });

  it("argument shapes: the same types as the functions' parameters", () => {
    expectTypeOf<ApplyOnceOptions>().toEqualTypeOf<Parameters<typeof core.applyOnce>[3]>();
    expectTypeOf<ByteAuthorizationParams>().toEqualTypeOf<
      Parameters<typeof core.buildByteAuthorization>[0]
    >();
    expectTypeOf<EcpayCallbackFields>().toEqualTypeOf<Parameters<typeof core.signEcpayCallback>[0]>();
    expectTypeOf<HeaderMap>().toEqualTypeOf<Parameters<typeof core.verifyTradeCallback>[0]['headers']>();
    expectTypeOf<RawBody>().toEqualTypeOf<string | Uint8Array>();
    expectTypeOf<SignedRequest>().toEqualTypeOf<Parameters<typeof core.verifyTradeCallback>[0]>();
    expectTypeOf<SignAlgoVoiWebhookOptions>().toEqualTypeOf<
      NonNullable<Parameters<typeof core.signAlgoVoiWebhook>[2]>
    >();
    expectTypeOf<TikTokQuery>().toEqualTypeOf<Parameters<typeof core.signTikTokRequest>[0]['query']>();
    expectTypeOf<TikTokRequestToSign>().toEqualTypeOf<Parameters<typeof core.signTikTokRequest>[0]>();
    expectTypeOf<TikTokWebhookCredentials>().toEqualTypeOf<Parameters<typeof core.signTikTokWebhook>[1]>();
    expectTypeOf<TradeRequest>().toEqualTypeOf<Parameters<typeof core.signTradeRequest>[0]>();
    expectTypeOf<ParsedByteAuthorization>().toEqualTypeOf<
      ReturnType<typeof internal.parseByteAuthorization>
    >();
  });

  it('what the engine and the platform side use: the same functions, still working', () => {
    expect(core.signAlgoVoiSeedWebhook).toBe(internal.signAlgoVoiSeedWebhook);
    expect(core.isTradeCallbackBody).toBe(internal.isTradeCallbackBody);
    expect(core.parseByteAuthorization).toBe(internal.parseByteAuthorization);
    expect(core.ALGOVOI_SIGNATURE_HEADER.toLowerCase()).toBe('x-algovoi-signature');
    expect(core.isTradeCallbackBody({ version: '3.0' })).toBe(true);
    expect(core.isTradeCallbackBody({ msg: '{}' })).toBe(false);

    const token = 'deprecated_names_token';
    const msg = JSON.stringify({ cp_orderno: 'dep_1', status: 'SUCCESS', total_amount: 100, way: '10' });
    const fields = { token, timestamp: '1700000000', nonce: '1', msg };
    const rawBody = JSON.stringify({
      ...fields,
      msg_signature: core.signEcpayCallback(fields),
      type: 'payment',
    });
    const event = core.verifyEcpayCallback({ rawBody }, { token });
    expect(core.verifyEcpayCallbackFields(JSON.parse(rawBody), { token })).toEqual(event);
  });

  it('the 0.1 verifier forms: the same events, the same refusals', () => {
    const token = 'deprecated_forms_token';
    const msg = JSON.stringify({ cp_orderno: 'dep_2', status: 'SUCCESS', total_amount: 100, way: '10' });
    const fields = { token, timestamp: '1700000000', nonce: '1', msg };
    const rawBody = JSON.stringify({
      ...fields,
      msg_signature: core.signEcpayCallback(fields),
      type: 'payment',
    });
    expect(core.verifyEcpayCallback(rawBody, { token })).toEqual(
      core.verifyEcpayCallback({ rawBody }, { token }),
    );
    expect(() => core.verifyEcpayCallback(rawBody, { token: 'other' })).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_MISMATCH' }),
    );

    const credentials = { appKey: 'dep_app_key', appSecret: 'dep_app_secret' };
    const tiktokBody = JSON.stringify({
      type: 1,
      tts_notification_id: '9',
      shop_id: '1',
      timestamp: 1,
      data: { order_id: '5', order_status: 'UNPAID' },
    });
    const signature = core.signTikTokWebhook(tiktokBody, credentials);
    expect(core.verifyTikTokWebhook({ rawBody: tiktokBody, signature }, credentials)).toEqual(
      core.verifyTikTokWebhook({ rawBody: tiktokBody, headers: { authorization: signature } }, credentials),
    );
    expect(() =>
      core.verifyTikTokWebhook({ rawBody: tiktokBody, signature: undefined }, credentials),
    ).toThrow(expect.objectContaining({ code: 'MISSING_SIGNATURE' }));
  });

  it('CodedError: TtpayError itself', () => {
    expect(core.CodedError).toBe(core.TtpayError);
    expectTypeOf<core.CodedError<'X'>>().toEqualTypeOf<core.TtpayError<'X'>>();
  });
});
