// API report of @ttpay/testing: the public surface of every entry point, generated from the built
// .d.ts by `pnpm api-report` (scripts/api-report.ts). Do not edit; a change here is a change users see.

// @ttpay/testing (22 exports)

export interface AlgoVoiWebhookOptions {
    payload?: Record<string, unknown>;
    secret?: string;
    rawBody?: string;
}

export declare const DEMO_DOUYIN_APP_SECRET = "demo_douyin_app_secret_do_not_use";

export interface Delivery {
    body: Buffer;
    rawBody: string;
    headers: Record<string, string>;
}

export type DemoCredentials = typeof demoCredentials;

export type DouyinCallbackType = 'payment' | 'refund' | 'settle';

export interface EcpayCallbackOptions {
    type: DouyinCallbackType | (string & {});
    msg?: Record<string, unknown>;
    rawMsg?: string;
    token?: string;
    timestamp?: string;
    nonce?: string;
}

export interface TikTokWebhookOptions {
    type?: number;
    data?: Record<string, unknown>;
    tts_notification_id?: string;
    shop_id?: string;
    timestamp?: number;
    appKey?: string;
    appSecret?: string;
    rawBody?: string;
}

export interface TradeCallbackOptions {
    type: DouyinCallbackType | (string & {});
    msg?: Record<string, unknown>;
    rawMsg?: string;
    version?: string;
    platformPrivateKey?: KeyLike;
    timestamp?: string | number;
    nonce?: string;
    logId?: string;
}

export declare function algoVoiWebhook(opts?: AlgoVoiWebhookOptions): Delivery;

export declare function bodyOnlyTikTokWebhook(opts?: TikTokWebhookOptions): Delivery;

