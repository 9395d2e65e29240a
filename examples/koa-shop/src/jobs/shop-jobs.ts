import type { ReconcileCursor } from '@ttpay/client';
import PgBoss from 'pg-boss';
import type { ShopDatabase } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Queryable } from '../orders/order-repository.js';

/** Job names and their data: plain JSON, stored in the shop's database. */
export type ShopJobs = {
  /**
   * Ship a TikTok order through TikTok's own flow: a TikTok-shipped package with `shipPackage`, a
   * seller-shipped one with the carrier's tracking number (`selfShipment`, from `POST /orders/:outOrderNo/
   * shipment`). Never waits on a payment gateway — unless the order is held for an outside settlement.
   */
  'ship-tiktok-order': {
    outOrderNo: string;
    selfShipment?: { tracking_number: string; shipping_provider_id: string };
  };
  /** A gateway webhook named this checkout: read `/checkout/{token}/status`; when paid, settle (and ship). */
  'confirm-algovoi-settlement': { outOrderNo: string; token: string; txId?: string };
  /** A buyer asked to cancel (webhook type 11, pending): approve or reject by the shop's rule. */
  'answer-tiktok-cancellation': { outOrderNo: string; orderId: string; cancelId: string };
  /** Webhook type 7, the seller's authorization is expiring: refresh the token, tell a human. */
  'refresh-tiktok-token': { expirationTime?: string };
  /**
   * Ask Douyin about open payments, refunds and settlements (the next ones of a fair rotation per kind:
   * `cursor`), and TikTok about orders updated since the last run (`tiktokUntil`, Unix seconds: where the
   * last TikTok backfill ended). Repeats.
   */
  'reconcile-payments': { cursor?: ReconcileCursor; tiktokUntil?: number };
  /** An operator's audit of a user-started refund (`refund.audit`): sent with `refundAuditCallback`. */
  'audit-douyin-refund': { outOrderNo: string; refundNo: string };
  /** An operator's settlement of a paid Douyin order (`settlements[]`, PROCESSING): settled through Douyin. */
  'settle-douyin-order': { outOrderNo: string; settleNo: string };
  /** Delete the idempotency keys whose lease or done-record ran out. Hourly. */
  'purge-idempotency': Record<string, never>;
};
export type JobName = keyof ShopJobs;

export interface JobContext {
  /** 1 for the first attempt (a run cut short by a crash counts). */
  attempt: number;
  /** Aborted when the shop stops and the attempt is still running. */
  signal: AbortSignal;
}

/** Resolve: done. Throw: tried again later, with backoff. A repeating job resolves to its next run's data. */
export type JobHandlers = {
  [N in JobName]: (
    data: ShopJobs[N],
    context: JobContext,
  ) => Promise<N extends 'reconcile-payments' ? ShopJobs[N] : void>;
};

export interface JobSettings {
  /** How often reconciliation runs; 0 turns it off. */
  reconcileEveryMs: number;
  /** How often an idle worker looks for jobs. Default 1 s (pg-boss polls; 0.5 s at least). */
  pollSeconds?: number;
  /** false: add jobs, run none (an instance that only serves HTTP; other instances' workers run them). */
  work?: boolean;
  logger: Logger;
}

export interface Jobs {
  /**
   * Adds a job inside `tx` — the transaction of the change that causes it (`ctx.payment.tx`) — so the job
   * exists if and only if that change commits. A job of that name and `key` waiting (or retrying) makes
   * this a no-op. Without `tx`, in a statement of its own.
   */
  add<N extends JobName>(tx: Queryable | undefined, name: N, data: ShopJobs[N], key: string): Promise<void>;
  /** Resolves when no follow-up job (ship, confirm, cancellation, token, audit, settle) is waiting, retrying or running. */
  idle(): Promise<void>;
  /** Stops taking jobs; running attempts get `drainMs`, then are failed (and retried by the next worker). */
  stop(drainMs?: number): Promise<void>;
}

/** Retries for the follow-up jobs: 1, 2, 4 … 64 s apart, 8 attempts in all. */
const FOLLOW_UP = {
  policy: 'stately',
  retryLimit: 7,
  retryDelay: 1,
  retryBackoff: true,
  expireInSeconds: 300,
} as const;
/** The jobs that follow a change (a webhook, an operator's action): what `idle()` waits for. */
const FOLLOW_UPS = [
  'ship-tiktok-order',
  'confirm-algovoi-settlement',
  'answer-tiktok-cancellation',
  'refresh-tiktok-token',
  'audit-douyin-refund',
  'settle-douyin-order',
] as const satisfies readonly JobName[];
const QUEUES: Record<JobName, PgBoss.Queue> = {
  ...(Object.fromEntries(FOLLOW_UPS.map((name) => [name, { name, ...FOLLOW_UP }])) as Record<
    (typeof FOLLOW_UPS)[number],
    PgBoss.Queue
  >),
  // One run waiting and one running at most, whichever instance added them.
  'reconcile-payments': {
    name: 'reconcile-payments',
    policy: 'stately',
    retryLimit: 0,
    expireInSeconds: 300,
  },
  'purge-idempotency': { name: 'purge-idempotency', policy: 'stately', retryLimit: 2 },
};

