/**
 * Names `@ttpay/client` 0.1 exported that 0.2 no longer does, kept for one release so that code written
 * against 0.1 still compiles (with a strikethrough and the replacement in the editor). Each goes in the
 * next minor release; the changeset `.changeset/a-deliberate-api.md` lists them all.
 */
import type { TtpayLogger as TtpayLoggerNow } from '@ttpay/core';
import type { AlgoVoiClient } from './algovoi/algovoi-client.js';
import { ALGOVOI_PAID_STATUSES as algoVoiPaidStatuses } from './algovoi/types.js';
import type { TtpayApiError } from './api-error.js';
import type { RequestSummary as RequestSummaryNow, TtpayClientError } from './client-error.js';
import type { DouyinEcpayClient } from './ecpay/ecpay-client.js';
import type { HttpOptions as HttpOptionsNow } from './http/options.js';
import type { Transport as TransportNow } from './http/transport.js';
import type { JsonFields as JsonFieldsNow, JsonValue as JsonValueNow } from './json-value.js';
import type { TikTokShopClient } from './tiktok/tiktok-shop-client.js';
import type { DouyinTradeClient } from './trade/trade-client.js';

// Each client's options, requests and answers: types under the client's name now.

// DouyinEcpayClient
/** @deprecated Use `DouyinEcpayClient.Options`. */
export type DouyinEcpayClientOptions = DouyinEcpayClient.Options;
/** @deprecated Use the client's own: `DouyinEcpayClient.CallOptions`, `DouyinTradeClient.CallOptions`, … */
export type CallOptions = DouyinEcpayClient.CallOptions;
/** @deprecated Use `DouyinEcpayClient.SettleCallOptions` or `DouyinTradeClient.SettleCallOptions`. */
export type SettleCallOptions = DouyinEcpayClient.SettleCallOptions;
/** @deprecated Use `DouyinEcpayClient.CreateOrderRequest`. */
export type EcpayCreateOrderRequest = DouyinEcpayClient.CreateOrderRequest;
/** @deprecated Use `DouyinEcpayClient.LimitPayWay`. */
export type EcpayLimitPayWay = DouyinEcpayClient.LimitPayWay;
/** @deprecated Use `DouyinEcpayClient.CreateOrderResult`. */
export type EcpayCreateOrderResult = DouyinEcpayClient.CreateOrderResult;
/** @deprecated Use `DouyinEcpayClient.QueryOrderRequest`. */
export type EcpayQueryOrderRequest = DouyinEcpayClient.QueryOrderRequest;
/** @deprecated Use `DouyinEcpayClient.QueryOrderResult`. */
export type EcpayQueryOrderResult = DouyinEcpayClient.QueryOrderResult;
/** @deprecated Use `DouyinEcpayClient.PaymentInfo`. */
export type EcpayPaymentInfo = DouyinEcpayClient.PaymentInfo;
/** @deprecated Use `DouyinEcpayClient.CpsInfo`. */
export type EcpayCpsInfo = DouyinEcpayClient.CpsInfo;
/** @deprecated Use `DouyinEcpayClient.CreateRefundRequest`. */
export type EcpayCreateRefundRequest = DouyinEcpayClient.CreateRefundRequest;
/** @deprecated Use `DouyinEcpayClient.CreateRefundResult`. */
export type EcpayCreateRefundResult = DouyinEcpayClient.CreateRefundResult;
/** @deprecated Use `DouyinEcpayClient.QueryRefundRequest`. */
export type EcpayQueryRefundRequest = DouyinEcpayClient.QueryRefundRequest;
/** @deprecated Use `DouyinEcpayClient.QueryRefundResult`. */
export type EcpayQueryRefundResult = DouyinEcpayClient.QueryRefundResult;
/** @deprecated Use `DouyinEcpayClient.RefundInfo`. */
export type EcpayRefundInfo = DouyinEcpayClient.RefundInfo;
/** @deprecated Use `DouyinEcpayClient.SettleRequest`. */
export type EcpaySettleRequest = DouyinEcpayClient.SettleRequest;
/** @deprecated Use `DouyinEcpayClient.SettleParam`. */
export type EcpaySettleParam = DouyinEcpayClient.SettleParam;
/** @deprecated Use `DouyinEcpayClient.SettleResult`. */
export type EcpaySettleResult = DouyinEcpayClient.SettleResult;
/** @deprecated Use `DouyinEcpayClient.QuerySettleRequest`. */
export type EcpayQuerySettleRequest = DouyinEcpayClient.QuerySettleRequest;
/** @deprecated Use `DouyinEcpayClient.Endpoint`. */
export type EcpayEndpoint = DouyinEcpayClient.Endpoint;
/** @deprecated Use `DouyinEcpayClient.Fields`. */
export type EcpayFields = DouyinEcpayClient.Fields;
/** @deprecated Use `DouyinEcpayClient.Result`. */
export type EcpayResult = DouyinEcpayClient.Result;

