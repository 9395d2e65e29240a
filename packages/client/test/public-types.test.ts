import type {
  AlgoVoiNetwork,
  EcpayCreateOrderRequest,
  PaymentLink,
  SettleTikTokOrderResult,
  TikTokShipPackageRequest,
  TtpayApiError,
  TtpayClientErrorCode,
} from '@ttpay/client';
import { describe, expectTypeOf, it } from 'vitest';

// Checked by `tsc` (the root typecheck); vitest only runs the assertions below.
describe('public types', () => {
  it('narrow what the platforms accept', () => {
    expectTypeOf<AlgoVoiNetwork>().toEqualTypeOf<
      'algorand_mainnet' | 'voi_mainnet' | 'hedera_mainnet' | 'stellar_mainnet'
    >();
    expectTypeOf<EcpayCreateOrderRequest['disable_msg']>().toEqualTypeOf<0 | 1 | undefined>();
    expectTypeOf<PaymentLink['token']>().toBeString();
    expectTypeOf<TtpayApiError['platformCode']>().toEqualTypeOf<number | string>();
    expectTypeOf<TtpayClientErrorCode>().toEqualTypeOf<
      | 'HOST_NOT_ALLOWED'
      | 'REDIRECT_REFUSED'
      | 'TIMEOUT'
      | 'ABORTED'
      | 'NETWORK'
      | 'HTTP_STATUS'
      | 'MALFORMED_RESPONSE'
      | 'PLATFORM_ERROR'
    >();

    // @ts-expect-error shipping needs a provider
    const noProvider: TikTokShipPackageRequest = { self_shipment: { tracking_number: 't' } };
    // @ts-expect-error amounts are numbers (fen), not strings
    const stringAmount: Pick<EcpayCreateOrderRequest, 'total_amount'> = { total_amount: '100' };
    void noProvider;
    void stringAmount;
  });

  it('the settlement result is a union narrowed on outcome', () => {
    const narrow = (r: SettleTikTokOrderResult) => (r.outcome === 'link-created' ? r.link.token : r.reason);
    expectTypeOf(narrow).returns.toBeString();
  });
});
