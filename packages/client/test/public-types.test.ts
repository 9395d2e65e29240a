import type {
  AlgoVoiClient,
  DouyinEcpayClient,
  DouyinTradeClient,
  TikTokShopClient,
  TtpayApiError,
  TtpayClientErrorCode,
} from '@ttpay/client';
import { describe, expectTypeOf, it } from 'vitest';

// Checked by `tsc` (the root typecheck); vitest only runs the assertions below.
describe('public types', () => {
  it('narrow what the platforms accept', () => {
    expectTypeOf<AlgoVoiClient.Network>().toEqualTypeOf<
      'algorand_mainnet' | 'voi_mainnet' | 'hedera_mainnet' | 'stellar_mainnet'
    >();
    expectTypeOf<DouyinEcpayClient.CreateOrderRequest['disable_msg']>().toEqualTypeOf<0 | 1 | undefined>();
    expectTypeOf<AlgoVoiClient.PaymentLink['token']>().toBeString();
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
      | 'OUTCOME_UNKNOWN'
    >();
    // settle_query answers a list (docs/PROTOCOLS.md §5.1)
    expectTypeOf<DouyinTradeClient.SettleQueryResult>().toBeArray();

    const refund = {
      order_id: 'motb1',
      out_refund_no: 'r1',
      refund_total_amount: 100,
      refund_reason: [{ code: 101, text: 'x' }],
      order_entry_schema: { path: 'pages/order' },
    } as const;
    // @ts-expect-error refund_create needs item_order_detail or refund_all
    const neither: DouyinTradeClient.RefundCreateRequest = refund;
    // @ts-expect-error …not both
    const both: DouyinTradeClient.RefundCreateRequest = {
      ...refund,
      refund_all: true,
      item_order_detail: [],
    };
    const cpExtra: DouyinTradeClient.SettleCreateRequest = {
      out_order_no: 'o',
      out_settle_no: 's',
      settle_desc: 'd',
      // @ts-expect-error settle_create's pass-through is ext, not cp_extra
      cp_extra: 'x',
    };
    void neither;
    void both;
    void cpExtra;

    // @ts-expect-error shipping needs a provider
    const noProvider: TikTokShopClient.ShipPackageRequest = { self_shipment: { tracking_number: 't' } };
    // @ts-expect-error amounts are numbers (fen), not strings
    const stringAmount: Pick<DouyinEcpayClient.CreateOrderRequest, 'total_amount'> = { total_amount: '100' };
    void noProvider;
    void stringAmount;
  });

  it('a TikTok-shipped package may name no handover method (optional, docs/PROTOCOLS.md §3.3)', () => {
    const empty: TikTokShopClient.ShipPackageRequest = {};
    // @ts-expect-error only PICKUP or DROP_OFF
    const wrong: TikTokShopClient.ShipPackageRequest = { handover_method: 'COURIER' };
    void empty;
    void wrong;
  });

  it('token grants carry expiry timestamps; cancellation statuses are the documented ones, open-ended', () => {
    expectTypeOf<TikTokShopClient.Token['access_token_expire_in']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<'CANCELLATION_REQUEST_PENDING'>().toExtend<TikTokShopClient.CancelStatus>();
  });
});
