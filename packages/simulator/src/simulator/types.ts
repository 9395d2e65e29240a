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
 *   POST /order/202309/orders/search                   (Search Orders: page_size, page_token, sort_*)
 *   GET  /authorization/202309/shops                   (Get Authorized Shops: no shop_cipher)
 *   POST /return_refund/202309/cancellations/search, …/{cancel_id}/approve, …/{cancel_id}/reject
 *   POST /fulfillment/202309/packages/{package_id}/ship  (handover_method optional)
 *   POST /fulfillment/202309/orders/{order_id}/packages
 *   POST /fulfillment/202309/orders/{order_id}/shipping_info/update
 *   GET  /api/v2/token/get, GET /api/v2/token/refresh  (unsigned)
 *   → HTTP 200 `{code, message, request_id, data}`; success only when `code: 0` (bad sign 106001,
 *     timestamp out of window 36009004, expired access token 105002).
 * AlgoVoi gateway:
 *   POST /v1/payment-links (Bearer + X-Tenant-Id), GET /checkout/{token}/status (the state),
 *   GET /checkout/{token} (the buyer's hosted page); webhooks `X-AlgoVoi-Signature: t=,v1=,v2=`
 * Control (for tests and the CLI; not a platform API):
 *   POST /_sim/douyin/pay {out_order_no}, POST /_sim/douyin/cancel {out_order_no},
 *   POST /_sim/douyin/user-refund {out_order_no}, POST /_sim/algovoi/pay {token},
 *   POST /_sim/tiktok/webhook {type, data},
 *   POST /_sim/faults {...FaultRule}, GET /_sim/log
 *   Every path that is not a platform API answers only this machine (by the socket's address), under a
 *   loopback Host name and the simulator's port; a control (not GET/HEAD) must be
 *   `Content-Type: application/json` and, if it has an Origin, come from the simulator's own
 *   (access/developer-routes-guard.ts).
 */
export interface SimulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /**
   * The address to listen on. Default `127.0.0.1`; any other loopback address (`::1`, `localhost`) is
   * fine, anything else is refused (`UNSAFE_HOST`) unless `unsafeAllowNetworkAccess`.
   */
  host?: string;
  /**
   * Unsafe: lets the simulator listen on a non-loopback `host`, so other machines reach its platform
   * APIs, and take control requests from other machines under the bound address or an `allowedHosts`
   * name. Anyone who can reach it can then pay orders and send correctly signed callbacks (the demo
   * credentials are public) to the app under test. For a simulator in a container or VM only. Without
   * it, controls answer peers on this machine only (by the socket's address, never the Host header).
   */
  unsafeAllowNetworkAccess?: boolean;
  /**
   * Host names (as in the Host header, without the port) under which the controls, the log and the
   * dashboard answer, beside 127.0.0.1, localhost and [::1] (which answer this machine only): e.g. a
   * container's service name. Protects against DNS rebinding: every other name is refused (403).
   */
  allowedHosts?: string[];
  /**
   * Unsafe: start even with NODE_ENV=production (refused otherwise: `PRODUCTION_ENV`). A process that
   * runs with production settings may hold real credentials and real traffic; a fake payment platform
   * does not belong there. For a test harness that must set NODE_ENV=production.
   */
  unsafeAllowProduction?: boolean;
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
  /** Every credential defaults to `demoCredentials` from @ttpay/testing. */
}

/** The outcome of delivering one callback/webhook with the platform's retry schedule. */
export interface DeliveryResult {
  url: string;
  attempts: number;
  acknowledged: boolean;
  /**
   * Status and body of each attempt, in order. Status 0: no HTTP reply; `error` then names why
   * (`ECONNREFUSED`, `ECONNRESET`, `TIMEOUT`, …) and `body` says it in words.
   */
  responses: { status: number; body: string; error?: string }[];
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
  /**
   * The result callback of the approved refund is lost on every attempt: the platform knows the refund
   * succeeded, the app never hears of it (only `refund_query/` tells). Default false.
   */
  loseResultCallback?: boolean;
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
  /**
   * Default `AWAITING_SHIPMENT`: the buyer has paid at TikTok's checkout (`paid_time` set). `UNPAID`: not
   * yet — `sim.tiktok.pay(id)` is the buyer paying.
   */
  status?: string;
  /**
   * Default `TIKTOK` (TikTok's carriers; ship with an optional handover method). `SELLER`: the seller ships with a
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
    /**
     * Completes a refund created via create_refund / refund_create and delivers its callback
     * (`loseCallbacks`: every attempt is lost, and only a query finds the refund's outcome).
     */
    completeRefund(
      outRefundNo: string,
      opts?: { status?: 'SUCCESS' | 'FAIL'; url?: string; loseCallbacks?: boolean },
    ): Promise<DeliveryResult>;
    /** Completes a settlement and delivers its callback (`loseCallbacks` as for refunds). */
    completeSettle(
      outSettleNo: string,
      opts?: { url?: string; loseCallbacks?: boolean },
    ): Promise<DeliveryResult>;
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
    /**
     * The buyer pays an `UNPAID` order at TikTok's checkout — no payment gateway involved: it becomes
     * `AWAITING_SHIPMENT` with `paid_time`, and the type-1 webhook announces it. `loseWebhook`: the payment
     * happens, the webhook never arrives (`attempts: 0`) — what a backfill has to find.
     */
    pay(
      orderId: string,
      opts?: { url?: string; duplicates?: number; loseWebhook?: boolean },
    ): Promise<DeliveryResult>;
    /**
     * The buyer asks to cancel a paid, unshipped order: a `CANCELLATION_REQUEST_PENDING` request the
     * seller must approve or reject (Approve/Reject Cancellation), announced by the type-11 webhook.
     */
    requestCancellation(
      orderId: string,
      opts?: { reason?: string; url?: string; loseWebhook?: boolean },
    ): Promise<{ cancel_id: string; delivery: DeliveryResult }>;
    /** A cancellation as Search Cancellations shows it (plus the seller's `reject_reason`, if rejected). */
    cancellation(cancelId: string): Record<string, unknown> | undefined;
    /** Every access token issued so far expires now: the next API call is answered 105002. */
    expireAccessTokens(): void;
  };
  readonly algovoi: {
    /**
     * Marks a checkout paid and sends the gateway's `payment.confirmed` webhook, signed as its published
     * verifier defines (`t=,v1=,v2=`), with `data.tx_id`, `payment_link_token`, `payment_link_label`.
     * `loseWebhook`: paid, but no webhook arrives (`attempts: 0`).
     */
    pay(
      token: string,
      opts?: { txId?: string; url?: string; duplicates?: number; loseWebhook?: boolean },
    ): Promise<DeliveryResult>;
    checkout(token: string): Record<string, unknown> | undefined;
    /** Every link created so far (to find one by its `label`, as a shop must after a lost create answer). */
    checkouts(): Record<string, unknown>[];
  };
  /** Add a fault rule; returns a function that removes it. */
  fault(rule: FaultRule): () => void;
  clearFaults(): void;
  readonly log: readonly SimLogEntry[];
  close(): Promise<void>;
}
