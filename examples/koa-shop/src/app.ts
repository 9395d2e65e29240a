import type { Server } from 'node:http';
import Router from '@koa/router';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '@ttpay/koa';
import Koa from 'koa';
import { createClients, type ShopClients } from './clients.js';
import { demoDefaultsWarning, type ShopConfig } from './config.js';
import { openDatabase, type ShopDatabase } from './db/database.js';
import { algovoiEventHandler } from './handlers/algovoi-events.js';
import { douyinEventHandlers } from './handlers/douyin-events.js';
import { tiktokEventHandlers } from './handlers/tiktok-events.js';
import { unstorableIsAnAnomaly } from './handlers/unstorable-events.js';
import { accessLog } from './http/access-log.js';
import { errorReplies } from './http/error-replies.js';
import { closeGracefully, type Listening, listen } from './http/http-server.js';
import { createIdempotencyStore, type ShopIdempotencyStore } from './idempotency-store.js';
import { answerTikTokCancellationJob } from './jobs/answer-tiktok-cancellation-job.js';
import { auditDouyinRefundJob } from './jobs/audit-douyin-refund-job.js';
import { backfillTikTokOrders } from './jobs/backfill-tiktok-orders.js';
import { confirmAlgoVoiSettlementJob } from './jobs/confirm-algovoi-settlement-job.js';
import { reconcilePaymentsJob } from './jobs/reconcile-payments-job.js';
import { refreshTikTokTokenJob } from './jobs/refresh-tiktok-token-job.js';
import { settleDouyinOrderJob } from './jobs/settle-douyin-order-job.js';
import { shipTikTokOrderJob } from './jobs/ship-tiktok-order-job.js';
import { describeError, type Jobs, startJobs } from './jobs/shop-jobs.js';
import { createLogger, type Logger } from './logger.js';
import type { InTransaction, OrderRepository } from './orders/order-repository.js';
import { SqlOrderRepository } from './orders/sql-order-repository.js';
import { douyinOrderRoutes } from './routes/douyin-orders.js';
import { eventsRoutes } from './routes/events.js';
import { type HealthState, healthRoutes } from './routes/health.js';
import { ordersRoutes } from './routes/orders.js';
import { tiktokOrderRoutes } from './routes/tiktok-orders.js';

/**
 * Platform queries one reconciliation run makes, shared by open payments, refunds and settlements (each
 * at least a third, the next ones of its rotation).
 */
const RECONCILE_MAX_QUERIES = 20;

/**
 * How long a handled Douyin callback's key is kept: the Douyin endpoint's default, beyond the trade
 * system's 73-hour `Byte-Timestamp` window (docs/PROTOCOLS.md §2.3). Reconciliation keeps its keys as long.
 */
const DOUYIN_DONE_TTL_MS = 74 * 3_600_000;

/**
 * How far back the TikTok backfill looks, by update time: two days — more than TikTok's ~15.5 h of
 * webhook retries (docs/PROTOCOLS.md §3.1), so a pass after an outage that long still finds what was lost.
 */
const TIKTOK_BACKFILL_LOOKBACK_SECONDS = 2 * 86_400;

/** The largest webhook body the shop reads (SECURITY.md, "Body bombs"). */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

/** At most one "connections dropped" warning per this many milliseconds, with the count since the last. */
const DROP_WARNING_INTERVAL_MS = 10_000;

/**
 * What the shop is built from; each defaults from the config (DATABASE_URL or the embedded PGlite: the
 * orders, the idempotency store and the jobs, all in one database). A database passed in is the
 * caller's: `stop()` leaves it open.
 */
export interface ShopDeps {
  logger?: Logger;
  database?: ShopDatabase;
  /** Default: `SqlOrderRepository` on the database. */
  orders?: OrderRepository;
  idempotency?: ShopIdempotencyStore;
  clients?: ShopClients;
  /** How long `stop()` waits for in-flight requests before cutting connections. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** How often an idle job worker looks for work (tests: 0.5). Default 1 s. */
  jobPollSeconds?: number;
  /** false: this instance adds jobs but runs none (another instance's workers do). Default true. */
  runJobs?: boolean;
}

export interface Shop {
  readonly app: Koa;
  readonly config: ShopConfig;
  readonly logger: Logger;
  readonly clients: ShopClients;
  readonly orders: OrderRepository;
  readonly database: ShopDatabase;
  readonly jobs: Jobs;
  readonly idempotency: ShopIdempotencyStore;
  /**
   * One reconciliation run now (the repeating job does it every RECONCILE_EVERY_MS), from the start of
   * the rotations: asks Douyin about orders unpaid, and refunds and settlements in progress, for longer
   * than `afterMs` (default RECONCILE_AFTER_MS) and applies what it says, then backfills TikTok orders updated in the last `tiktokLookbackSeconds`
   * (default two days) whose webhooks may have been lost. Rejects if the backfill failed.
   */
  reconcile(options?: { afterMs?: number; tiktokLookbackSeconds?: number }): Promise<void>;
  /** Listens on `config.port` (0: a free port); `host` default: every interface. */
  start(options?: { host?: string }): Promise<{ url: string; port: number }>;
  /**
   * Graceful shutdown: stop accepting connections, finish in-flight requests (bounded), drain and close
   * the job queue, close the idempotency store and the database it opened. Safe to call more than once.
   */
  stop(): Promise<void>;
}

