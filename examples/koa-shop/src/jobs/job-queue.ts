/**
 * Follow-up work that must not hold a webhook's reply (TikTok waits 3 s): fetch the TikTok order,
 * create the AlgoVoi link, post the shipping reference. A failed attempt is retried with backoff, so a
 * platform that is down delays a job; it never drops or doubles an event (job ids de-duplicate, and
 * every job step is idempotent).
 *
 * The interface is deliberately small — register, start, enqueue (with a de-duplicating id), idle,
 * close — so the in-process default and the queue on Redis (`BullMqJobQueue`, chosen with REDIS_URL)
 * run the same jobs unchanged.
 */
export interface JobContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the queue shuts down and the attempt is still running after the drain timeout. */
  signal: AbortSignal;
}

/**
 * Resolve: done. Throw: try again later (until `attempts` run out). Throw a `PermanentJobError`: the job
 * cannot succeed however often it is tried, so it ends now without further attempts.
 */
export type JobHandler<T> = (data: T, job: JobContext) => Promise<void>;

/**
 * Thrown by a job handler for a failure no retry can fix (a refused input, a contradiction that needs a
 * human). The queue ends the job at once and logs it as an error; other errors are retried. Queues map
 * it to their own notion (BullMQ: `UnrecoverableError`).
 */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export function isPermanentJobError(value: unknown): value is PermanentJobError {
  return value instanceof PermanentJobError;
}

export interface JobOptions {
  /**
   * De-duplication: while a job with this id (per job name) is queued, running or waiting to retry,
   * enqueueing it again does nothing. Derive it from the natural key of what the job acts on.
   */
  jobId: string;
  /** Attempts in total, including the first. Default 8. */
  attempts?: number;
}

/** Job name → the type of its data (plain JSON: a queue on Redis serialises it). */
export type JobMap = Record<string, unknown>;

export interface JobQueue<Jobs extends JobMap = JobMap> {
  /** Before `start()`: the handler of every job of this name that this instance runs. */
  register<N extends keyof Jobs & string>(name: N, handler: JobHandler<Jobs[N]>): void;
  /**
   * Begins running jobs, once every handler is registered. A queue on Redis may hold jobs enqueued
   * before a restart (or by another instance): it must not take one before it knows its handler.
   */
  start(): void;
  enqueue<N extends keyof Jobs & string>(name: N, data: Jobs[N], opts: JobOptions): Promise<void>;
  /** Resolves when no job is queued, running or waiting to retry (tests, the demo). */
  idle(): Promise<void>;
  /** Stops taking jobs, lets running attempts finish (bounded), and resolves when nothing runs. */
  close(): Promise<void>;
}

export interface JobLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface InProcessJobQueueOptions {
  /** Delay after failed attempt n (1-based). Default 200 ms doubling, capped at 30 s. */
  backoffMs?: (attempt: number) => number;
  /** Default attempts per job. Default 8 (about 50 s of retries with the default backoff). */
  attempts?: number;
  /** Attempts running at once. Default 8. */
  concurrency?: number;
  /** How long `close()` lets running attempts finish before aborting their signal. Default 10 s. */
  drainTimeoutMs?: number;
  logger?: JobLogger;
}

const silent: JobLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The default queue: in this process, in memory. Jobs do not survive a restart — a job still waiting
 * for its retry when the process stops is dropped (and logged); a queue on Redis keeps it.
 */
export class InProcessJobQueue<Jobs extends JobMap = JobMap> implements JobQueue<Jobs> {
  readonly #handlers = new Map<string, JobHandler<unknown>>();
  /** Job ids queued, running or waiting to retry → the promise of their whole run. */
  readonly #active = new Map<string, Promise<void>>();
  readonly #sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  readonly #slotWaiters: ((granted: boolean) => void)[] = [];
  readonly #abort = new AbortController();
  readonly #backoff: (attempt: number) => number;
  readonly #attempts: number;
  readonly #concurrency: number;
  readonly #drainTimeoutMs: number;
  readonly #logger: JobLogger;
  #running = 0;
  #closing: Promise<void> | undefined;

  constructor(opts: InProcessJobQueueOptions = {}) {
    this.#backoff = opts.backoffMs ?? ((n) => Math.min(30_000, 200 * 2 ** (n - 1)));
    this.#attempts = opts.attempts ?? 8;
    this.#concurrency = opts.concurrency ?? 8;
    this.#drainTimeoutMs = opts.drainTimeoutMs ?? 10_000;
    this.#logger = opts.logger ?? silent;
  }

