// API report of @ttpay/client: the public surface of every entry point, generated from the built
// .d.ts by `pnpm api-report` (scripts/api-report.ts). Do not edit; a change here is a change users see.

// @ttpay/client (97 exports)

export declare const ALGOVOI_NETWORKS: readonly [
    "algorand_mainnet",
    "voi_mainnet",
    "hedera_mainnet",
    "stellar_mainnet"
];

export declare const ALGOVOI_PAID_STATUSES: readonly [
    "paid",
    "completed",
    "confirmed"
];

export declare class AlgoVoiClient {
    #private;
    constructor(options: AlgoVoiClientOptions);
    createPaymentLink(r: CreatePaymentLinkRequest, call?: CallOptions): Promise<PaymentLink>;
    verifyPayment(token: string, call?: CallOptions): Promise<PaymentVerification>;
}

export interface AlgoVoiClientOptions extends HttpOptions {
    apiBase: string;
    apiKey: string;
    tenantId: string;
    currencies?: readonly string[];
}

export type AlgoVoiNetwork = (typeof ALGOVOI_NETWORKS)[number];

export interface CallOptions {
    signal?: AbortSignal;
    timeoutMs?: number;
}

export type ClientPlatform = 'douyin-ecpay' | 'douyin-trade' | 'tiktok' | 'algovoi';

export interface CreatePaymentLinkRequest {
    amount: number | string;
    currency: string;
    label: string;
    preferred_network: AlgoVoiNetwork;
    redirect_url?: string;
    expires_in_seconds?: number;
}

export declare class DouyinEcpayClient {
    #private;
    constructor(options: DouyinEcpayClientOptions);
    createOrder(r: EcpayCreateOrderRequest, call?: CallOptions): Promise<EcpayCreateOrderResult>;
    queryOrder(r: EcpayQueryOrderRequest, call?: CallOptions): Promise<EcpayQueryOrderResult>;
    createRefund(r: EcpayCreateRefundRequest, call?: CallOptions): Promise<EcpayCreateRefundResult>;
    queryRefund(r: EcpayQueryRefundRequest, call?: CallOptions): Promise<EcpayQueryRefundResult>;
    settle(r: EcpaySettleRequest, call?: CallOptions): Promise<EcpaySettleResult>;
    querySettle(r: EcpayQuerySettleRequest, call?: CallOptions): Promise<EcpayResult>;
    unsettleAmount(fields: EcpayFields, call?: CallOptions): Promise<EcpayResult>;
    createReturn(fields: EcpayFields, call?: CallOptions): Promise<EcpayResult>;
    queryReturn(fields: EcpayFields, call?: CallOptions): Promise<EcpayResult>;
    queryPlatformOrder(fields: EcpayFields, call?: CallOptions): Promise<EcpayResult>;
    request(endpoint: EcpayEndpoint, fields: EcpayFields, call?: CallOptions): Promise<EcpayResult>;
}

export interface DouyinEcpayClientOptions extends HttpOptions {
    appId: string;
    salt: string;
    baseUrl?: string;
    thirdpartyId?: string;
}

export declare class DouyinTradeClient {
    #private;
    constructor(options: DouyinTradeClientOptions);
    requestOrderData(order: TradeOrderData, options?: RequestOrderOptions): RequestOrderParams;
    clientToken(call?: CallOptions): Promise<string>;
    clearClientToken(): void;
    orderQuery(r: TradeOrderQueryRequest, call?: CallOptions): Promise<TradeOrderQueryResult>;
    refundCreate(r: TradeRefundCreateRequest, call?: CallOptions): Promise<TradeRefundCreateResult>;
    refundQuery(r: TradeRefundQueryRequest, call?: CallOptions): Promise<TradeRefundQueryResult>;
    settleCreate(r: TradeSettleCreateRequest, call?: CallOptions): Promise<TradeSettleCreateResult>;
    settleQuery(r: TradeSettleQueryRequest, call?: CallOptions): Promise<TradeSettleQueryResult>;
    request(api: TradeApi, body: TradeFields, call?: CallOptions): Promise<unknown>;
}

export interface DouyinTradeClientOptions extends HttpOptions {
    appId: string;
    appSecret: string;
    privateKey: KeyLike;
    keyVersion: string | number;
    baseUrl?: string;
    tokenRefreshMarginSeconds?: number;
    now?: () => number;
}

export declare const ECPAY_ORIGINS: readonly [
    "https://developer.toutiao.com",
    "https://open-sandbox.douyin.com"
];