/**
 * The shop's jobs, with pg-boss, in the shop's own database — PostgreSQL, or the embedded PGlite through
 * the same adapter (`executeSql`): one code path. Jobs survive a restart (they are rows), run on one
 * worker at a time across instances (`FOR UPDATE SKIP LOCKED`), and retry with backoff. Reconciliation
 * repeats every `reconcileEveryMs` (each run adds the next, `startAfter`); the purge runs on pg-boss's
 * cron. The tables live in the schema `<current schema>_jobs`.
 */
export async function startJobs(
  database: ShopDatabase,
  /** The handlers, or a function that makes them with `add` (for jobs that add jobs), before any runs. */
  handlersOrFactory: JobHandlers | ((add: Jobs['add']) => JobHandlers),
  settings: JobSettings,
): Promise<Jobs> {
  const log = settings.logger.child({ component: 'jobs' });
  const { rows } = await database.executeSql('SELECT current_schema() AS name');
  const schema = `${(rows[0] as { name: string }).name}_jobs`;
  const boss = new PgBoss({ db: { executeSql: database.executeSql }, schema });
  boss.on('error', (error) => log.warn({ error: error.message }, 'job queue error'));
  await boss.start();
  for (const queue of Object.values(QUEUES)) await boss.createQueue(queue.name, queue);
  const abort = new AbortController();

  const add: Jobs['add'] = async (tx, name, data, key) => {
    const db = tx ? { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) } : undefined;
    await boss.send(name, data, { singletonKey: key, ...(db ? { db } : {}) });
  };

  const handlers = typeof handlersOrFactory === 'function' ? handlersOrFactory(add) : handlersOrFactory;

  const run = async <N extends JobName>(name: N, job: PgBoss.JobWithMetadata<ShopJobs[N]>): Promise<void> => {
    const context = { attempt: job.retryCount + 1, signal: abort.signal };
    try {
      const next = await handlers[name](job.data, context);
      if (name === 'reconcile-payments' && settings.reconcileEveryMs > 0) {
        await boss.send(name, next ?? {}, { startAfter: new Date(Date.now() + settings.reconcileEveryMs) });
      }
    } catch (error) {
      const retrying = job.retryCount < job.retryLimit;
      log[retrying ? 'warn' : 'error'](
        { job: name, id: job.id, attempt: context.attempt, error: describeError(error) },
        retrying ? 'job failed; retrying' : 'job failed for good',
      );
      await boss.fail(name, job.id, describeError(error));
      if (name === 'reconcile-payments' && settings.reconcileEveryMs > 0) {
        await boss.send(name, job.data, { startAfter: new Date(Date.now() + settings.reconcileEveryMs) });
      }
    }
  };
  const pollingIntervalSeconds = settings.pollSeconds ?? 1;
  for (const name of settings.work === false ? [] : (Object.keys(QUEUES) as JobName[])) {
    await boss.work<ShopJobs[typeof name]>(
      name,
      { batchSize: 4, pollingIntervalSeconds, includeMetadata: true },
      // A failed job is failed on its own (boss.fail); pg-boss completes the others of the batch.
      async (jobs) => void (await Promise.all(jobs.map((job) => run(name, job)))),
    );
  }
  if (settings.reconcileEveryMs > 0) await boss.send('reconcile-payments', {}); // a no-op when one is waiting
  await boss.schedule('purge-idempotency', '17 * * * *');

  return {
    add,
    async idle() {
      const pending = `SELECT count(*)::int AS n FROM ${schema}.job WHERE name = ANY($1) AND state < 'completed'`;
      while (!abort.signal.aborted) {
        const { rows } = await database.executeSql(pending, [FOLLOW_UPS]);
        if ((rows[0] as { n: number }).n === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(drainMs = 10_000) {
      const aborting = setTimeout(() => abort.abort(new Error('The shop is stopping.')), drainMs);
      try {
        await boss.stop({ graceful: true, wait: true, timeout: drainMs });
      } finally {
        clearTimeout(aborting);
        abort.abort(new Error('The shop stopped.'));
      }
    },
  };
}

/** Code, status and message of an error, for logs (client errors carry no secrets). */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, status, platformCode } = error as {
    code?: unknown;
    status?: unknown;
    platformCode?: unknown;
  };
  return { name: error.name, message: error.message, code, status, platformCode };
}
