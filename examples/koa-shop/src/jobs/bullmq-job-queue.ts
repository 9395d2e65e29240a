import {
  type RedisOptions as BullMqConnectionOptions,
  type Job,
  Queue,
  UnrecoverableError,
  Worker,
} from 'bullmq';
import type { RedisOptions } from 'ioredis';
import {
  describeError,
  isPermanentJobError,
  type JobHandler,
  type JobLogger,
  type JobMap,
  type JobOptions,
  type JobQueue,
} from './job-queue.js';

export interface BullMqJobQueueOptions {
  /** `redis://…` / `rediss://…`. The queue opens its own connections and closes them in `close()`. */
  url: string;
  /**
   * BullMQ's key prefix: every key is `<prefix>:<queueName>:…`. Default `koa-shop:jobs`. Instances that
   * share work share it; give every app, environment (and test run) its own. On Redis Cluster wrap it in
   * braces (`{koa-shop:jobs}`) so one queue's keys share a hash slot.
   */
  prefix?: string;
  /** Default `shop-jobs`. */
  queueName?: string;
  /** Default attempts per job (the first included), unless `enqueue` says otherwise. Default 8. */
  attempts?: number;
  /** Exponential backoff: the retry after failed attempt n waits `backoffDelayMs · 2^(n-1)`. Default 200. */
  backoffDelayMs?: number;
  /** Attempts this instance's worker runs at once. Default 8. */
  concurrency?: number;
  /** How long `close()` lets running attempts finish before aborting their signal. Default 10 s. */
  drainTimeoutMs?: number;
  /** How long `enqueue` waits for Redis before it rejects (the webhook is then not acknowledged). Default 2 s. */
  enqueueTimeoutMs?: number;
  /**
   * The job lock (renewed at half-time while the attempt runs). When an instance dies mid-attempt, another
   * instance's worker takes the job again once the lock expired and its stalled check ran. Default 30 s.
   */
  lockDurationMs?: number;
  /**
   * How often a worker looks for jobs whose lock expired (a crashed instance). Default 30 s. Use the same
   * value (and `lockDurationMs`) on every instance of a prefix: BullMQ runs one stalled check per
   * interval for the whole queue, throttled with the interval of whichever worker checked last.
   */
  stalledIntervalMs?: number;
  /** How often `idle()` asks Redis for the job counts. Default 25 ms. */
  idlePollMs?: number;
  /** More ioredis options for every connection (TLS, username, password…). */
  redisOptions?: RedisOptions;
  logger?: JobLogger;
}

/** The states in which a job still has work ahead of it. */
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
export type PendingJobCounts = Record<(typeof PENDING_STATES)[number], number>;

/**
 * How often a job may lose its worker mid-attempt (a crashed instance: its lock expired) and still be
 * taken up again; one more and BullMQ fails it ("job stalled more than allowable limit"). BullMQ's
 * default is 1; the jobs are idempotent, so a second or third crash is worth another run.
 */
const MAX_STALLED_COUNT = 3;
const SHUTDOWN_ABORT_REASON = 'The job queue closed before this attempt finished.';
/** After the drain timeout: how long a closing connection may take before it is cut. */
const CLOSE_GRACE_MS = 2_000;
const OUTAGE_LOG_INTERVAL_MS = 10_000;
/** Counting what is left at shutdown is a courtesy: never worth a long wait. */
const LEFTOVER_COUNT_TIMEOUT_MS = 500;

const silent: JobLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The shop's jobs on Redis, with BullMQ — what `createShop` uses when `REDIS_URL` is set.
 *
 * - **Jobs survive a restart**: they live in Redis; a job waiting for its retry when this process stops
 *   is run by the next worker on the same prefix — another instance, or this one restarted.
 * - **One worker per job across instances**: BullMQ moves a job to `active` atomically and holds a lock
 *   on it while the attempt runs; a worker that died mid-attempt loses the lock and another takes over.
 * - **Retries** with exponential backoff, `attempts` in total; a `PermanentJobError` is BullMQ's
 *   `UnrecoverableError`: the job fails at once.
 * - **De-duplication as `InProcessJobQueue` does it**: the BullMQ job id is derived from the job name and
 *   `jobId`, and BullMQ ignores an add whose id exists. Jobs are removed from Redis as soon as they
 *   complete or fail for good (`removeOnComplete`, `removeOnFail`), so the id de-duplicates exactly
 *   while the job is queued, running or waiting to retry — and a redelivered webhook can enqueue a job
 *   that failed for good again. (The logs are the record of finished jobs; nothing stays in Redis.)
 *
 * Connections: one for enqueueing and counts (`maxRetriesPerRequest: 1`, so a Redis outage fails an
 * enqueue quickly and the webhook is retried), and the worker's own two (`maxRetriesPerRequest: null`, as
 * BullMQ requires for its blocking fetch).
 */
