// API report of @ttpay/core: the public surface of every entry point, generated from the built
// .d.ts by `pnpm api-report` (scripts/api-report.ts). Do not edit; a change here is a change users see.

// @ttpay/core (72 exports)

export interface AlgoVoiEvent {
    platform: 'algovoi';
    key: string;
    token?: string;
    status?: string;
    order_id?: string;
    tx_id?: string;
    payload: Record<string, unknown>;
}

export interface ApplyOnceOptions {
    leaseMs: number;
    doneTtlMs: number;
}

export interface ByteAuthorizationParams extends TradeRequest {
    appId: string;
    keyVersion: string | number;
}

export type Claim = {
    readonly status: 'claimed';
    readonly lease: Lease;
} | {
    readonly status: 'in-flight';
} | {
    readonly status: 'done';
};

export declare class CodedError<C extends string = string> extends Error {
    readonly name: string;
    readonly code: C;
    constructor(code: C, message: string, options?: {
        cause?: unknown;
    });
}

export type DouyinEvent = EcpayEvent | TradeEvent;

export interface EcpayCallbackFields {
    token: string;
    timestamp: string;
    nonce: string;
    msg: string;
}

export type EcpayEvent = EcpayPaymentEvent | EcpayRefundEvent | EcpaySettleEvent | EcpayOtherEvent;

export interface EcpayOtherEvent extends EcpayEventBase {
    type: 'other';
    callbackType: string;
    msg: Record<string, unknown>;
}

export interface EcpayPaymentEvent extends EcpayEventBase {
    type: 'payment';
    msg: EcpayPaymentMsg;
}

export interface EcpayPaymentMsg {
    appid: string;
    cp_orderno: string;
    cp_extra: string;
    way: string;
    channel_no?: string;
    channel_gateway_no?: string;
    payment_order_no?: string;
    out_channel_order_no?: string;
    total_amount: number;
    status: string;
    seller_uid?: string;
    extra?: string;
    item_id?: string;
    paid_at?: number;
    message?: string;
    order_id?: string;
    [field: string]: unknown;
}

export interface EcpayRefundEvent extends EcpayEventBase {
    type: 'refund';
    msg: EcpayRefundMsg;
}

export interface EcpayRefundMsg {
    appid: string;
    cp_refundno: string;
    cp_extra: string;
    status: 'SUCCESS' | 'FAIL' | (string & {});
    refund_amount?: number;
    is_all_settled?: boolean;
    refunded_at?: number;
    message?: string;
    order_id?: string;
    refund_no?: string;
    [field: string]: unknown;
}

export interface EcpaySettleEvent extends EcpayEventBase {
    type: 'settle';
    msg: EcpaySettleMsg;
}

export interface EcpaySettleMsg {
    app_id: string;
    cp_settle_no: string;
    cp_extra: string;
    status: string;
    rake?: number;
    commission?: number;
    settle_detail?: string;
    settled_at?: number;
    message?: string;
    order_id?: string;
    channel_settle_id?: string;
    settle_amount?: number;
    settle_no?: string;
    out_order_no?: string;
    is_auto_settle?: boolean;
    [field: string]: unknown;
}

export type HeaderMap = Record<string, string | readonly string[] | undefined>;

export interface IdempotencyStore {
    claim(key: string, leaseMs: number): Claim | Promise<Claim>;
    complete(lease: Lease, ttlMs: number): void | Promise<void>;
    release(lease: Lease): void | Promise<void>;
}

export type KeyLike = string | Buffer | KeyObject;

export interface Lease {
    readonly key: string;
    readonly token: string;
}

export interface ParsedByteAuthorization {
    scheme: string;
    appId: string;
    nonce: string;
    timestamp: string;
    keyVersion: string;
    signature: string;
}

export type RawBody = string | Uint8Array;

export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_REJECTED' | 'STORE_CLOSED' | 'UNEXPECTED_VALUE' | 'INVALID_ARGUMENT';

export declare const TIKTOK_WEBHOOK_TYPES: {
    readonly 1: "ORDER_STATUS_CHANGE";
    readonly 3: "RECIPIENT_ADDRESS_UPDATE";
    readonly 4: "PACKAGE_UPDATE";
    readonly 5: "PRODUCT_STATUS_CHANGE";
    readonly 6: "SELLER_DEAUTHORIZATION";
    readonly 7: "UPCOMING_AUTHORIZATION_EXPIRATION";
    readonly 11: "CANCELLATION_STATUS_CHANGE";
    readonly 12: "RETURN_STATUS_CHANGE";
    readonly 15: "PRODUCT_INFORMATION_CHANGE";
    readonly 16: "PRODUCT_CREATION";
    readonly 36: "INVOICE_STATUS_CHANGE";
    readonly 37: "PRODUCT_AUDIT_STATUS_CHANGE";
};

export type TikTokEvent = TikTokKnownEvent | TikTokUnknownEvent;