// DouyinTradeClient
/** @deprecated Use `DouyinTradeClient.Options`. */
export type DouyinTradeClientOptions = DouyinTradeClient.Options;
/** @deprecated Use `DouyinTradeClient.OrderData`. */
export type TradeOrderData = DouyinTradeClient.OrderData;
/** @deprecated Use `DouyinTradeClient.Sku`. */
export type TradeSku = DouyinTradeClient.Sku;
/** @deprecated Use `DouyinTradeClient.RequestOrderOptions`. */
export type RequestOrderOptions = DouyinTradeClient.RequestOrderOptions;
/** @deprecated Use `DouyinTradeClient.RequestOrderParams`. */
export type RequestOrderParams = DouyinTradeClient.RequestOrderParams;
/** @deprecated Use `DouyinTradeClient.OrderQueryRequest`. */
export type TradeOrderQueryRequest = DouyinTradeClient.OrderQueryRequest;
/** @deprecated Use `DouyinTradeClient.OrderQueryResult`. */
export type TradeOrderQueryResult = DouyinTradeClient.OrderQueryResult;
/** @deprecated Use `DouyinTradeClient.ItemOrder`. */
export type TradeItemOrder = DouyinTradeClient.ItemOrder;
/** @deprecated Use `DouyinTradeClient.RefundCreateRequest`. */
export type TradeRefundCreateRequest = DouyinTradeClient.RefundCreateRequest;
/** @deprecated Use `DouyinTradeClient.RefundReason`. */
export type TradeRefundReason = DouyinTradeClient.RefundReason;
/** @deprecated Use `DouyinTradeClient.EntrySchema`. */
export type TradeEntrySchema = DouyinTradeClient.EntrySchema;
/** @deprecated Use `DouyinTradeClient.RefundCreateResult`. */
export type TradeRefundCreateResult = DouyinTradeClient.RefundCreateResult;
/** @deprecated Use `DouyinTradeClient.RefundQueryRequest`. */
export type TradeRefundQueryRequest = DouyinTradeClient.RefundQueryRequest;
/** @deprecated Use `DouyinTradeClient.RefundQueryResult`. */
export type TradeRefundQueryResult = DouyinTradeClient.RefundQueryResult;
/** @deprecated Use `DouyinTradeClient.Refund`. */
export type TradeRefund = DouyinTradeClient.Refund;
/** @deprecated Use `DouyinTradeClient.RefundAuditRequest`. */
export type TradeRefundAuditRequest = DouyinTradeClient.RefundAuditRequest;
/** @deprecated Use `DouyinTradeClient.QueryCpsRequest`. */
export type TradeQueryCpsRequest = DouyinTradeClient.QueryCpsRequest;
/** @deprecated Use `DouyinTradeClient.QueryCpsResult`. */
export type TradeQueryCpsResult = DouyinTradeClient.QueryCpsResult;
/** @deprecated Use `DouyinTradeClient.CpsItem`. */
export type TradeCpsItem = DouyinTradeClient.CpsItem;
/** @deprecated Use `DouyinTradeClient.SettleCreateRequest`. */
export type TradeSettleCreateRequest = DouyinTradeClient.SettleCreateRequest;
/** @deprecated Use `DouyinTradeClient.SettleParam`. */
export type TradeSettleParam = DouyinTradeClient.SettleParam;
/** @deprecated Use `DouyinTradeClient.SettleCreateResult`. */
export type TradeSettleCreateResult = DouyinTradeClient.SettleCreateResult;
/** @deprecated Use `DouyinTradeClient.SettleQueryRequest`. */
export type TradeSettleQueryRequest = DouyinTradeClient.SettleQueryRequest;
/** @deprecated Use `DouyinTradeClient.SettleQueryResult`. */
export type TradeSettleQueryResult = DouyinTradeClient.SettleQueryResult;
/** @deprecated Use `DouyinTradeClient.Settlement`. */
export type TradeSettlement = DouyinTradeClient.Settlement;
/** @deprecated Use `DouyinTradeClient.Api`. */
export type TradeApi = DouyinTradeClient.Api;
/** @deprecated Use `DouyinTradeClient.Fields`. */
export type TradeFields = DouyinTradeClient.Fields;