export interface EcpayCreateOrderRequest {
    out_order_no: string;
    total_amount: number;
    subject: string;
    body: string;
    valid_time: number;
    cp_extra?: string;
    notify_url?: string;
    store_uid?: string;
    disable_msg?: 0 | 1;
    msg_page?: string;
    expand_order_info?: {
        original_delivery_fee?: number;
        actual_delivery_fee?: number;
    };
    limit_pay_way?: string | readonly EcpayLimitPayWay[];
}

export interface EcpayCreateOrderResult extends EcpayResult {
    order_id: string;
    order_token: string;
}

export interface EcpayCreateRefundRequest {
    out_order_no: string;
    out_refund_no: string;
    reason: string;
    refund_amount: number;
    cp_extra?: string;
    notify_url?: string;
    disable_msg?: 0 | 1;
    msg_page?: string;
    all_settle?: 0 | 1;
}

export interface EcpayCreateRefundResult extends EcpayResult {
    refund_no: string;
}

export type EcpayEndpoint = 'create_order' | 'query_order' | 'create_refund' | 'query_refund' | 'settle' | 'query_settle' | 'unsettle_amount' | 'create_return' | 'query_return' | 'query_platform_order';

export type EcpayFields = JsonFields;

export type EcpayLimitPayWay = 'LIMIT_WX' | 'LIMIT_ALI' | 'LIMIT_DYZF';

export interface EcpayPaymentInfo {
    total_fee: number;
    order_status: 'SUCCESS' | 'TIMEOUT' | 'PROCESSING' | 'FAIL' | (string & {});
    pay_time?: string;
    way?: '1' | '2' | '10' | (string & {});
    channel_no?: string;
    seller_uid?: string;
    item_id?: string;
    cp_extra?: string;
    [field: string]: unknown;
}

export interface EcpayQueryOrderRequest {
    out_order_no: string;
}

export interface EcpayQueryOrderResult extends EcpayResult {
    out_order_no?: string;
    order_id?: string;
    payment_info: EcpayPaymentInfo;
}

export interface EcpayQueryRefundRequest {
    out_refund_no: string;
}

export interface EcpayQueryRefundResult extends EcpayResult {
    refundInfo: EcpayRefundInfo;
}

export interface EcpayQuerySettleRequest {
    out_settle_no: string;
}

export interface EcpayRefundInfo {
    refund_no: string;
    refund_amount: number;
    refund_status: 'SUCCESS' | 'FAIL' | 'PROCESSING' | (string & {});
    refunded_at?: number;
    is_all_settled?: boolean;
    cp_extra?: string;
    [field: string]: unknown;
}

export type EcpayResult = Record<string, unknown>;

export interface EcpaySettleParam {
    merchant_uid: string;
    amount: number;
}

export interface EcpaySettleRequest {
    out_order_no: string;
    out_settle_no: string;
    settle_desc: string;
    settle_params?: string | readonly EcpaySettleParam[];
    notify_url?: string;
    cp_extra?: string;
}

export interface EcpaySettleResult extends EcpayResult {
    settle_no?: string;
}

export interface HttpOptions {
    timeoutMs?: number;
    retry?: {
        limit?: number;
        baseDelayMs?: number;
        maxDelayMs?: number;
    };
    logger?: TtpayLogger;
    transport?: Transport;
}

export type JsonFields = {
    readonly [field: string]: JsonValue | undefined;
};

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | {
    readonly [key: string]: JsonValue | undefined;
};

export interface PaymentLink {
    checkout_url: string;
    chain: string;
    amount_microunits: number | string;
    token: string;
}

export interface PaymentVerification {
    token: string;
    paid: boolean;
    status: string;
    tx_id?: string;
    checkout: Record<string, unknown>;
}

export interface RequestOrderOptions {
    timestamp?: number;
    nonce?: string;
}

export interface RequestOrderParams {
    data: string;
    byteAuthorization: string;
}

export interface RequestSummary {
    platform: ClientPlatform;
    method: string;
    host: string;
    path: string;
}

export type SettleSkipReason = 'not-an-order-status-change' | 'order-on-hold' | 'order-not-found' | 'status-not-eligible';

export interface SettleTikTokOrderOptions {
    preferred_network: AlgoVoiNetwork;
    eligibleStatuses?: readonly string[];
    label?: (order: TikTokOrder) => string;
    redirect_url?: string;
    expires_in_seconds?: number;
    shop?: TikTokShopCredentials;
    signal?: AbortSignal;
}