export type TikTokEventOf<N extends TikTokWebhookName> = Extract<TikTokKnownEvent, {
    name: N;
}>;

export type TikTokKnownEvent = {
    [T in TikTokWebhookTypeNumber]: TikTokEventBase & {
        type: T;
        name: (typeof TIKTOK_WEBHOOK_TYPES)[T];
        data: TikTokData<T>;
    };
}[TikTokWebhookTypeNumber];

export interface TikTokOrderStatusData {
    order_id: string;
    order_status: string;
    is_on_hold_order?: boolean;
    update_time?: number;
    [field: string]: unknown;
}

export type TikTokQuery = Record<string, string | number | undefined>;

export interface TikTokRequestToSign {
    path: string;
    query: TikTokQuery;
    body?: RawBody;
}

export interface TikTokUnknownEvent extends TikTokEventBase {
    type: number;
    name: 'UNKNOWN';
    data: Record<string, unknown>;
}

export interface TikTokWebhookCredentials {
    appKey: string;
    appSecret: string;
}

export type TikTokWebhookName = (typeof TIKTOK_WEBHOOK_TYPES)[TikTokWebhookTypeNumber];

export type TikTokWebhookTypeNumber = keyof typeof TIKTOK_WEBHOOK_TYPES;

export type TradeEvent = TradePaymentEvent | TradeRefundEvent | TradeSettleEvent | TradeOtherEvent;

export interface TradeOtherEvent extends TradeEventBase {
    type: 'other';
    callbackType: string;
    msg: Record<string, unknown>;
}

export interface TradePaymentEvent extends TradeEventBase {
    type: 'payment';
    msg: TradePaymentMsg;
}

export interface TradePaymentMsg {
    app_id: string;
    out_order_no: string;
    order_id: string;
    status: 'SUCCESS' | 'CANCEL' | (string & {});
    total_amount: number;
    discount_amount?: number;
    pay_channel?: number;
    channel_pay_id?: string;
    merchant_uid?: string;
    message?: string;
    event_time?: number;
    cp_extra?: string;
    item_id?: string;
    [field: string]: unknown;
}

export interface TradeRefundEvent extends TradeEventBase {
    type: 'refund';
    msg: TradeRefundMsg;
}

export interface TradeRefundMsg {
    app_id: string;
    out_refund_no?: string;
    refund_id?: string;
    status: 'SUCCESS' | 'FAIL' | (string & {});
    refund_total_amount?: number;
    order_id?: string;
    message?: string;
    event_time?: number;
    cp_extra?: string;
    [field: string]: unknown;
}

export interface TradeRequest {
    method: string;
    uri: string;
    timestamp: string | number;
    nonce: string;
    body?: string | Uint8Array;
}

export interface TradeSettleEvent extends TradeEventBase {
    type: 'settle';
    msg: TradeSettleMsg;
}

export interface TradeSettleMsg {
    app_id: string;
    out_settle_no?: string;
    settle_id?: string;
    status: string;
    settle_amount?: number;
    order_id?: string;
    message?: string;
    event_time?: number;
    cp_extra?: string;
    [field: string]: unknown;
}

export interface TransactionalIdempotencyStore<Tx> extends IdempotencyStore {
    completeWithin<R>(lease: Lease, ttlMs: number, work: (tx: Tx) => Promise<R>): Promise<R>;
}

export declare class TtpayError extends CodedError<TtpayErrorCode> {
    readonly name: string;
}

export type TtpayErrorCode = 'MISSING_SIGNATURE' | 'SIGNATURE_MISMATCH' | 'MALFORMED_BODY' | 'MALFORMED_HEADER' | 'MISSING_FIELD' | 'TIMESTAMP_OUT_OF_RANGE' | 'BODY_TOO_LARGE' | 'INVALID_ARGUMENT' | 'INVALID_KEY' | 'LEASE_LOST';

export type TtpayEvent = DouyinEvent | TikTokEvent | AlgoVoiEvent;

export interface TtpayLogger {
    debug(obj: Record<string, unknown>, msg: string): void;
    info(obj: Record<string, unknown>, msg: string): void;
    warn(obj: Record<string, unknown>, msg: string): void;
    error(obj: Record<string, unknown>, msg: string): void;
}

export interface VerifyEcpayCallbackOptions {
    token: string | readonly string[];
    maxAgeSeconds?: number;
    now?: () => number;
}

export interface VerifyTradeCallbackOptions {
    publicKey: KeyLike | readonly KeyLike[];
    toleranceSeconds?: number;
    now?: () => number;
}

export declare function applyOnce<Tx>(store: IdempotencyStore | TransactionalIdempotencyStore<Tx>, key: string, work: (tx: Tx | undefined) => unknown, options: ApplyOnceOptions): Promise<'applied' | 'done' | 'in-flight'>;