// TikTokShopClient
/** @deprecated Use `TikTokShopClient.Options`. */
export type TikTokShopClientOptions = TikTokShopClient.Options;
/** @deprecated Use `TikTokShopClient.CallOptions`. */
export type TikTokCallOptions = TikTokShopClient.CallOptions;
/** @deprecated Use `TikTokShopClient.DecisionOptions`. */
export type TikTokDecisionOptions = TikTokShopClient.DecisionOptions;
/** @deprecated Use `TikTokShopClient.Token`. */
export type TikTokToken = TikTokShopClient.Token;
/** @deprecated Use `TikTokShopClient.Order`. */
export type TikTokOrder = TikTokShopClient.Order;
/** @deprecated Use `TikTokShopClient.OrderStatus`. */
export type TikTokOrderStatus = TikTokShopClient.OrderStatus;
/** @deprecated Use `TikTokShopClient.GetOrdersResult`. */
export type TikTokGetOrdersResult = TikTokShopClient.GetOrdersResult;
/** @deprecated Use `TikTokShopClient.SearchOrdersRequest`. */
export type TikTokSearchOrdersRequest = TikTokShopClient.SearchOrdersRequest;
/** @deprecated Use `TikTokShopClient.Page`. */
export type TikTokPage = TikTokShopClient.Page;
/** @deprecated Use `TikTokShopClient.SearchOrdersResult`. */
export type TikTokSearchOrdersResult = TikTokShopClient.SearchOrdersResult;
/** @deprecated Use `TikTokShopClient.AuthorizedShop`. */
export type TikTokAuthorizedShop = TikTokShopClient.AuthorizedShop;
/** @deprecated Use `TikTokShopClient.AuthorizedShopsResult`. */
export type TikTokAuthorizedShopsResult = TikTokShopClient.AuthorizedShopsResult;
/** @deprecated Use `TikTokShopClient.SearchCancellationsRequest`. */
export type TikTokSearchCancellationsRequest = TikTokShopClient.SearchCancellationsRequest;
/** @deprecated Use `TikTokShopClient.SearchCancellationsResult`. */
export type TikTokSearchCancellationsResult = TikTokShopClient.SearchCancellationsResult;
/** @deprecated Use `TikTokShopClient.Cancellation`. */
export type TikTokCancellation = TikTokShopClient.Cancellation;
/** @deprecated Use `TikTokShopClient.CancelStatus`. */
export type TikTokCancelStatus = TikTokShopClient.CancelStatus;
/** @deprecated Use `TikTokShopClient.RejectCancellationRequest`. */
export type TikTokRejectCancellationRequest = TikTokShopClient.RejectCancellationRequest;
/** @deprecated Use `TikTokShopClient.ShipPackageRequest`. */
export type TikTokShipPackageRequest = TikTokShopClient.ShipPackageRequest;
/** @deprecated Use `TikTokShopClient.ShippingProvidersResult`. */
export type TikTokShippingProvidersResult = TikTokShopClient.ShippingProvidersResult;
/** @deprecated Use `TikTokShopClient.MarkPackageAsShippedRequest`. */
export type TikTokMarkPackageAsShippedRequest = TikTokShopClient.MarkPackageAsShippedRequest;
/** @deprecated Use `TikTokShopClient.MarkPackageAsShippedResult`. */
export type TikTokMarkPackageAsShippedResult = TikTokShopClient.MarkPackageAsShippedResult;
/** @deprecated Use `TikTokShopClient.UpdateShippingInfoRequest`. */
export type TikTokUpdateShippingInfoRequest = TikTokShopClient.UpdateShippingInfoRequest;
/** @deprecated Use `TikTokShopClient.ApiRequest`. */
export type TikTokApiRequest = TikTokShopClient.ApiRequest;
/** @deprecated Use `TikTokShopClient.Result`. */
export type TikTokResult = TikTokShopClient.Result;

// AlgoVoiClient
/** @deprecated Use `AlgoVoiClient.Options`. */
export type AlgoVoiClientOptions = AlgoVoiClient.Options;
/** @deprecated Use `AlgoVoiClient.CreatePaymentLinkRequest`. */
export type CreatePaymentLinkRequest = AlgoVoiClient.CreatePaymentLinkRequest;
/** @deprecated Use `AlgoVoiClient.Network`. */
export type AlgoVoiNetwork = AlgoVoiClient.Network;
/** @deprecated Use `AlgoVoiClient.PaymentLink`. */
export type PaymentLink = AlgoVoiClient.PaymentLink;
/** @deprecated Use `AlgoVoiClient.PaymentVerification`. */
export type PaymentVerification = AlgoVoiClient.PaymentVerification;

// Shared pieces, reached through the clients.

/** @deprecated The options every client takes: use the client's own (`DouyinTradeClient.Options`, …). */
export type HttpOptions = HttpOptionsNow;
/** @deprecated Import it from `@ttpay/client/testing` (the only transport besides the platforms' is for tests). */
export type Transport = TransportNow;
/** @deprecated Use `DouyinTradeClient.Fields` (or the client's own `Fields`). */
export type JsonFields = JsonFieldsNow;
/** @deprecated Use `DouyinTradeClient.Fields[string]`. */
export type JsonValue = JsonValueNow;
/** @deprecated Use `TtpayClientError['platform']`. */
export type ClientPlatform = NonNullable<TtpayClientError['platform']>;
/** @deprecated The request an error describes is on the error: `error.platform`, `.method`, `.host`, `.path`. */
export type RequestSummary = RequestSummaryNow;
/** @deprecated Only the clients construct it: read the error's fields (`platformCode`, `requestId`, …). */
export type TtpayApiErrorDetails = ConstructorParameters<typeof TtpayApiError>[0];
/** @deprecated `AlgoVoiClient.verifyPayment` answers `paid`; the statuses it counts are docs/PROTOCOLS.md §4's. */
export const ALGOVOI_PAID_STATUSES = algoVoiPaidStatuses;
/** @deprecated Import it from `@ttpay/core`. */
export type TtpayLogger = TtpayLoggerNow;
