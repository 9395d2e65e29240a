export type { TtpayLogger } from '@ttpay/core';
export { AlgoVoiClient, type AlgoVoiClientOptions } from './algovoi/algovoi-client.js';
export * from './algovoi/types.js';
export { isTtpayApiError, TtpayApiError, type TtpayApiErrorDetails } from './api-error.js';
export {
  type ClientPlatform,
  isTtpayClientError,
  type RequestSummary,
  TtpayClientError,
  type TtpayClientErrorCode,
} from './client-error.js';
export { DouyinEcpayClient, type DouyinEcpayClientOptions } from './ecpay/ecpay-client.js';
export type * from './ecpay/types.js';
export {
  ECPAY_ORIGINS,
  TIKTOK_API_ORIGINS,
  TIKTOK_AUTH_ORIGINS,
  TRADE_ORIGINS,
} from './http/allow-list.js';
export type { CallOptions, HttpOptions } from './http/options.js';
export type { Transport } from './http/transport.js';
export type { JsonFields, JsonValue } from './json-value.js';
export { ecpayPaymentEventFromQuery, tradePaymentEventFromQuery } from './reconcile/payment-from-query.js';
export {
  type ReconcileCursor,
  type ReconcileDouyinOptions,
  type ReconcileDouyinRun,
  reconcileDouyin,
} from './reconcile/reconcile-douyin.js';
export type { OpenPayment, PaymentFinding } from './reconcile/reconcile-payment.js';
export {
  type ReconcilePaymentsOptions,
  type ReconcileRun,
  reconcilePayments,
} from './reconcile/reconcile-payments.js';
export type { OpenRefund, RefundFinding } from './reconcile/reconcile-refund.js';
export type { OpenSettlement, SettlementFinding } from './reconcile/reconcile-settlement.js';
export type { ReconcileContext } from './reconcile/reconcile-shared.js';
export {
  ecpayCpsCommission,
  type SettleCallOptions,
  settleableAmount,
} from './settle/settleable-amount.js';
export { isTikTokOrderCancelled } from './tiktok/order-status.js';
export {
  type TikTokApiRequest,
  TikTokShopClient,
  type TikTokShopClientOptions,
} from './tiktok/tiktok-shop-client.js';
export type * from './tiktok/types.js';
export {
  DouyinTradeClient,
  type DouyinTradeClientOptions,
  type RequestOrderOptions,
} from './trade/trade-client.js';
export type * from './trade/types.js';
