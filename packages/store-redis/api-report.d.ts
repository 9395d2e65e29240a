// API report of @ttpay/store-redis: the public surface of every entry point, generated from the built
// .d.ts by `pnpm api-report` (scripts/api-report.ts). Do not edit; a change here is a change users see.

// @ttpay/store-redis (6 exports)

export declare const OWNED_CLIENT_DEFAULTS: Readonly<RedisOptions>;

export declare class RedisStore implements IdempotencyStore {
    #private;
    readonly prefix: string;
    constructor(options: RedisStoreOptions);
    claim(key: string, leaseMs: number): Promise<Claim>;
    complete(lease: Lease, ttlMs: number): Promise<void>;
    release(lease: Lease): Promise<void>;
    close(): Promise<void>;
}

export declare class RedisStoreError extends CodedError<RedisStoreErrorCode> {
    readonly name: string;
}

export type RedisStoreErrorCode = StoreErrorCode;

export interface RedisStoreOptions {
    client?: Redis | Cluster;
    url?: string;
    redisOptions?: RedisOptions;
    prefix?: string;
    commandTimeout?: number;
    logger?: TtpayLogger;
}

export declare const isRedisStoreError: (value: unknown) => value is RedisStoreError;