export declare const demoCredentials: {
    readonly douyin: {
        readonly appId: "tt_demo_app_0001";
        readonly salt: "demo_payment_salt_do_not_use";
        readonly token: "demo_callback_token_do_not_use";
        readonly keyVersion: "1";
        readonly appPrivateKey: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCxPzI08iiniB2R\nn2su1LeBjkX3sc3l91mj3I/J/DhCxgdi6cMVuqPWQHFZBEsCKgJojs7EBxGONS8j\n/R1HFYzTKvHCoxgAEQBk6Sa9rGEBGXeOYwvybbdOZdrBRY6l4QgnL4C3ItgDoxs0\nsc/MxRgFvcu/P4KyLetEeB5TtoPZVC3QZVzHjgBZBVlu0qqq6rchQnpioydRJnvS\nzNZgkeC+zPhSMdo1WbTb+xeryXlhqSJqfJxhCymYOVXjj7KlrVdyZGVpaFdEpX7M\n1uCm0khQq9FR9CX0etle6MceKaUAbsuxTBQzelABMf0zLH0B1rBldaovxZAOAQI5\n2oIvCItfAgMBAAECggEAMydL9B/XP9J2xio+IrvdYhSPeNbl13K1eicTkHWsPwkr\n5I4WcVT2J8VdcRVeGHfLTiW44rYviN0sh7RrGLLNe7wvHb84E/zUIktvlNoE/O4+\npOdM8WBcwNGAerr6WkFBux1ohnIV6abPGTwf/rb7Id0Oylkn/Qhnl9Ea34oTL0sz\nF7bpkiL6m/CiK5tCXiKQgYYVUOn6s+rwO64Q2px9BvIItV7HlVi5IUR+cwpo56Qb\nTe/AfqTauj66mziAG7iPR83BfAnBzOILFEtiuT/XoUte0SLt7zziURuxBFn6yz/+\n2ki1y2airBqdEwB9nkiINuIvm4WZ6Dq5kRDOMhlZUQKBgQDaYIlt9+VY7CTjsgm7\nkYfyJJffI9EEh0awTpnKuukJI5w7bSwRTVNmwWx+mvuDhq9hDHZdaPR2+GA6gwwA\nRxTTYAL/d3SF/uGTgftQmBWDkjFA4Kcs5X/IjgdKc4z94YFnNyI/va7gqKXUO+Ve\nd9PAk16aKac5xSS0Y9Plhx4z1QKBgQDPyJ8JBxcrmFx+IDhofSAyKJ62HL/XgjKu\nU6HH/YKf2ZJ3AhpDiADpZ2LwIPQhMY76l6tCGpWjEkemHGRAKJv+juNQ9//PxmdQ\nQjBi0K9+DJbFAWWsVxV3AUEtZ7xc/J57e5qhDYrtKCEOOeAqAZqvE890wUNuN3kf\nafwearCAYwKBgDTXOyni3BoiOeLmx7gdRNnwxNb3obII0bADtO77Pzw446r1hb5C\nCbZJg2k3MzjmNDW1gEamCNFo1FAUOakvifiDuPX7/7QUspywzRD5W+tUSpq6QXl5\npuvughEf2LPuBxPkoWLvEQvHgyjRvXSYZiKpBjEjdxVhgLotla5qfYJpAoGBAK+F\nWJqmq7L+7Lr6eswBTu4wFAngdUoWSLusGBC5nNttTmVLmGYNgD+qPxB7td5IX/Bd\nqKSZkmgDbBTtDN6Jr2S0zV87b5PTlLhegUMn5+cBuWbHzFxt38r8e1NguuSN3U6Q\nVknQB9hYOrwqtaqmWkWk5W1KSKzVHXMk8326QEjjAoGAb38WO8wCO+tE8o62PdwN\nfg0uwhf6+LNWNoiFOxvRp1eaUXrchFX5v8i8q7/sukhxmpEBSragLxgyjHZ6g5iQ\nGMNSYUfhz7lTqF+0Yti70snasfJdTdLswNwuKXLTHN4Pf8UEhqmXzFnqvW7JLuIo\n9oyTx+mPw5jAsXeYtMOx2Hw=\n-----END PRIVATE KEY-----\n";
        readonly appPublicKey: "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsT8yNPIop4gdkZ9rLtS3\ngY5F97HN5fdZo9yPyfw4QsYHYunDFbqj1kBxWQRLAioCaI7OxAcRjjUvI/0dRxWM\n0yrxwqMYABEAZOkmvaxhARl3jmML8m23TmXawUWOpeEIJy+AtyLYA6MbNLHPzMUY\nBb3Lvz+Csi3rRHgeU7aD2VQt0GVcx44AWQVZbtKqquq3IUJ6YqMnUSZ70szWYJHg\nvsz4UjHaNVm02/sXq8l5YakianycYQspmDlV44+ypa1XcmRlaWhXRKV+zNbgptJI\nUKvRUfQl9HrZXujHHimlAG7LsUwUM3pQATH9Myx9AdawZXWqL8WQDgECOdqCLwiL\nXwIDAQAB\n-----END PUBLIC KEY-----\n";
        readonly platformPrivateKey: "-----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCwu/+N9zrXNfBR\nlmrq4wZEuPMrhbTt6ggONNZGu34L/68DdstzMdo6BIEl+p6NFlLxUhOhT614Vh2Z\nOGsL14GGjzQ7dj46012JrKsc38CJxJetx7K9LQP4SJYfSBpg+5PPBGTO0FYY6uuy\noSVRSWz+u3Voh98WFARc0ZU7iXMDRx+919mTo2+O2MhisyEIm7Qvrc5ebaP9ARol\nrdjEhr5S5YCmeM6upfve2iRVlxfP4S9lhv7PYaKJ91JleEjfbkrBGR8AA8GAkam+\n/cVkM9Ar3UxenhnnXFjhqfAksSS4caFJG2N/gQpLwVp8GwrCeR88yvQVQyKOFqga\nP02bpX5TAgMBAAECggEAEp9EjrdptkqDL32bd3ODchNQ4BmfFmCOB70uhNZ1shr3\nXHSUfGdY2LsnxpIxSal8BNyCoAEuxJrCVKY6tU04Yy7MsKVFalpiJUMR5qF2/q09\n1DxSC5fmLq+rTdGBog1wJiSO4LHYGJkMS86qCXYkq3SiKukCKyfhy8vznwndGg+j\n/yU+YDUv05XhX7d4nAPL0vB/ua7jmGpT/khVlaIThlc3eiaG3hFr9SnyYgvgu6R7\n5nBZ7f5TPkXJ94/ywPZeQuIZeKBMKCuaxXWAGUZGjf40yKGUEeiPRk/SrKnr5gdM\nb97mfhHYXXv+osWs152mGkM8o1g+Srwvrm1H7hxNHQKBgQDnXVcun9+FkVGNDZz1\n/VWnyyG/B1rNx4QgYUghTRyUuH0FV0NnMF+bmIVAJxRRVfaUqPigUsviJDW502+Q\nRslILdoch3ZfSi6VhmS13R2tvwUQe3MlcYrNisuM4Z7d0hV7WnUjhn986TTZXJ7m\n3mnGL+/6Udhff0aHeI50DDMwHwKBgQDDjYR8Qw9MZ/j4SMQUMJJK8V8MbFk+l5VR\nFf+8nuPrWA8bqziOAegQb+4ImuY/VHJ9amB/W02xi+up6DX5Yfo/pE3q/vvKs2b+\nAz3JmZJLaq9QmRpuk1dsNCWyMEW6/gqlmgBzbflTIf5KyMMg7s+mdangqaNPYDSF\nccbbeTtbTQKBgHzykr+yRWN73F/hxy+t1dFdSWdCEI7rPfbCstKRM2s5ywLUYqla\nnXeJQgUoVberRhR4wHTM4iDJz14AytJO+CsL4CviGFJT3J6RytfQh1OqwpBpKwFA\ntWZVm6IEwugmqcVJT9OUsksCIrF0bLhfyx3mC6LTCphgQvWsbLpNUGOfAoGAYMgC\nYMmDocn3c1H4ERH05ThOVUSuaob09FuR5RUyMgC0AXqdE9MnujLbONEI0SEHRMDI\nH1/dtNhN+xoc1F7ETokPsxUdIrXlbCPIiaUCvWaAe8A6T62GX9vzKBwx9pjSRiFQ\nxdAQzC8Pvo1b3Umz5WtodvMeCyPO+phT1b1LPiUCgYAB0qdNp4XBPUndwgYzIjqJ\nJvZv+b0Oaih/EY+sGBHsh2rhkqjoy+2c5YI5SXm/tMooP0DviGhrqHuCEi66m5Fi\nqh2WI+tOre2/eF4R/3pAQpoG61cb2t3uKZwV3PzbvW07KiZRRKq3esMbxJGry+Lp\nVwm1IQxtT0qFMFKyxzkryg==\n-----END PRIVATE KEY-----\n";
        readonly platformPublicKey: "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsLv/jfc61zXwUZZq6uMG\nRLjzK4W07eoIDjTWRrt+C/+vA3bLczHaOgSBJfqejRZS8VIToU+teFYdmThrC9eB\nho80O3Y+OtNdiayrHN/AicSXrceyvS0D+EiWH0gaYPuTzwRkztBWGOrrsqElUUls\n/rt1aIffFhQEXNGVO4lzA0cfvdfZk6NvjtjIYrMhCJu0L63OXm2j/QEaJa3YxIa+\nUuWApnjOrqX73tokVZcXz+EvZYb+z2GiifdSZXhI325KwRkfAAPBgJGpvv3FZDPQ\nK91MXp4Z51xY4anwJLEkuHGhSRtjf4EKS8FafBsKwnkfPMr0FUMijhaoGj9Nm6V+\nUwIDAQAB\n-----END PUBLIC KEY-----\n";
        readonly merchantUid: "demo_merchant_0001";
    };
    readonly tiktok: {
        readonly appKey: "demo_tiktok_app_key";
        readonly appSecret: "demo_tiktok_app_secret_do_not_use";
        readonly accessToken: "TTP_demo_access_token";
        readonly refreshToken: "TTP_demo_refresh_token";
        readonly shopCipher: "ROW_demo_shop_cipher";
        readonly shopId: "7000000000000000001";
    };
    readonly algovoi: {
        readonly apiKey: "algv_demo_api_key_do_not_use";
        readonly tenantId: "00000000-0000-4000-8000-000000000001";
        readonly webhookSecret: "demo_algovoi_webhook_secret_do_not_use";
    };
};