  register<N extends keyof Jobs & string>(name: N, handler: JobHandler<Jobs[N]>): void {
    if (this.#handlers.has(name)) throw new Error(`A handler for job "${name}" is registered already.`);
    this.#handlers.set(name, handler as JobHandler<unknown>);
  }

  /** Nothing to do: in process, no job can be waiting from before this process, so jobs run when enqueued. */
  start(): void {}

  async enqueue<N extends keyof Jobs & string>(name: N, data: Jobs[N], opts: JobOptions): Promise<void> {
    if (this.#closing) throw new Error('The job queue is closed: the process is shutting down.');
    const handler = this.#handlers.get(name);
    if (!handler) throw new Error(`No handler registered for job "${name}".`);
    if (typeof opts.jobId !== 'string' || opts.jobId === '')
      throw new Error('jobId must be a non-empty string.');
    const id = `${name}:${opts.jobId}`;
    if (this.#active.has(id)) {
      this.#logger.debug({ job: name, id }, 'job already queued; not enqueued again');
      return;
    }
    // Copied as a queue on Redis would serialise it: a job never shares objects with its caller.
    const payload = structuredClone(data);
    const run = this.#run(name, id, handler, payload, opts.attempts ?? this.#attempts).finally(() =>
      this.#active.delete(id),
    );
    this.#active.set(id, run);
  }

  async idle(): Promise<void> {
    while (this.#active.size > 0) await Promise.allSettled([...this.#active.values()]);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Wake every job sleeping before a retry or waiting for a slot: each sees the queue closing and
      // ends (dropped, logged). Only attempts already running are waited for.
      for (const sleeper of this.#sleepers) {
        clearTimeout(sleeper.timer);
        sleeper.wake();
      }
      this.#sleepers.clear();
      for (const waiter of this.#slotWaiters.splice(0)) waiter(false);
      const timer = setTimeout(
        () => this.#abort.abort(new Error('The job queue closed before this attempt finished.')),
        this.#drainTimeoutMs,
      );
      try {
        await this.idle();
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.#closing;
  }

  async #run(
    name: string,
    id: string,
    handler: JobHandler<unknown>,
    data: unknown,
    attempts: number,
  ): Promise<void> {
    // Start after the current request has been answered: a job never delays a webhook's reply.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let attempt = 1; ; attempt++) {
      if (this.#closing || !(await this.#acquireSlot())) {
        this.#logger.warn(
          { job: name, id, attempt },
          'job dropped: the queue closed before it could run (an in-process queue does not survive a restart)',
        );
        return;
      }
      try {
        await handler(data, { attempt, signal: this.#abort.signal });
        this.#logger.debug({ job: name, id, attempt }, 'job done');
        return;
      } catch (error) {
        const info = { job: name, id, attempt, attempts, error: describeError(error) };
        if (this.#abort.signal.aborted) {
          this.#logger.warn(info, 'job interrupted by shutdown');
          return;
        }
        if (isPermanentJobError(error)) {
          this.#logger.error(info, 'job failed permanently; not retried');
          return;
        }
        if (attempt >= attempts) {
          this.#logger.error(info, 'job failed for good; a redelivered webhook enqueues it again');
          return;
        }
        this.#logger.warn({ ...info, retryInMs: this.#backoff(attempt) }, 'job failed; retrying');
      } finally {
        this.#releaseSlot();
      }
      await this.#sleep(this.#backoff(attempt));
    }
  }

  #acquireSlot(): Promise<boolean> {
    if (this.#running < this.#concurrency) {
      this.#running++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.#slotWaiters.push(resolve));
  }

  #releaseSlot(): void {
    const next = this.#slotWaiters.shift();
    if (next)
      next(true); // the slot passes straight to the next job
    else this.#running--;
  }

  /** Resolves after `ms`, or at once when the queue closes. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.#sleepers.delete(sleeper);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.#sleepers.add(sleeper);
    });
  }
}

/** Code, status and message of an error, for logs (client errors carry no secrets). */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, status, platformCode } = error as {
    code?: unknown;
    status?: unknown;
    platformCode?: unknown;
  };
  return {
    name: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    ...(status === undefined ? {} : { status }),
    ...(platformCode === undefined ? {} : { platformCode }),
  };
}
