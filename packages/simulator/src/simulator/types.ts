import type { KeyLike } from '@ttpay/core';

/**
 * The simulator's public contract. One local HTTP server (its own Koa app) plays every platform on
 * one origin, under the real platforms' paths, so a client only swaps its base URL:
 *
 * Douyin ecpay (real base https://developer.toutiao.com):
 *   POST /api/apps/ecpay/v1/{create_order,query_order,create_refund,query_refund,settle,query_settle,
 *        unsettle_amount,create_return,query_return,query_platform_order}
 *   → HTTP 200 `{err_no, err_tips, ...}`; bad sign → err_no != 0.
 * Douyin trade system (real base https://open.douyin.com):
 *   POST /oauth/client_token/, /oauth/stable_client_token/ → `{data:{access_token:"clt.…", expires_in, error_code:0, description:""}, message:"success"}`
 *   POST /api/trade_basic/v1/developer/{order_query,refund_create,refund_query,refund_audit_callback,
 *        settle_create,settle_query}/
 *        (header `access-token`)                      → `{err_no, err_msg, log_id, data}`
 *   POST /requestOrder  body `{data, byteAuthorization}` — stands in for the mini-program's
 *        `tt.requestOrder`: verifies the Byte-Authorization over `data` with the app public key.
 * TikTok Shop (real bases https://open-api.tiktokglobalshop.com and https://auth.tiktok-shops.com):
 *   GET  /order/202309/orders?ids=…                   (signed; `x-tts-access-token`)
 *   POST /fulfillment/202309/packages/{package_id}/ship
 *   POST /fulfillment/202309/orders/{order_id}/packages
 *   POST /fulfillment/202309/orders/{order_id}/shipping_info/update
 *   GET  /api/v2/token/get, GET /api/v2/token/refresh  (unsigned)
 *   → HTTP 200 `{code, message, request_id, data}`; success only when `code: 0` (bad sign 106001,
 *     timestamp out of window 36009004).
 * AlgoVoi gateway:
 *   POST /v1/payment-links (Bearer + X-Tenant-Id), GET /checkout/{token}
 * Control (for tests and the CLI; not a platform API):
 *   POST /_sim/douyin/pay {out_order_no}, POST /_sim/douyin/cancel {out_order_no},
 *   POST /_sim/douyin/user-refund {out_order_no}, POST /_sim/algovoi/pay {token},
 *   POST /_sim/tiktok/webhook {type, data},
 *   POST /_sim/faults {...FaultRule}, GET /_sim/log
 */
export interface SimulatorOptions {
  /** Default 0 (a free port). Always binds 127.0.0.1. */
  port?: number;
  host?: string;
  /**
   * Multiplies every retry delay of the platforms' schedules (Douyin 15s/15s/30s/3m/…, TikTok
   * 2m/30m/3h/12h, trade system 12s/12s/33s/1m/…/7m, the refund application every 10 min for 72 h, and the
   * 72 h refund audit window). Default 1; tests use e.g. 0.0001.
   */
  timeScale?: number;
  douyin?: {
    appId?: string;
    salt?: string;
    token?: string;
    /** The developer's uploaded public key(s), to check Byte-Authorization. */
    appPublicKey?: KeyLike | KeyLike[];
    /** Signs trade-system callbacks. */
    platformPrivateKey?: KeyLike;
    /** Client-token credentials for /oauth/client_token/ and /oauth/stable_client_token/. */
    appSecret?: string;
    /** Used when create_order carries no notify_url, and for trade-system callbacks. */
    notifyUrl?: string;
  };
  tiktok?: {
    appKey?: string;
    appSecret?: string;
    accessToken?: string;
    refreshToken?: string;
    shopCipher?: string;
    shopId?: string;
    /** Where TikTok webhooks are delivered. */
    webhookUrl?: string;
  };
  algovoi?: {
    apiKey?: string;
    tenantId?: string;
    webhookSecret?: string;
    /** Where gateway webhooks are delivered. */
    webhookUrl?: string;
  };
  /** Every option defaults to `demoCredentials` from this package. */
}

/** The outcome of delivering one callback/webhook with the platform's retry schedule. */
export interface DeliveryResult {
  url: string;
  attempts: number;
  acknowledged: boolean;
  /** Status and body of each attempt, in order. */
  responses: { status: number; body: string }[];
}

/** `sim.douyin.userRefund` options. */
export interface UserRefundOptions {
  /** Fen; default what is left to refund. */
  amount?: number;
  /** Default true: the shop must audit it (`need_refund_audit: 1`); false: audit-exempt (2). */
  needAudit?: boolean;
  /** `refund_reason` of the application. Default `["不想要了"]`. */
  reason?: string[];
  /** Where the application (and, unless the answer names one, the result callback) goes. */
  url?: string;
}

/** What became of a user-started refund (docs/PROTOCOLS.md §2.5, §2.6). */
export interface UserRefundResult {
  /** The platform's refund id. */
  refund_id: string;
  /** The shop's number from its answer — or `dy_<refund_id>` when 72 h of retries got none. */
  out_refund_no: string;
  /** The refund application's delivery (`pre_create_refund`). */
  application: DeliveryResult;
  /** `NONE`: audit-exempt; `INIT`: the simulator closed first. */
  audit: 'AGREE' | 'DENY' | 'AUTO_AGREE' | 'NONE' | 'INIT';
  /** The refund result callback (absent for a denied refund). */
  result?: DeliveryResult;
}

