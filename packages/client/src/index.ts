/**
 * `@ttpay/client`: one client per platform API. Each client's options, requests and answers are types
 * under the client's name — `DouyinTradeClient.OrderQueryResult`, `TikTokShopClient.Order` — so that an
 * import of the client brings them all.
 */
export { AlgoVoiClient } from './algovoi/algovoi-client.js';
export { ALGOVOI_NETWORKS } from './algovoi/types.js';
export { isTtpayApiError, TtpayApiError } from './api-error.js';
export { isTtpayClientError, TtpayClientError, type TtpayClientErrorCode } from './client-error.js';
export * from './deprecated.js';
export { DouyinEcpayClient } from './ecpay/ecpay-client.js';
export {
  ECPAY_ORIGINS,
  TIKTOK_API_ORIGINS,
  TIKTOK_AUTH_ORIGINS,
  TRADE_ORIGINS,
} from './http/allow-list.js';
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
export { ecpayCpsCommission, settleableAmount } from './settle/settleable-amount.js';
export { isTikTokOrderCancelled } from './tiktok/order-status.js';
export { TikTokShopClient } from './tiktok/tiktok-shop-client.js';
export { DouyinTradeClient } from './trade/trade-client.js';
