import type { Transport as TestingTransport } from '@ttpay/client/testing';
import type { TtpayLogger as CoreTtpayLogger } from '@ttpay/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  AlgoVoiClient,
  DouyinEcpayClient,
  DouyinTradeClient,
  TikTokShopClient,
  TtpayApiError,
  TtpayClientError,
} from '../src/index.js';
import * as client from '../src/index.js';

/**
 * What @ttpay/client 0.1 exported by name and 0.2 gives under each client's name (`DouyinTradeClient.
 * OrderQueryResult`) stays importable for one release (`src/deprecated.ts`), as the very same types.
 */
describe('@ttpay/client 0.1 names, deprecated for one release', () => {
  it('DouyinEcpayClient: each request, answer and option type is `DouyinEcpayClient.<Name>`', () => {
    expectTypeOf<client.DouyinEcpayClientOptions>().toEqualTypeOf<DouyinEcpayClient.Options>();
    expectTypeOf<client.CallOptions>().toEqualTypeOf<DouyinEcpayClient.CallOptions>();
    expectTypeOf<client.SettleCallOptions>().toEqualTypeOf<DouyinEcpayClient.SettleCallOptions>();
    expectTypeOf<client.EcpayCreateOrderRequest>().toEqualTypeOf<DouyinEcpayClient.CreateOrderRequest>();
    expectTypeOf<client.EcpayLimitPayWay>().toEqualTypeOf<DouyinEcpayClient.LimitPayWay>();
    expectTypeOf<client.EcpayCreateOrderResult>().toEqualTypeOf<DouyinEcpayClient.CreateOrderResult>();
    expectTypeOf<client.EcpayQueryOrderRequest>().toEqualTypeOf<DouyinEcpayClient.QueryOrderRequest>();
    expectTypeOf<client.EcpayQueryOrderResult>().toEqualTypeOf<DouyinEcpayClient.QueryOrderResult>();
    expectTypeOf<client.EcpayPaymentInfo>().toEqualTypeOf<DouyinEcpayClient.PaymentInfo>();
    expectTypeOf<client.EcpayCpsInfo>().toEqualTypeOf<DouyinEcpayClient.CpsInfo>();
    expectTypeOf<client.EcpayCreateRefundRequest>().toEqualTypeOf<DouyinEcpayClient.CreateRefundRequest>();
    expectTypeOf<client.EcpayCreateRefundResult>().toEqualTypeOf<DouyinEcpayClient.CreateRefundResult>();
    expectTypeOf<client.EcpayQueryRefundRequest>().toEqualTypeOf<DouyinEcpayClient.QueryRefundRequest>();
    expectTypeOf<client.EcpayQueryRefundResult>().toEqualTypeOf<DouyinEcpayClient.QueryRefundResult>();
    expectTypeOf<client.EcpayRefundInfo>().toEqualTypeOf<DouyinEcpayClient.RefundInfo>();
    expectTypeOf<client.EcpaySettleRequest>().toEqualTypeOf<DouyinEcpayClient.SettleRequest>();
    expectTypeOf<client.EcpaySettleParam>().toEqualTypeOf<DouyinEcpayClient.SettleParam>();
    expectTypeOf<client.EcpaySettleResult>().toEqualTypeOf<DouyinEcpayClient.SettleResult>();
    expectTypeOf<client.EcpayQuerySettleRequest>().toEqualTypeOf<DouyinEcpayClient.QuerySettleRequest>();
    expectTypeOf<client.EcpayEndpoint>().toEqualTypeOf<DouyinEcpayClient.Endpoint>();
    expectTypeOf<client.EcpayFields>().toEqualTypeOf<DouyinEcpayClient.Fields>();
    expectTypeOf<client.EcpayResult>().toEqualTypeOf<DouyinEcpayClient.Result>();
  });
  it('DouyinTradeClient: each request, answer and option type is `DouyinTradeClient.<Name>`', () => {
    expectTypeOf<client.DouyinTradeClientOptions>().toEqualTypeOf<DouyinTradeClient.Options>();
    expectTypeOf<client.TradeOrderData>().toEqualTypeOf<DouyinTradeClient.OrderData>();
    expectTypeOf<client.TradeSku>().toEqualTypeOf<DouyinTradeClient.Sku>();
    expectTypeOf<client.RequestOrderOptions>().toEqualTypeOf<DouyinTradeClient.RequestOrderOptions>();
    expectTypeOf<client.RequestOrderParams>().toEqualTypeOf<DouyinTradeClient.RequestOrderParams>();
    expectTypeOf<client.TradeOrderQueryRequest>().toEqualTypeOf<DouyinTradeClient.OrderQueryRequest>();
    expectTypeOf<client.TradeOrderQueryResult>().toEqualTypeOf<DouyinTradeClient.OrderQueryResult>();
    expectTypeOf<client.TradeItemOrder>().toEqualTypeOf<DouyinTradeClient.ItemOrder>();
    expectTypeOf<client.TradeRefundCreateRequest>().toEqualTypeOf<DouyinTradeClient.RefundCreateRequest>();
    expectTypeOf<client.TradeRefundReason>().toEqualTypeOf<DouyinTradeClient.RefundReason>();
    expectTypeOf<client.TradeEntrySchema>().toEqualTypeOf<DouyinTradeClient.EntrySchema>();
    expectTypeOf<client.TradeRefundCreateResult>().toEqualTypeOf<DouyinTradeClient.RefundCreateResult>();
    expectTypeOf<client.TradeRefundQueryRequest>().toEqualTypeOf<DouyinTradeClient.RefundQueryRequest>();
    expectTypeOf<client.TradeRefundQueryResult>().toEqualTypeOf<DouyinTradeClient.RefundQueryResult>();
    expectTypeOf<client.TradeRefund>().toEqualTypeOf<DouyinTradeClient.Refund>();
    expectTypeOf<client.TradeRefundAuditRequest>().toEqualTypeOf<DouyinTradeClient.RefundAuditRequest>();
    expectTypeOf<client.TradeQueryCpsRequest>().toEqualTypeOf<DouyinTradeClient.QueryCpsRequest>();
    expectTypeOf<client.TradeQueryCpsResult>().toEqualTypeOf<DouyinTradeClient.QueryCpsResult>();
    expectTypeOf<client.TradeCpsItem>().toEqualTypeOf<DouyinTradeClient.CpsItem>();
    expectTypeOf<client.TradeSettleCreateRequest>().toEqualTypeOf<DouyinTradeClient.SettleCreateRequest>();
    expectTypeOf<client.TradeSettleParam>().toEqualTypeOf<DouyinTradeClient.SettleParam>();
    expectTypeOf<client.TradeSettleCreateResult>().toEqualTypeOf<DouyinTradeClient.SettleCreateResult>();
    expectTypeOf<client.TradeSettleQueryRequest>().toEqualTypeOf<DouyinTradeClient.SettleQueryRequest>();
    expectTypeOf<client.TradeSettleQueryResult>().toEqualTypeOf<DouyinTradeClient.SettleQueryResult>();
    expectTypeOf<client.TradeSettlement>().toEqualTypeOf<DouyinTradeClient.Settlement>();
    expectTypeOf<client.TradeApi>().toEqualTypeOf<DouyinTradeClient.Api>();
    expectTypeOf<client.TradeFields>().toEqualTypeOf<DouyinTradeClient.Fields>();
  });
  it('TikTokShopClient: each request, answer and option type is `TikTokShopClient.<Name>`', () => {
    expectTypeOf<client.TikTokShopClientOptions>().toEqualTypeOf<TikTokShopClient.Options>();
    expectTypeOf<client.TikTokCallOptions>().toEqualTypeOf<TikTokShopClient.CallOptions>();
    expectTypeOf<client.TikTokDecisionOptions>().toEqualTypeOf<TikTokShopClient.DecisionOptions>();
    expectTypeOf<client.TikTokToken>().toEqualTypeOf<TikTokShopClient.Token>();
    expectTypeOf<client.TikTokOrder>().toEqualTypeOf<TikTokShopClient.Order>();
    expectTypeOf<client.TikTokOrderStatus>().toEqualTypeOf<TikTokShopClient.OrderStatus>();
    expectTypeOf<client.TikTokGetOrdersResult>().toEqualTypeOf<TikTokShopClient.GetOrdersResult>();
    expectTypeOf<client.TikTokSearchOrdersRequest>().toEqualTypeOf<TikTokShopClient.SearchOrdersRequest>();
    expectTypeOf<client.TikTokPage>().toEqualTypeOf<TikTokShopClient.Page>();
    expectTypeOf<client.TikTokSearchOrdersResult>().toEqualTypeOf<TikTokShopClient.SearchOrdersResult>();
    expectTypeOf<client.TikTokAuthorizedShop>().toEqualTypeOf<TikTokShopClient.AuthorizedShop>();
    expectTypeOf<client.TikTokAuthorizedShopsResult>().toEqualTypeOf<TikTokShopClient.AuthorizedShopsResult>();
    expectTypeOf<client.TikTokSearchCancellationsRequest>().toEqualTypeOf<TikTokShopClient.SearchCancellationsRequest>();
    expectTypeOf<client.TikTokSearchCancellationsResult>().toEqualTypeOf<TikTokShopClient.SearchCancellationsResult>();
    expectTypeOf<client.TikTokCancellation>().toEqualTypeOf<TikTokShopClient.Cancellation>();
    expectTypeOf<client.TikTokCancelStatus>().toEqualTypeOf<TikTokShopClient.CancelStatus>();
    expectTypeOf<client.TikTokRejectCancellationRequest>().toEqualTypeOf<TikTokShopClient.RejectCancellationRequest>();
    expectTypeOf<client.TikTokShipPackageRequest>().toEqualTypeOf<TikTokShopClient.ShipPackageRequest>();
    expectTypeOf<client.TikTokShippingProvidersResult>().toEqualTypeOf<TikTokShopClient.ShippingProvidersResult>();
    expectTypeOf<client.TikTokMarkPackageAsShippedRequest>().toEqualTypeOf<TikTokShopClient.MarkPackageAsShippedRequest>();
    expectTypeOf<client.TikTokMarkPackageAsShippedResult>().toEqualTypeOf<TikTokShopClient.MarkPackageAsShippedResult>();
    expectTypeOf<client.TikTokUpdateShippingInfoRequest>().toEqualTypeOf<TikTokShopClient.UpdateShippingInfoRequest>();
    expectTypeOf<client.TikTokApiRequest>().toEqualTypeOf<TikTokShopClient.ApiRequest>();
    expectTypeOf<client.TikTokResult>().toEqualTypeOf<TikTokShopClient.Result>();
  });
  it('AlgoVoiClient: each request, answer and option type is `AlgoVoiClient.<Name>`', () => {
    expectTypeOf<client.AlgoVoiClientOptions>().toEqualTypeOf<AlgoVoiClient.Options>();
    expectTypeOf<client.CreatePaymentLinkRequest>().toEqualTypeOf<AlgoVoiClient.CreatePaymentLinkRequest>();
    expectTypeOf<client.AlgoVoiNetwork>().toEqualTypeOf<AlgoVoiClient.Network>();
    expectTypeOf<client.PaymentLink>().toEqualTypeOf<AlgoVoiClient.PaymentLink>();
    expectTypeOf<client.PaymentVerification>().toEqualTypeOf<AlgoVoiClient.PaymentVerification>();
  });

  it('shared pieces: the same as what the clients and errors reach', () => {
    expectTypeOf<client.HttpOptions>().toEqualTypeOf<
      Pick<DouyinTradeClient.Options, 'timeoutMs' | 'retry' | 'logger' | 'transport'>
    >();
    expectTypeOf<client.Transport>().toEqualTypeOf<TestingTransport>();
    expectTypeOf<client.JsonFields>().toEqualTypeOf<DouyinTradeClient.Fields>();
    expectTypeOf<client.JsonValue>().toEqualTypeOf<Exclude<DouyinTradeClient.Fields[string], undefined>>();
    expectTypeOf<client.ClientPlatform>().toEqualTypeOf<NonNullable<TtpayClientError['platform']>>();
    expectTypeOf<client.RequestSummary['host']>().toEqualTypeOf<string>();
    expectTypeOf<client.TtpayApiErrorDetails>().toEqualTypeOf<
      ConstructorParameters<typeof TtpayApiError>[0]
    >();
    expectTypeOf<client.TtpayLogger>().toEqualTypeOf<CoreTtpayLogger>();
    expect(client.ALGOVOI_PAID_STATUSES).toEqual(['paid', 'completed', 'confirmed']);
  });
});