export type SettleTikTokOrderResult = {
    outcome: 'link-created';
    order_id: string;
    amount: string;
    currency: string;
    package_ids: string[];
    link: PaymentLink;
} | {
    outcome: 'link-outcome-unknown';
    order_id: string;
    amount: string;
    currency: string;
    package_ids: string[];
    label: string;
} | {
    outcome: 'skipped';
    reason: SettleSkipReason;
    order_id?: string;
    order_status?: string;
};

export interface SettlementClients {
    tiktok: TikTokShopClient;
    algovoi: AlgoVoiClient;
}

export interface ShipPaidTikTokOrderInput {
    token: string;
    order_id: string;
    package_id?: string;
    tx_id?: string;
}

export interface ShipPaidTikTokOrderOptions {
    self_shipment?: {
        shipping_provider_id: string;
        tracking_number: string;
    };
    handover_method?: 'PICKUP' | 'DROP_OFF';
    checkShippingProvider?: boolean;
    shop?: TikTokShopCredentials;
    signal?: AbortSignal;
}

export type ShipPaidTikTokOrderResult = (Paid & {
    outcome: 'shipped';
    package_id: string;
    shipping: 'tiktok';
    handover_method: 'PICKUP' | 'DROP_OFF';
}) | (Paid & {
    outcome: 'shipped';
    package_id: string;
    shipping: 'seller';
    tracking_number: string;
    shipping_provider_id: string;
}) | (Paid & {
    outcome: 'awaiting-seller-shipment';
    package_id: string;
}) | (Paid & {
    outcome: 'order-cancelled';
    order_status: string;
}) | {
    outcome: 'not-paid';
    order_id: string;
    checkout_status: string;
};

export declare const TIKTOK_API_ORIGINS: readonly [
    "https://open-api.tiktokglobalshop.com"
];

export declare const TIKTOK_AUTH_ORIGINS: readonly [
    "https://auth.tiktok-shops.com"
];

export declare const TRADE_ORIGINS: readonly [
    "https://open.douyin.com"
];

export interface TikTokApiRequest {
    method: 'GET' | 'POST';
    path: string;
    query?: Record<string, string | number | undefined>;
    body?: JsonFields;
    idempotent?: boolean;
}

export interface TikTokCallOptions extends CallOptions {
    accessToken?: string;
    shopCipher?: string;
}

export interface TikTokGetOrdersResult {
    orders: TikTokOrder[];
    [field: string]: unknown;
}

export interface TikTokMarkPackageAsShippedRequest {
    tracking_number: string;
    shipping_provider_id: string;
    order_line_item_ids?: string[];
}

export interface TikTokMarkPackageAsShippedResult {
    order_id: string;
    order_line_item_ids?: string[];
    package_id: string;
    warning?: {
        message?: string;
        [field: string]: unknown;
    };
    [field: string]: unknown;
}

export interface TikTokOrder {
    id: string;
    status?: TikTokOrderStatus | (string & {});
    shipping_type?: 'TIKTOK' | 'SELLER' | (string & {});
    delivery_option_id?: string;
    payment: {
        total_amount: string;
        currency: string;
        [field: string]: unknown;
    };
    packages?: {
        id: string;
        [field: string]: unknown;
    }[];
    [field: string]: unknown;
}

export type TikTokOrderStatus = 'UNPAID' | 'ON_HOLD' | 'AWAITING_SHIPMENT' | 'PARTIALLY_SHIPPING' | 'AWAITING_COLLECTION' | 'IN_TRANSIT' | 'DELIVERED' | 'COMPLETED' | 'CANCELLED';

export type TikTokResult = Record<string, unknown>;

export type TikTokShipPackageRequest = {
    self_shipment: {
        tracking_number: string;
        shipping_provider_id: string;
    };
} | {
    handover_method: 'PICKUP' | 'DROP_OFF';
    pickup_slot?: {
        start_time: number;
        end_time: number;
    };
};

export interface TikTokShippingProvidersResult {
    shipping_providers: {
        id: string;
        name: string;
        [field: string]: unknown;
    }[];
    [field: string]: unknown;
}