/** Inject faults into the simulator's platform APIs (not into deliveries). */
export interface FaultRule {
  platform: 'douyin' | 'tiktok' | 'algovoi';
  /** Optional path prefix to match, e.g. `/order/202309/orders`. */
  path?: string;
  /** How many matching requests fail before the API behaves again. Default 1. */
  times?: number;
  /** HTTP status to answer with (e.g. 503), or… */
  status?: number;
  /** …wait this long before answering (to trigger client timeouts). */
  delayMs?: number;
  /** Answer 200 with a non-JSON body. */
  garbage?: boolean;
  /**
   * Answer with this JSON body (and `status`, default 200) instead of the platform: e.g. ecpay
   * `{err_no: 1000}`, trade `{err_no: 13000}` or TikTok `{code: 36009003}` — signals that say "retry".
   */
  reply?: Record<string, unknown>;
  /**
   * Let the platform handle the request — an order, a refund, a payment link is created — then reset the
   * connection instead of answering: the client cannot know what happened.
   */
  dropAnswer?: boolean;
}

export interface SimLogEntry {
  at: number;
  direction: 'in' | 'out';
  platform: 'douyin' | 'tiktok' | 'algovoi' | 'control';
  method: string;
  path: string;
  status: number;
  /** Platform result code for API calls (`err_no` / `code`), when there is one. */
  code?: number;
}

export interface SimTikTokOrderInput {
  id?: string;
  /** Decimal string, e.g. "12.34". */
  total_amount: string;
  currency: string;
  status?: string;
  /**
   * Default `TIKTOK` (TikTok's carriers: ship with a handover method). `SELLER`: the seller ships with a
   * carrier from Get Shipping Providers and must upload that carrier's tracking number.
   */
  shipping_type?: 'TIKTOK' | 'SELLER';
  /** Default one package. */
  package_ids?: string[];
}

export interface Simulator {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly douyin: {
    /** Completes an ecpay order (or a trade-system order from /requestOrder) and delivers the signed
     * payment callback with retries until `{"err_no":0,"err_tips":"success"}`. `url` overrides the
     * order's notify_url / payNotifyUrl and `douyin.notifyUrl` (for an app that got its port after the
     * simulator started). */
    pay(
      outOrderNo: string,
      opts?: {
        duplicates?: number;
        url?: string;
        /**
         * The payment happens (query_order / order_query answer SUCCESS) but every callback is lost, as
         * when the app was down longer than the platform retries: nothing is sent (`attempts: 0`). What
         * a reconciliation job has to catch.
         */
        loseCallbacks?: boolean;
      },
    ): Promise<DeliveryResult>;
    /**
     * Trade system only: the order is not paid (buyer gave up, window closed) — delivers the payment
     * callback with `status: "CANCEL"`. ecpay orders are refused (ecpay notifies successes only).
     */
    cancel(outOrderNo: string, opts?: { url?: string }): Promise<DeliveryResult>;
    /** Completes a refund created via create_refund / refund_create and delivers its callback. */
    completeRefund(
      outRefundNo: string,
      opts?: { status?: 'SUCCESS' | 'FAIL'; url?: string },
    ): Promise<DeliveryResult>;
    /** Completes a settlement and delivers its callback. */
    completeSettle(outSettleNo: string, opts?: { url?: string }): Promise<DeliveryResult>;
    /**
     * Trade system: the user starts a refund in the app. The platform files it, sends the signed refund
     * application (`pre_create_refund`) until the app answers its `out_refund_no` (every 10 minutes for
     * 72 hours), waits for the app's audit (`refund_audit_callback`) — approving it when 72 hours pass —
     * and completes an approved refund with the result callback carrying the app's number. A denied one
     * stays denied. Resolves when the refund is finished; every wait is scaled by `timeScale`.
     */
    userRefund(outOrderNo: string, opts?: UserRefundOptions): Promise<UserRefundResult>;
    /** Orders as the platform sees them, by out_order_no. */
    order(outOrderNo: string): Record<string, unknown> | undefined;
  };
  readonly tiktok: {
    /** Adds an order the Open API will serve; returns its id. */
    addOrder(order: SimTikTokOrderInput): string;
    order(orderId: string): Record<string, unknown> | undefined;
    /** Shipping updates received for an order/package (tracking numbers, providers). */
    shipments(orderId: string): Record<string, unknown>[];
    /** Sends a signed webhook to `tiktok.webhookUrl` (or `url`) with TikTok's retry schedule. */
    sendWebhook(
      type: number,
      data: Record<string, unknown>,
      opts?: { url?: string; duplicates?: number },
    ): Promise<DeliveryResult>;
  };
  readonly algovoi: {
    /** Marks a checkout paid and sends the signed gateway webhook. */
    pay(token: string, opts?: { txId?: string; url?: string; duplicates?: number }): Promise<DeliveryResult>;
    checkout(token: string): Record<string, unknown> | undefined;
  };
  /** Add a fault rule; returns a function that removes it. */
  fault(rule: FaultRule): () => void;
  clearFaults(): void;
  readonly log: readonly SimLogEntry[];
  close(): Promise<void>;
}