export class BullMqJobQueue<Jobs extends JobMap = JobMap> implements JobQueue<Jobs> {
  readonly prefix: string;
  readonly queueName: string;
  readonly #handlers = new Map<string, JobHandler<unknown>>();
  readonly #queue: Queue<unknown, void, string>;
  readonly #connection: BullMqConnectionOptions;
  readonly #attempts: number;
  readonly #backoffDelayMs: number;
  readonly #concurrency: number;
  readonly #drainTimeoutMs: number;
  readonly #enqueueTimeoutMs: number;
  readonly #lockDurationMs: number;
  readonly #stalledIntervalMs: number;
  readonly #idlePollMs: number;
  readonly #logger: JobLogger;
  /** Handed to a handler if BullMQ passed no signal (it always does for a three-parameter processor). */
  readonly #fallbackAbort = new AbortController();
  #worker: Worker<unknown, void, string> | undefined;
  #closing: Promise<void> | undefined;
  #lastOutageLog = 0;
  #suppressedErrors = 0;

  constructor(opts: BullMqJobQueueOptions) {
    if (typeof opts.url !== 'string' || opts.url === '') {
      throw new Error('BullMqJobQueue: `url` must be a redis:// URL (e.g. process.env.REDIS_URL).');
    }
    this.prefix = opts.prefix ?? 'koa-shop:jobs';
    this.queueName = opts.queueName ?? 'shop-jobs';
    this.#attempts = positiveInteger(opts.attempts ?? 8, 'attempts');
    this.#backoffDelayMs = positiveInteger(opts.backoffDelayMs ?? 200, 'backoffDelayMs');
    this.#concurrency = positiveInteger(opts.concurrency ?? 8, 'concurrency');
    this.#drainTimeoutMs = positiveInteger(opts.drainTimeoutMs ?? 10_000, 'drainTimeoutMs');
    this.#enqueueTimeoutMs = positiveInteger(opts.enqueueTimeoutMs ?? 2_000, 'enqueueTimeoutMs');
    this.#lockDurationMs = positiveInteger(opts.lockDurationMs ?? 30_000, 'lockDurationMs');
    this.#stalledIntervalMs = positiveInteger(opts.stalledIntervalMs ?? 30_000, 'stalledIntervalMs');
    this.#idlePollMs = positiveInteger(opts.idlePollMs ?? 25, 'idlePollMs');
    this.#logger = opts.logger ?? silent;
    this.#connection = {
      ...opts.redisOptions,
      // Back soon after Redis returns (BullMQ's own default waits at least 1 s, up to 20 s). Always
      // reconnecting: the worker must come back by itself after an outage.
      retryStrategy:
        opts.redisOptions?.retryStrategy ??
        ((attempt: number): number => Math.min(100 * 2 ** (attempt - 1), 2_000)),
      url: opts.url,
    };
    this.#queue = new Queue<unknown, void, string>(this.queueName, {
      connection: { ...this.#connection, maxRetriesPerRequest: 1 },
      prefix: this.prefix,
    });
    this.#queue.on('error', (error) => this.#reportOutage('queue', error));
  }

  register<N extends keyof Jobs & string>(name: N, handler: JobHandler<Jobs[N]>): void {
    if (this.#worker)
      throw new Error(`Register job "${name}" before start(): the worker takes jobs already.`);
    if (this.#handlers.has(name)) throw new Error(`A handler for job "${name}" is registered already.`);
    this.#handlers.set(name, handler as JobHandler<unknown>);
  }

  /** Starts this instance's worker: from now on it takes jobs from Redis, whoever enqueued them. */
  start(): void {
    if (this.#closing) throw new Error('The job queue is closed: the process is shutting down.');
    if (this.#worker) return;
    // Three parameters: BullMQ passes an AbortSignal only to a processor that declares one.
    const worker = new Worker<unknown, void, string>(
      this.queueName,
      (job, _token, signal) => this.#process(job, signal),
      {
        connection: { ...this.#connection, maxRetriesPerRequest: null },
        prefix: this.prefix,
        autorun: false,
        concurrency: this.#concurrency,
        lockDuration: this.#lockDurationMs,
        stalledInterval: this.#stalledIntervalMs,
        maxStalledCount: MAX_STALLED_COUNT,
      },
    );
    worker.on('error', (error) => this.#reportOutage('worker', error));
    worker.on('stalled', (jobId) =>
      this.#logger.warn(
        { id: jobId },
        'job stalled: the worker running it stopped renewing its lock (crashed?); it runs again',
      ),
    );
    this.#worker = worker;
    worker.run().catch((error: unknown) => {
      this.#logger.error({ error: describeError(error) }, 'the BullMQ worker stopped');
    });
  }

  /**
   * Adds the job to Redis, unless a job with the same name and `jobId` is queued, running or waiting to
   * retry. Rejects when Redis has not taken it within `enqueueTimeoutMs` (the caller's webhook is then
   * not acknowledged and comes back; an add that lands late is harmless, the id de-duplicates).
   */
  async enqueue<N extends keyof Jobs & string>(name: N, data: Jobs[N], opts: JobOptions): Promise<void> {
    if (this.#closing) throw new Error('The job queue is closed: the process is shutting down.');
    if (!this.#handlers.has(name)) throw new Error(`No handler registered for job "${name}".`);
    if (typeof opts.jobId !== 'string' || opts.jobId === '')
      throw new Error('jobId must be a non-empty string.');
    const attempts = positiveInteger(opts.attempts ?? this.#attempts, 'attempts');
    const id = bullMqJobId(name, opts.jobId);
    const adding = this.#queue.add(name, data, {
      jobId: id,
      attempts,
      backoff: { type: 'exponential', delay: this.#backoffDelayMs },
      removeOnComplete: true,
      removeOnFail: true,
    });
    await within(
      adding,
      this.#enqueueTimeoutMs,
      () =>
        new Error(
          `Redis did not take job "${name}" within ${this.#enqueueTimeoutMs} ms (enqueueTimeoutMs); the caller should fail so its webhook is delivered again`,
        ),
    );
    this.#logger.debug({ job: name, id }, 'job enqueued (or queued already)');
  }

  /** How many jobs of this queue — every instance's — are still ahead of their end. */
  async counts(): Promise<PendingJobCounts> {
    const counts = await this.#queue.getJobCounts(...PENDING_STATES);
    const result = {} as PendingJobCounts;
    for (const state of PENDING_STATES) result[state] = counts[state] ?? 0;
    return result;
  }

  /**
   * Resolves when the queue — shared by every instance on this prefix — has no job waiting, running or
   * delayed for a retry (tests, the demo). Once `close()` was called it resolves at once: the jobs left
   * are the next worker's.
   */
  async idle(): Promise<void> {
    while (!this.#closing) {
      const counts = await this.counts();
      if (Object.values(counts).every((n) => n === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, this.#idlePollMs));
    }
  }

  /**
   * Stops taking jobs and lets running attempts finish (after `drainTimeoutMs` their signal is aborted;
   * an aborted attempt counts as failed and is retried later, by whichever worker is up). Jobs waiting or
   * delayed stay in Redis for the next worker. Then closes the connections.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const worker = this.#worker;
    if (worker) {
      const abort = setTimeout(() => {
        this.#logger.warn(
          { drainTimeoutMs: this.#drainTimeoutMs },
          'job attempts still running at the drain deadline: aborting them (they are retried later)',
        );
        worker.cancelAllJobs(SHUTDOWN_ABORT_REASON);
        this.#fallbackAbort.abort(new Error(SHUTDOWN_ABORT_REASON));
      }, this.#drainTimeoutMs);
      const closed = await settlesWithin(worker.close(), this.#drainTimeoutMs + CLOSE_GRACE_MS);
      clearTimeout(abort);
      if (!closed) {
        this.#logger.error({}, 'the BullMQ worker did not close in time: disconnecting it');
        await worker.disconnect().catch(() => {});
      }
    }
    await this.#reportLeftovers();
    if (!(await settlesWithin(this.#queue.close(), CLOSE_GRACE_MS))) {
      await this.#queue.disconnect().catch(() => {});
    }
  }

  async #process(job: Job<unknown, void, string>, signal: AbortSignal | undefined): Promise<void> {
    // attemptsStarted counts a run cut short by a crash too: a handler told "attempt > 1" checks first
    // whether an earlier attempt did the work after all.
    const attempt = Math.max(1, job.attemptsStarted, job.attemptsMade + 1);
    const attempts = job.opts.attempts ?? 1;
    const info = { job: job.name, id: job.id, attempt, attempts };
    const handler = this.#handlers.get(job.name);
    if (!handler) {
      // Another version of the app enqueued it (a rolling deploy): a retry may reach an instance that knows it.
      this.#logger.error(info, 'no handler registered for this job in this instance');
      throw new Error(`No handler registered for job "${job.name}" in this instance.`);
    }
    try {
      await handler(job.data, { attempt, signal: signal ?? this.#fallbackAbort.signal });
    } catch (error) {
      const details = { ...info, error: describeError(error) };
      if (isPermanentJobError(error)) {
        this.#logger.error(details, 'job failed permanently; not retried');
        throw new UnrecoverableError(error.message);
      }
      if (job.attemptsMade + 1 >= attempts) {
        this.#logger.error(details, 'job failed for good; a redelivered webhook enqueues it again');
      } else {
        const retryInMs = this.#backoffDelayMs * 2 ** job.attemptsMade;
        this.#logger.warn({ ...details, retryInMs }, 'job failed; retrying');
      }
      throw error;
    }
    this.#logger.debug(info, 'job done');
  }

  async #reportLeftovers(): Promise<void> {
    try {
      const counts = await within(this.counts(), LEFTOVER_COUNT_TIMEOUT_MS, () => new Error('timed out'));
      const left = counts.waiting + counts.delayed + counts.prioritized;
      if (left > 0) {
        this.#logger.info(
          { waiting: counts.waiting + counts.prioritized, delayed: counts.delayed },
          'jobs left in Redis: the next worker on this prefix runs them (another instance, or this one restarted)',
        );
      }
    } catch {
      // Redis is away: nothing to report, and nothing is lost (the jobs are in Redis, or never got there).
    }
  }

  /** BullMQ reports every failed reconnect: one line per outage, with how many were left out. */
  #reportOutage(source: 'queue' | 'worker', error: Error): void {
    const now = Date.now();
    if (now - this.#lastOutageLog < OUTAGE_LOG_INTERVAL_MS) {
      this.#suppressedErrors++;
      return;
    }
    this.#logger.warn(
      { source, error: describeError(error), suppressed: this.#suppressedErrors },
      'job queue: Redis error; BullMQ reconnects by itself, jobs wait in Redis meanwhile',
    );
    this.#lastOutageLog = now;
    this.#suppressedErrors = 0;
  }
}

/**
 * BullMQ refuses custom ids containing `:` or looking like integers; both parts are URI-encoded (no `:`
 * or `/` left) and joined with `/`, so distinct (name, jobId) pairs never collide.
 */
export function bullMqJobId(name: string, jobId: string): string {
  return `${encodeURIComponent(name)}/${encodeURIComponent(jobId)}`;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`BullMqJobQueue: \`${name}\` must be a positive integer (got ${String(value)}).`);
  }
  return value;
}

/** `promise`, or a rejection with `timeout()` once `ms` passed (a late rejection is swallowed). */
function within<T>(promise: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Whether `promise` settled (either way) within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([settled, timedOut]);
  clearTimeout(timer);
  return result;
}