export declare function ecpayCallback(opts: EcpayCallbackOptions): Delivery;

export declare function ecpayMsg(type: DouyinCallbackType, overrides?: Record<string, unknown>): Record<string, unknown>;

export declare function reserialised(d: Delivery): Delivery;

export declare function tampered(d: Delivery, at?: number): Delivery;

export declare function tikTokData(type: number, overrides?: Record<string, unknown>): Record<string, unknown>;

export declare function tikTokWebhook(opts?: TikTokWebhookOptions): Delivery;

export declare function tradeCallback(opts: TradeCallbackOptions): Delivery;

export declare function tradeMsg(type: DouyinCallbackType, overrides?: Record<string, unknown>): Record<string, unknown>;

export declare function truncated(d: Delivery, keepBytes?: number): Delivery;

export declare function withBadSignature(d: Delivery): Delivery;

export declare function withoutSignature(d: Delivery): Delivery;

// @ttpay/testing/store-conformance (6 exports)

export interface ConformanceReport {
    passed: string[];
    failed: {
        name: string;
        error: Error;
    }[];
    skipped: {
        name: string;
        reason: string;
    }[];
}

export declare const STORE_CONFORMANCE_CASES: readonly string[];

export interface StoreConformanceOptions<S extends IdempotencyStore = IdempotencyStore> {
    name?: string;
    createStore(): S | Promise<S>;
    closeStore?(store: S): void | Promise<void>;
    createPeer?(store: S): S | Promise<S>;
    createUnavailableStore?(): S | Promise<S>;
    leaseMs?: number;
    doneTtlMs?: number;
    expiryGraceMs?: number;
    failClosedWithinMs?: number;
    operationTimeoutMs?: number;
    concurrency?: number;
    caseTimeoutMs?: number;
}

export interface TestFramework {
    describe(name: string, body: () => void): unknown;
    it: ((name: string, fn: CaseFunction, timeoutMs?: number) => unknown) & {
        skip?: (name: string, fn: CaseFunction) => unknown;
    };
}

export declare function defineStoreConformance<S extends IdempotencyStore>(framework: TestFramework, options: StoreConformanceOptions<S>): void;

export declare function runStoreConformance<S extends IdempotencyStore>(options: StoreConformanceOptions<S>): Promise<ConformanceReport>;