/**
 * The shop, as `pnpm start`, `pnpm demo` and the tests build it: opens the database (and migrates it),
 * the idempotency store beside it, the clients and the job queue, and mounts the routes.
 */
export async function createShop(config: ShopConfig, deps: ShopDeps = {}): Promise<Shop> {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const warning = demoDefaultsWarning(config);
  if (warning) logger.warn({ variables: config.demoDefaults }, warning);

  const clients = deps.clients ?? createClients(config, logger);
  const ownsDatabase = deps.database === undefined;
  const database =
    deps.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, logger));
  let idempotency: ShopIdempotencyStore;
  try {
    idempotency = deps.idempotency ?? (await createIdempotencyStore(database, logger));
  } catch (error) {
    if (ownsDatabase) await database.close().catch(() => {});
    throw error;
  }
  const sqlOrders = new SqlOrderRepository(database.sql);
  const orders = deps.orders ?? sqlOrders;
  const { tiktok, algovoi } = clients;
  // A job's order change and the jobs it adds, in one transaction (as a webhook handler's are).
  const transaction: InTransaction = (work) => database.sql.transaction((tx) => work({ payment: { tx } }));
  // Jobs that add jobs get `add` from startJobs before any job runs.
  let addJob: Jobs['add'] | undefined;
  const later: Pick<Jobs, 'add'> = {
    add(...args) {
      if (!addJob) throw new Error('The jobs have not started.');
      return addJob(...args);
    },
  };
  const backfill = backfillTikTokOrders({
    orders,
    tiktok,
    jobs: later,
    transaction,
    logger,
    lookbackSeconds: TIKTOK_BACKFILL_LOOKBACK_SECONDS,
  });
  const douyinHandlers = douyinEventHandlers({ orders, logger });
  const reconcile = (afterMs: number) =>
    reconcilePaymentsJob({
      orders: {
        openPayments: sqlOrders.openPayments.bind(sqlOrders),
        inProgress: sqlOrders.inProgress.bind(sqlOrders),
        update: orders.update.bind(orders),
      },
      clients: clients.douyin,
      store: idempotency.store,
      handlers: douyinHandlers,
      appId: config.douyin.appId,
      afterMs,
      maxQueries: RECONCILE_MAX_QUERIES,
      leaseMs: config.leaseMs,
      doneTtlMs: DOUYIN_DONE_TTL_MS,
      backfillTikTok: backfill,
      logger,
    });
  let jobs: Jobs;
  try {
    jobs = await startJobs(
      database,
      (add) => {
        addJob = add;
        return {
          // TikTok orders ship through TikTok; AlgoVoi settles only what an operator marked (PROTOCOLS.md §3.8).
          'ship-tiktok-order': shipTikTokOrderJob({ orders, tiktok, logger }),
          'confirm-algovoi-settlement': confirmAlgoVoiSettlementJob({
            orders,
            algovoi,
            jobs: later,
            transaction,
            logger,
          }),
          'answer-tiktok-cancellation': answerTikTokCancellationJob({ orders, tiktok, logger }),
          'refresh-tiktok-token': refreshTikTokTokenJob({ orders, tiktok, logger }),
          'audit-douyin-refund': auditDouyinRefundJob({ orders, trade: clients.douyin.trade, logger }),
          'settle-douyin-order': settleDouyinOrderJob({ orders, clients: clients.douyin, logger }),
          'reconcile-payments': reconcile(config.reconcile.afterMs),
          'purge-idempotency': async () => {
            const purged = (await idempotency.store.purgeExpired?.()) ?? 0;
            logger.info({ purged }, 'expired idempotency keys purged');
          },
        };
      },
      {
        reconcileEveryMs: config.reconcile.everyMs,
        logger,
        work: deps.runJobs ?? true,
        ...(deps.jobPollSeconds ? { pollSeconds: deps.jobPollSeconds } : {}),
      },
    );
  } catch (error) {
    await idempotency.close().catch(() => {});
    if (ownsDatabase) await database.close().catch(() => {});
    throw error;
  }

  const health: HealthState = { stopping: false, store: idempotency.kind, startedAt: Date.now() };
  // One de-duplication store for the three endpoints; ttpay logs keys, types and codes, never secrets.
  // 64 KiB bodies: the platforms send a few KiB, and a 1 MiB body of nested brackets costs ~100 ms of
  // CPU to parse before it can be refused; 64 KiB costs a few ms, and anything larger is 413 unread.
  const delivery = {
    store: idempotency.store,
    claimTtlMs: config.leaseMs,
    logger: logger.child({ component: 'ttpay' }),
    limit: WEBHOOK_BODY_LIMIT,
  };

  // Webhook routes come before anything that reads a body: ttpay verifies the raw bytes itself.
  const webhooks = new Router();
  webhooks.post(
    '/douyin/notify',
    douyinCallbacks({
      // ecpay: SHA-1 over the body. Every Token that signed orders still refundable or settleable: their
      // refund and settlement callbacks come ecpay-signed, also when started through the trade system
      // (docs/PROTOCOLS.md §2.4). DOUYIN_TOKEN=new,old during a rotation.
      token: config.douyin.tokens,
      platformPublicKey: config.douyin.platformPublicKey, // trade system: RSA over headers and body
      appId: config.douyin.appId, // a callback signed for another mini-program: 400 APP_ID_MISMATCH
      ...delivery,
      doneTtlMs: DOUYIN_DONE_TTL_MS,
      ...unstorableIsAnAnomaly(douyinHandlers, orders, logger),
    }),
  );
  webhooks.post(
    '/tiktok/webhook',
    tikTokWebhooks({
      appKey: config.tiktok.appKey,
      appSecret: config.tiktok.appSecrets,
      ...delivery,
      ...unstorableIsAnAnomaly(tiktokEventHandlers({ orders, jobs, logger }), orders, logger),
    }),
  );
  webhooks.post(
    '/algovoi/webhook',
    algoVoiWebhooks({
      secret: config.algovoi.webhookSecrets,
      ...delivery,
      onEvent: unstorableIsAnAnomaly(
        { onEvent: algovoiEventHandler({ orders, jobs, logger }) },
        orders,
        logger,
      ).onEvent,
    }),
  );

  const api = new Router();
  ordersRoutes(api, { orders, database, clients, config, logger });
  tiktokOrderRoutes(api, { orders, clients, jobs, config, logger });
  douyinOrderRoutes(api, { orders, jobs, transaction, config, logger });
  if (!config.production) eventsRoutes(api, { orders });
  healthRoutes(api, health);

  const app = new Koa();
  app.silent = true; // errorReplies answers every error, and accessLog logs the unexpected ones
  app.use(accessLog(logger));
  app.use(errorReplies());
  app.use(async function closeConnectionsWhileStopping(ctx, next) {
    await next();
    // Keep-alive clients reconnect elsewhere instead of holding this instance open.
    if (health.stopping) ctx.set('Connection', 'close');
  });
  app.use(webhooks.routes()).use(webhooks.allowedMethods());
  app.use(api.routes()).use(api.allowedMethods());

  let listening: Listening | undefined;
  let stopping: Promise<void> | undefined;
  const shutdownTimeoutMs = deps.shutdownTimeoutMs ?? 10_000;

  return {
    app,
    config,
    logger,
    clients,
    orders,
    database,
    jobs,
    idempotency,

    async reconcile(options = {}) {
      await reconcile(options.afterMs ?? config.reconcile.afterMs)({}, undefined, {
        tiktokLookbackSeconds: options.tiktokLookbackSeconds ?? TIKTOK_BACKFILL_LOOKBACK_SECONDS,
        failOnBackfill: true,
      });
    },

    async start(options = {}) {
      if (listening || stopping) throw new Error('The shop was started already.');
      listening = await listen(app.callback(), config.port, options.host, config.http);
      warnAboutDroppedConnections(listening.server, config.http.maxConnections, logger);
      logger.info(
        { url: listening.url, port: listening.port, store: idempotency.kind, http: config.http },
        'shop listening',
      );
      return { url: listening.url, port: listening.port };
    },

    stop() {
      stopping ??= (async () => {
        health.stopping = true;
        logger.info({}, 'stopping: refusing new connections, finishing in-flight requests');
        if (listening) {
          const { timedOut } = await closeGracefully(listening.server, shutdownTimeoutMs);
          if (timedOut) logger.warn({ shutdownTimeoutMs }, 'requests still running at the deadline were cut');
        }
        await jobs.stop();
        try {
          await idempotency.close();
          if (ownsDatabase) await database.close();
        } catch (error) {
          logger.error(
            { error: describeError(error) },
            'closing the idempotency store or the database failed',
          );
        }
        logger.info({}, 'stopped');
      })();
      return stopping;
    },
  };
}

/** The connection cap at work (a flood, or a cap too low): a warning, not one log line per connection. */
function warnAboutDroppedConnections(server: Server, maxConnections: number, logger: Logger): void {
  let dropped = 0;
  let lastWarning = 0;
  server.on('drop', () => {
    dropped++;
    const now = Date.now();
    if (now - lastWarning < DROP_WARNING_INTERVAL_MS) return;
    lastWarning = now;
    logger.warn(
      { component: 'http', dropped, maxConnections },
      'connection cap reached: new connections are closed (HTTP_MAX_CONNECTIONS)',
    );
    dropped = 0;
  });
}
