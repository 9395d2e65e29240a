// API report of @ttpay/koa: the public surface of every entry point, generated from the built
// .d.ts by `pnpm api-report` (scripts/api-report.ts). Do not edit; a change here is a change users see.

// @ttpay/koa (29 exports)

export interface AlgoVoiWebhooksOptions<C extends PaymentClientSlots = RegisteredClients, Tx = undefined> extends DeliveryOptions<AlgoVoiEvent, C, Tx> {
    secret: string | readonly string[];
    onEvent: PaymentHandler<AlgoVoiEvent, C, Tx>;
}

export type { Claim } from '@ttpay/core';

export declare class DeliveryError extends CodedError<DeliveryErrorCode> {
    readonly name: string;
}

export type DeliveryErrorCode = Exclude<TtpayErrorCode, 'INVALID_ARGUMENT' | 'INVALID_KEY'> | 'METHOD_NOT_ALLOWED' | 'UNSUPPORTED_MEDIA_TYPE' | 'RAW_BODY_UNAVAILABLE' | 'NOT_CONFIGURED' | 'UNHANDLED_EVENT' | 'IN_FLIGHT' | 'STORE_UNAVAILABLE' | 'HANDLER_FAILED' | 'HANDLER_TIMEOUT' | 'HOOK_FAILED' | 'INTERNAL_ERROR';

export interface DeliveryHooks<E extends TtpayEvent, C extends PaymentClientSlots, Tx = undefined> {
    onVerified?: (event: E, ctx: PaymentRouteContext<E, C, Tx>) => unknown;
    onDuplicate?: (event: E, ctx: PaymentRouteContext<E, C, Tx>, state: DuplicateState) => unknown;
    onRejected?: (error: DeliveryError, ctx: Context) => unknown;
    onError?: (error: DeliveryError, event: E, ctx: PaymentRouteContext<E, C, Tx>) => unknown;
}

export interface DeliveryOptions<E extends TtpayEvent, C extends PaymentClientSlots, Tx = undefined> extends DeliveryHooks<E, C, Tx> {
    path?: string;
    limit?: number;
    store?: IdempotencyStore | TransactionalIdempotencyStore<Tx>;
    claimTtlMs?: number;
    doneTtlMs?: number;
    handlerTimeoutMs?: number;
    logger?: TtpayLogger;
    clients?: C;
}

export interface DouyinCallbacksOptions<C extends PaymentClientSlots = RegisteredClients, Tx = undefined> extends DeliveryOptions<DouyinEvent, C, Tx> {
    token?: string | readonly string[];
    platformPublicKey?: KeyLike | readonly KeyLike[];
    toleranceSeconds?: number;
    maxAgeSeconds?: number;
    now?: () => number;
    onPayment?: PaymentHandler<EcpayPaymentEvent | TradePaymentEvent, C, Tx>;
    onRefund?: PaymentHandler<EcpayRefundEvent | TradeRefundEvent, C, Tx>;
    onSettle?: PaymentHandler<EcpaySettleEvent | TradeSettleEvent, C, Tx>;
    onEvent?: PaymentHandler<DouyinEvent, C, Tx>;
}

export type DuplicateState = 'in-flight' | 'done';

export type { IdempotencyStore } from '@ttpay/core';

export type { Lease } from '@ttpay/core';

export declare class MemoryStore implements IdempotencyStore {
    #private;
    readonly maxEntries: number;
    constructor(options?: MemoryStoreOptions);
    get size(): number;
    claim(key: string, leaseMs: number): Claim;
    complete(lease: Lease, ttlMs: number): void;
    release(lease: Lease): void;
}

export interface MemoryStoreOptions {
    maxEntries?: number;
    now?: () => number;
}

export type PaymentClientSlots = Partial<RegisteredClients>;

export interface PaymentClients {
}

export type PaymentContext<E extends TtpayEvent | undefined = TtpayEvent | undefined, C extends PaymentClientSlots = RegisteredClients, Tx = undefined> = Readonly<C> & {
    readonly event: E;
    readonly rawBody: [
        E
    ] extends [
        TtpayEvent
    ] ? Buffer : Buffer | undefined;
    readonly tx: Tx;
};

export interface PaymentContextOptions<C extends PaymentClientSlots = RegisteredClients> {
    clients: C;
}

export type PaymentHandler<E extends TtpayEvent, C extends PaymentClientSlots = RegisteredClients, Tx = undefined> = (event: E, ctx: PaymentRouteContext<E, C, Tx>) => unknown;

export type PaymentRouteContext<E extends TtpayEvent, C extends PaymentClientSlots = RegisteredClients, Tx = undefined> = ParameterizedContext<DefaultState, DefaultContext & {
    payment: PaymentContext<E, C, Tx>;
}>;

export type RegisteredClients = Omit<{
    douyin: unknown;
    tiktok: unknown;
    algovoi: unknown;
}, keyof PaymentClients> & PaymentClients;

export type TikTokHandlers<C extends PaymentClientSlots = RegisteredClients, Tx = undefined> = {
    readonly [N in TikTokWebhookName]?: PaymentHandler<TikTokEventOf<N>, C, Tx>;
};

export interface TikTokWebhooksOptions<C extends PaymentClientSlots = RegisteredClients, Tx = undefined> extends DeliveryOptions<TikTokEvent, C, Tx> {
    appKey: string;
    appSecret: string | readonly string[];
    on?: TikTokHandlers<C, Tx>;
    onEvent?: PaymentHandler<TikTokEvent, C, Tx>;
}

export type { TransactionalIdempotencyStore } from '@ttpay/core';

export type { TtpayLogger } from '@ttpay/core';

export declare function algovoiWebhooks<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>(options: AlgoVoiWebhooksOptions<C, Tx>): Middleware;

export declare function douyinCallbacks<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>(options: DouyinCallbacksOptions<C, Tx>): Middleware;

export declare const isDeliveryError: (value: unknown) => value is DeliveryError;

export declare function paymentContext<C extends PaymentClientSlots = RegisteredClients>(options: PaymentContextOptions<C>): Middleware;

export { silentLogger } from '@ttpay/core';

export declare function tiktokWebhooks<C extends PaymentClientSlots = RegisteredClients, Tx = undefined>(options: TikTokWebhooksOptions<C, Tx>): Middleware;

// @ttpay/koa/global-context (0 exports)