export declare function buildByteAuthorization(r: ByteAuthorizationParams, privateKey: KeyLike): string;

export declare function ecpayRequestSigningString(params: Record<string, unknown>, salt: string): string;

export declare function eventRef(event: TtpayEvent): string;

export declare function isTradeCallbackBody(body: Record<string, unknown>): boolean;

export declare const isTtpayError: (value: unknown) => value is TtpayError;

export declare function newLeaseToken(): string;

export declare function parseByteAuthorization(header: string): ParsedByteAuthorization;

export declare function signAlgoVoiWebhook(rawBody: RawBody, secret: string): string;

export declare function signEcpayCallback(fields: EcpayCallbackFields): string;

export declare function signEcpayRequest(params: Record<string, unknown>, salt: string): string;

export declare function signTikTokRequest(r: TikTokRequestToSign, appSecret: string): string;

export declare function signTikTokWebhook(rawBody: RawBody, c: TikTokWebhookCredentials): string;

export declare function signTradeCallback(r: {
    timestamp: string | number;
    nonce: string;
    rawBody: RawBody;
}, platformPrivateKey: KeyLike): string;

export declare function signTradeRequest(r: TradeRequest, privateKey: KeyLike): string;

export declare function storableKey(key: string): string;

export declare function toPrivateKey(key: KeyLike): KeyObject;

export declare function toPublicKey(key: KeyLike): KeyObject;

export declare function verifyAlgoVoiWebhook(r: {
    rawBody: RawBody;
    signature: string | undefined;
}, secret: string | readonly string[]): AlgoVoiEvent;

export declare function verifyEcpayCallback(rawBody: RawBody, opts: VerifyEcpayCallbackOptions): EcpayEvent;

export declare function verifyEcpayCallbackFields(body: Record<string, unknown>, opts: VerifyEcpayCallbackOptions): EcpayEvent;

export declare function verifyTikTokWebhook(r: {
    rawBody: RawBody;
    signature: string | undefined;
}, c: {
    appKey: string;
    appSecret: string | readonly string[];
}): TikTokEvent;

export declare function verifyTradeCallback(r: {
    headers: HeaderMap;
    rawBody: RawBody;
}, opts: VerifyTradeCallbackOptions): TradeEvent;

// @ttpay/core/internal (23 exports)

export type InvalidArgumentError = new (code: 'INVALID_ARGUMENT', message: string) => Error;

export type SettledClaim = {
    readonly kind: 'handled';
    readonly unrecorded?: {
        readonly cause: unknown;
    };
} | {
    readonly kind: 'handler-failed';
    readonly cause: unknown;
    readonly releaseError?: unknown;
} | {
    readonly kind: 'lease-lost';
    readonly cause: unknown;
} | {
    readonly kind: 'store-failed';
    readonly cause: unknown;
    readonly releaseError?: unknown;
};

export declare function answerWithin<T>(pending: Promise<T>, ms: number, timedOut: () => Error, failed: (error: unknown) => Error): Promise<T>;

export declare const consoleLogger: TtpayLogger;

export declare function constantTimeEqual(a: string, b: string): boolean;

export declare function ecpayPaymentKey(cpOrderNo: string, status: string): string;

export declare function headerValue(headers: HeaderMap, name: string): string | undefined;

export declare function isTransactionalStore(store: IdempotencyStore): store is TransactionalIdempotencyStore<unknown>;

export declare function leaseToken(lease: Lease | undefined, what: string, Invalid?: InvalidArgumentError): string;

export declare function nonEmptyString(value: unknown, name: string, Invalid?: InvalidArgumentError): string;

export declare const nonNegativeInteger: NumberCheck;

export declare const nonNegativeSeconds: NumberCheck;

export declare const positiveInteger: NumberCheck;

export declare function positiveIntegerOr(value: unknown, fallback: number, name: string, Invalid?: InvalidArgumentError): number;

export declare const positiveMs: NumberCheck;

export declare function secretList(value: unknown, name: string, Invalid?: InvalidArgumentError): string[];

export declare function settleClaim<Tx>(store: IdempotencyStore | TransactionalIdempotencyStore<Tx>, lease: Lease, doneTtlMs: number, work: (tx: Tx | undefined) => unknown, onWorkDone?: () => void): Promise<SettledClaim>;

export declare const silentLogger: TtpayLogger;

export declare function sortUtf8AndJoin(values: string[], separator: string): string;

export declare function tradeCallbackSigningBytes(timestamp: string, nonce: string, rawBody: RawBody): Buffer;

export declare function tradePaymentKey(outOrderNo: string, status: string): string;

export declare function tradeRequestSigningBytes(r: TradeRequest): Buffer;

export declare function verifyByteAuthorization(r: {
    method: string;
    uri: string;
    body?: RawBody;
    header: string | undefined;
}, publicKey: KeyLike | readonly KeyLike[]): ParsedByteAuthorization;
