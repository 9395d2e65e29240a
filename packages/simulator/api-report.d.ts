// API report of @ttpay/simulator: the public surface of every entry point, generated from the built
// .d.ts by `pnpm api-report` (scripts/api-report.ts). Do not edit; a change here is a change users see.

// @ttpay/simulator (10 exports)

export interface DeliveryResult {
    url: string;
    attempts: number;
    acknowledged: boolean;
    responses: {
        status: number;
        body: string;
    }[];
}

export interface FaultRule {
    platform: 'douyin' | 'tiktok' | 'algovoi';
    path?: string;
    times?: number;
    status?: number;
    delayMs?: number;
    garbage?: boolean;
    reply?: Record<string, unknown>;
    dropAnswer?: boolean;
}

export interface SimLogEntry {
    at: number;
    direction: 'in' | 'out';
    platform: 'douyin' | 'tiktok' | 'algovoi' | 'control';
    method: string;
    path: string;
    status: number;
    code?: number;
}

export interface SimTikTokOrderInput {
    id?: string;
    total_amount: string;
    currency: string;
    status?: string;
    shipping_type?: 'TIKTOK' | 'SELLER';
    package_ids?: string[];
}

export interface Simulator {
    readonly url: string;
    readonly port: number;
    readonly douyin: {
        pay(outOrderNo: string, opts?: {
            duplicates?: number;
            url?: string;
            loseCallbacks?: boolean;
        }): Promise<DeliveryResult>;
        cancel(outOrderNo: string, opts?: {
            url?: string;
        }): Promise<DeliveryResult>;
        completeRefund(outRefundNo: string, opts?: {
            status?: 'SUCCESS' | 'FAIL';
            url?: string;
        }): Promise<DeliveryResult>;
        completeSettle(outSettleNo: string, opts?: {
            url?: string;
        }): Promise<DeliveryResult>;
        order(outOrderNo: string): Record<string, unknown> | undefined;
    };
    readonly tiktok: {
        addOrder(order: SimTikTokOrderInput): string;
        order(orderId: string): Record<string, unknown> | undefined;
        shipments(orderId: string): Record<string, unknown>[];
        sendWebhook(type: number, data: Record<string, unknown>, opts?: {
            url?: string;
            duplicates?: number;
        }): Promise<DeliveryResult>;
    };
    readonly algovoi: {
        pay(token: string, opts?: {
            txId?: string;
            url?: string;
            duplicates?: number;
        }): Promise<DeliveryResult>;
        checkout(token: string): Record<string, unknown> | undefined;
    };
    fault(rule: FaultRule): () => void;
    clearFaults(): void;
    readonly log: readonly SimLogEntry[];
    close(): Promise<void>;
}

export declare class SimulatorError extends CodedError<SimulatorErrorCode> {
    readonly name: string;
}

export type SimulatorErrorCode = 'UNKNOWN_ORDER' | 'UNKNOWN_REFUND' | 'UNKNOWN_SETTLEMENT' | 'UNKNOWN_CHECKOUT' | 'INVALID_STATE' | 'NO_DELIVERY_URL' | 'INVALID_ARGUMENT' | 'CLOSED';

export interface SimulatorOptions {
    port?: number;
    host?: string;
    timeScale?: number;
    douyin?: {
        appId?: string;
        salt?: string;
        token?: string;
        appPublicKey?: KeyLike | KeyLike[];
        platformPrivateKey?: KeyLike;
        appSecret?: string;
        notifyUrl?: string;
    };
    tiktok?: {
        appKey?: string;
        appSecret?: string;
        accessToken?: string;
        refreshToken?: string;
        shopCipher?: string;
        shopId?: string;
        webhookUrl?: string;
    };
    algovoi?: {
        apiKey?: string;
        tenantId?: string;
        webhookSecret?: string;
        webhookUrl?: string;
    };
}

export declare const isSimulatorError: (value: unknown) => value is SimulatorError;

export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