export declare class TikTokShopClient {
    #private;
    constructor(options: TikTokShopClientOptions);
    getOrders(ids: readonly string[], call?: TikTokCallOptions): Promise<TikTokGetOrdersResult>;
    shipPackage(packageId: string, body: TikTokShipPackageRequest, call?: TikTokCallOptions): Promise<TikTokResult>;
    getShippingProviders(deliveryOptionId: string, call?: TikTokCallOptions): Promise<TikTokShippingProvidersResult>;
    markPackageAsShipped(orderId: string, body: TikTokMarkPackageAsShippedRequest, call?: TikTokCallOptions): Promise<TikTokMarkPackageAsShippedResult>;
    updateShippingInfo(orderId: string, body: TikTokUpdateShippingInfoRequest, call?: TikTokCallOptions): Promise<TikTokResult>;
    request(r: TikTokApiRequest, call?: TikTokCallOptions): Promise<TikTokResult>;
    getAccessToken(authCode: string, call?: CallOptions): Promise<TikTokToken>;
    refreshAccessToken(refreshToken: string, call?: CallOptions): Promise<TikTokToken>;
}

export interface TikTokShopClientOptions extends HttpOptions {
    appKey: string;
    appSecret: string;
    accessToken?: string;
    shopCipher?: string;
    baseUrl?: string;
    authBaseUrl?: string;
    now?: () => number;
}

export interface TikTokShopCredentials {
    accessToken?: string;
    shopCipher?: string;
}

export interface TikTokToken {
    access_token: string;
    access_token_expire_in?: number;
    refresh_token?: string;
    refresh_token_expire_in?: number;
    open_id?: string;
    seller_name?: string;
    seller_base_region?: string;
    [field: string]: unknown;
}

export interface TikTokUpdateShippingInfoRequest {
    tracking_number: string;
    shipping_provider_id: string;
}

export type TradeApi = 'order_query' | 'refund_create' | 'refund_query' | 'settle_create' | 'settle_query';

export interface TradeEntrySchema {
    path: string;
    params?: string;
}

export type TradeFields = JsonFields;

export interface TradeItemOrder {
    item_order_id: string;
    sku_id: string;
    item_order_amount: number;
    [field: string]: unknown;
}

export interface TradeOrderData {
    skuList: TradeSku[];
    outOrderNo: string;
    totalAmount: number;
    payExpireSeconds?: number;
    payNotifyUrl?: string;
    merchantUid?: string;
    orderEntrySchema?: {
        path: string;
        params?: string;
    };
    limitPayWayList?: number[];
}

export type TradeOrderQueryRequest = {
    order_id: string;
    out_order_no?: string;
} | {
    out_order_no: string;
    order_id?: string;
};

export interface TradeOrderQueryResult {
    order_id: string;
    out_order_no: string;
    app_id: string;
    pay_status: 'PROCESS' | 'SUCCESS' | 'FAIL' | 'TIMEOUT' | (string & {});
    total_amount: number;
    discount_amount?: number;
    trade_time?: number;
    pay_time?: number;
    pay_channel?: number;
    channel_pay_id?: string;
    merchant_uid?: string;
    item_order_list: TradeItemOrder[];
    cp_extra?: string;
    [field: string]: unknown;
}

export interface TradeRefund {
    order_id: string;
    out_refund_no: string;
    refund_id: string;
    refund_status: 'PROCESSING' | 'SUCCESS' | 'FAIL' | (string & {});
    refund_total_amount: number;
    item_order_detail?: {
        item_order_id: string;
        refund_amount: number;
    }[];
    create_at?: number;
    refund_at?: number;
    message?: string;
    merchant_audit_detail?: {
        audit_status?: string;
        need_refund_audit?: number;
        refund_audit_deadline?: number;
        deny_message?: string;
    };
    [field: string]: unknown;
}

export type TradeRefundCreateRequest = TradeRefundCreateBase & ({
    item_order_detail: readonly {
        item_order_id: string;
        refund_amount: number;
    }[];
    refund_all?: never;
} | {
    refund_all: true;
    item_order_detail?: never;
});

export interface TradeRefundCreateResult {
    refund_id: string;
    refund_audit_deadline?: number;
    [field: string]: unknown;
}

export type TradeRefundQueryRequest = {
    out_refund_no: string;
    refund_id?: string;
    order_id?: string;
} | {
    refund_id: string;
    out_refund_no?: string;
    order_id?: string;
} | {
    order_id: string;
    out_refund_no?: string;
    refund_id?: string;
};

export interface TradeRefundQueryResult {
    refund_list: TradeRefund[];
    [field: string]: unknown;
}

export interface TradeRefundReason {
    code: number;
    text: string;
}

