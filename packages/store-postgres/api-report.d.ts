// API report of @ttpay/store-postgres: the public surface of every entry point, generated from the built
// .d.ts by `pnpm api-report` (scripts/api-report.ts). Do not edit; a change here is a change users see.

// @ttpay/store-postgres (9 exports)

export declare class PostgresStore<Tx = PoolClient> implements TransactionalIdempotencyStore<Tx> {
    #private;
    readonly table: string;
    constructor(options: PostgresStoreOptions<Tx>);
    setup(): Promise<void>;
    claim(key: string, leaseMs: number): Promise<Claim>;
    complete(lease: Lease, ttlMs: number): Promise<void>;
    release(lease: Lease): Promise<void>;
    completeWithin<R>(lease: Lease, ttlMs: number, work: (tx: Tx) => Promise<R>): Promise<R>;
    purgeExpired(limit?: number): Promise<number>;
    close(): Promise<void>;
}

export declare class PostgresStoreError extends CodedError<PostgresStoreErrorCode> {
    readonly name: string;
}

export type PostgresStoreErrorCode = StoreErrorCode;

export type PostgresStoreOptions<Tx = PoolClient> = CommonOptions & ({
    pool: Pool;
    connectionString?: never;
    database?: never;
} | {
    connectionString: string;
    poolOptions?: Omit<PoolConfig, 'connectionString'>;
    pool?: never;
    database?: never;
} | {
    database: SqlDatabase<Tx>;
    pool?: never;
    connectionString?: never;
});

export interface SqlDatabase<Tx> {
    query: SqlQuery;
    transaction<R>(work: (tx: Tx, query: SqlQuery) => Promise<R>): Promise<R>;
    end?(): Promise<void>;
}

export type SqlQuery = (text: string, values?: unknown[]) => Promise<SqlResult>;

export interface SqlResult {
    rows: Record<string, unknown>[];
    rowCount: number;
}

export declare const isPostgresStoreError: (value: unknown) => value is PostgresStoreError;

export declare function pgDatabase(pool: Pool, owned?: boolean): SqlDatabase<PoolClient>;

// @ttpay/store-postgres/pglite (1 exports)

export declare function pgliteDatabase(db: PGlite): SqlDatabase<Transaction>;