export interface TradeSettleCreateRequest {
    out_order_no: string;
    out_settle_no: string;
    settle_desc: string;
    settle_params?: string | readonly TradeSettleParam[];
    item_order_id?: string;
    ext?: string;
    notify_url?: string;
}

export interface TradeSettleCreateResult {
    settle_id: string;
    wallet_settle_id?: string;
    [field: string]: unknown;
}

export interface TradeSettleParam {
    merchant_uid: string;
    amount: number;
}

export type TradeSettleQueryRequest = {
    settle_id: string;
    order_id?: string;
    out_settle_no?: string;
    out_order_no?: string;
} | {
    order_id: string;
    settle_id?: string;
    out_settle_no?: string;
    out_order_no?: string;
} | {
    out_settle_no: string;
    settle_id?: string;
    order_id?: string;
    out_order_no?: string;
} | {
    out_order_no: string;
    settle_id?: string;
    order_id?: string;
    out_settle_no?: string;
};

export type TradeSettleQueryResult = TradeSettlement[];

export interface TradeSettlement {
    order_id: string;
    out_order_no: string;
    out_settle_no: string;
    settle_id: string;
    settle_status: 'PROCESSING' | 'SUCCESS' | 'FAIL' | (string & {});
    settle_amount: number;
    rake?: number;
    commission?: number;
    platform_ticket?: number;
    settle_detail?: string;
    settle_at?: number;
    item_order_id?: string;
    cp_extra?: string;
    wallet_settle_id?: string;
    [field: string]: unknown;
}

export interface TradeSku {
    skuId: string;
    price: number;
    quantity: number;
    title: string;
    imageList: string[];
    type: number;
    tagGroupId?: string;
}

export interface Transport {
    readonly kind: 'platform' | 'loopback-test';
}

export declare class TtpayApiError extends TtpayClientError {
    readonly name: string;
    readonly platformCode: number | string;
    readonly platformMessage: string;
    readonly requestId: string | undefined;
    constructor(details: TtpayApiErrorDetails);
    toJSON(): Record<string, unknown>;
}

export interface TtpayApiErrorDetails {
    request: RequestSummary;
    status: number;
    attempts?: number;
    platformCode: number | string;
    platformMessage: string;
    requestId?: string;
}

export declare class TtpayClientError extends CodedError<TtpayClientErrorCode> {
    readonly name: string;
    readonly platform: ClientPlatform | undefined;
    readonly method: string | undefined;
    readonly host: string | undefined;
    readonly path: string | undefined;
    readonly status: number | undefined;
    readonly attempts: number | undefined;
    readonly networkCode: string | undefined;
    constructor(code: TtpayClientErrorCode, message: string, details?: TtpayClientErrorDetails);
    toJSON(): Record<string, unknown>;
}

export type TtpayClientErrorCode = 'HOST_NOT_ALLOWED' | 'REDIRECT_REFUSED' | 'TIMEOUT' | 'ABORTED' | 'NETWORK' | 'HTTP_STATUS' | 'MALFORMED_RESPONSE' | 'PLATFORM_ERROR' | 'OUTCOME_UNKNOWN';

export type { TtpayLogger } from '@ttpay/core';

export declare function ecpayPaymentEventFromQuery(outOrderNo: string, result: EcpayQueryOrderResult, options: {
    appId: string;
    now?: () => number;
}): EcpayPaymentEvent | undefined;

export declare function isTikTokOrderCancelled(status: unknown): boolean;

export declare const isTtpayApiError: (value: unknown) => value is TtpayApiError;

export declare const isTtpayClientError: (value: unknown) => value is TtpayClientError;

export declare function settleTikTokOrderViaAlgoVoi(event: TikTokEvent, clients: SettlementClients, options: SettleTikTokOrderOptions): Promise<SettleTikTokOrderResult>;

export declare function shipTikTokOrderPaidViaAlgoVoi(input: ShipPaidTikTokOrderInput, clients: SettlementClients, options?: ShipPaidTikTokOrderOptions): Promise<ShipPaidTikTokOrderResult>;

export declare function tradePaymentEventFromQuery(result: TradeOrderQueryResult, options?: {
    now?: () => number;
}): TradePaymentEvent | undefined;

// @ttpay/client/testing (2 exports)

export interface Transport {
    readonly kind: 'platform' | 'loopback-test';
}

export declare function unsafeLoopbackTransportForTests(options: {
    baseUrl: string;
}): Transport;
