import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BullMqJobQueue, type BullMqJobQueueOptions, bullMqJobId } from '../src/jobs/bullmq-job-queue.js';
import { PermanentJobError } from '../src/jobs/job-queue.js';
import { captureLogger } from './helpers.js';
import { connectRedis, deleteKeys, REDIS_URL, setUpOrFailEveryTest, uniquePrefix } from './redis.js';

type Jobs = { work: { n: number } };

const prefix = uniquePrefix('bullmq');
let redis: Redis;
const open: BullMqJobQueue<Jobs>[] = [];
let testNumber = 0;
let queuePrefix = '';

setUpOrFailEveryTest(async () => {
  redis = await connectRedis(); // fails, with how to start Redis, when there is none
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.close()));
});
afterAll(async () => {
  if (redis) {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
});

/** An instance of the queue; every queue of one test shares a prefix (one per test: isolation). */
function instance(opts: Partial<BullMqJobQueueOptions> = {}): BullMqJobQueue<Jobs> {
  const queue = new BullMqJobQueue<Jobs>({
    url: REDIS_URL,
    prefix: queuePrefix,
    backoffDelayMs: 20,
    ...opts,
  });
  open.push(queue);
  return queue;
}

const jobKey = (jobId: string) => `${queuePrefix}:shop-jobs:${bullMqJobId('work', jobId)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('BullMqJobQueue', () => {
  afterEach(() => {
    queuePrefix = '';
  });
  const fresh = () => {
    queuePrefix = `${prefix}t${++testNumber}`;
  };

  it('retries a failing job with exponential backoff until it succeeds; nothing stays in Redis', async () => {
    fresh();
    const queue = instance({ backoffDelayMs: 60 });
    const started: number[] = [];
    queue.register('work', async (_, { attempt }) => {
      started.push(Date.now());
      if (attempt < 3) throw new Error(`platform down (attempt ${attempt})`);
    });
    queue.start();
    await queue.enqueue('work', { n: 1 }, { jobId: 'a' });
    await queue.idle();
    expect(started).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = started;
    expect(second - first).toBeGreaterThanOrEqual(55); // 60 ms
    expect(third - second).toBeGreaterThanOrEqual(115); // 120 ms: doubled
    expect(await redis.exists(jobKey('a'))).toBe(0); // removeOnComplete
  });

  it('gives up after `attempts`, then accepts the same id again (removeOnFail)', async () => {
    fresh();
    const logs = captureLogger();
    const queue = instance({ logger: logs.logger });
    let runs = 0;
    queue.register('work', async () => {
      runs++;
      throw new Error('down for good');
    });
    queue.start();
    await queue.enqueue('work', { n: 1 }, { jobId: 'a', attempts: 2 });
    await queue.idle();
    expect(runs).toBe(2);
    expect(await redis.exists(jobKey('a'))).toBe(0);
    expect(logs.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'job failed; retrying',
        'job failed for good; a redelivered webhook enqueues it again',
      ]),
    );
    await queue.enqueue('work', { n: 1 }, { jobId: 'a', attempts: 2 });
    await queue.idle();
    expect(runs).toBe(4);
  });

  it('de-duplicates by job id while a job is queued, running or waiting to retry', async () => {
    fresh();
    const queue = instance({ backoffDelayMs: 100 });
    const seen: number[] = [];
    const firstAttempt = deferred();
    queue.register('work', async ({ n }, { attempt }) => {
      seen.push(n);
      if (attempt === 1) {
        firstAttempt.resolve();
        throw new Error('once');
      }
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'same' }); // queued (no worker yet)
    await queue.enqueue('work', { n: 2 }, { jobId: 'same' });
    queue.start();
    await firstAttempt.promise;
    await sleep(20);
    expect((await queue.counts()).delayed).toBe(1);
    await queue.enqueue('work', { n: 3 }, { jobId: 'same' }); // while waiting to retry
    await queue.enqueue('work', { n: 4 }, { jobId: 'other' });
    await queue.idle();
    expect(seen.sort()).toEqual([1, 1, 4, 4]); // each id: a failed attempt and its retry
  });

  it('a PermanentJobError ends the job at once (BullMQ UnrecoverableError), whatever attempts remain', async () => {
    fresh();
    const logs = captureLogger();
    const queue = instance({ logger: logs.logger });
    let runs = 0;
    queue.register('work', async () => {
      runs++;
      throw new PermanentJobError('the amount is negative: no retry can fix it');
    });
    queue.start();
    await queue.enqueue('work', { n: 1 }, { jobId: 'a', attempts: 5 });
    await queue.idle();
    expect(runs).toBe(1);
    expect(await redis.exists(jobKey('a'))).toBe(0);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ msg: 'job failed permanently; not retried', attempt: 1, attempts: 5 }),
    );
  });

  it('two instances on one prefix: every job runs exactly once, and both workers take part', async () => {
    fresh();
    const runs = new Map<number, string[]>();
    const [a, b] = [instance({ concurrency: 2 }), instance({ concurrency: 2 })];
    for (const [name, queue] of [
      ['a', a],
      ['b', b],
    ] as const) {
      queue.register('work', async ({ n }) => {
        runs.set(n, [...(runs.get(n) ?? []), name]);
        await sleep(15);
      });
      queue.start();
    }
    // Each job enqueued twice, once through each instance (two webhook deliveries).
    for (let n = 0; n < 40; n++) {
      await a.enqueue('work', { n }, { jobId: String(n) });
      await b.enqueue('work', { n }, { jobId: String(n) });
    }
    await a.idle();
    expect([...runs.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect([...runs.values()].every((by) => by.length === 1)).toBe(true);
    const by = [...runs.values()].flat();
    expect(by.filter((w) => w === 'a').length).toBeGreaterThan(0);
    expect(by.filter((w) => w === 'b').length).toBeGreaterThan(0);
  });

  it('an instance dies mid-attempt: once its lock expired another instance runs the job, told attempt 2', async () => {
    fresh();
    const fast = { lockDurationMs: 400, stalledIntervalMs: 150 };
    const producer = instance(fast);
    producer.register('work', async () => {});
    await producer.enqueue('work', { n: 1 }, { jobId: 'a' });
    // The instance that takes the job and dies: a bare BullMQ worker, force-closed mid-attempt (no
    // completion, no failure recorded; its lock is simply no longer renewed).
    const taken = deferred();
    const dying = new Worker(
      'shop-jobs',
      () => {
        taken.resolve();
        return new Promise<void>(() => {});
      },
      {
        connection: { url: REDIS_URL, maxRetriesPerRequest: null },
        prefix: queuePrefix,
        lockDuration: 400,
        stalledInterval: 150, // as every instance on a prefix should: BullMQ throttles stalled checks per queue
      },
    );
    await taken.promise;
    await dying.close(true);

    const logs = captureLogger();
    const survivor = instance({ ...fast, logger: logs.logger });
    const attempts: number[] = [];
    survivor.register('work', async (_, { attempt }) => void attempts.push(attempt));
    survivor.start();
    await survivor.idle();
    expect(attempts).toEqual([2]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ msg: expect.stringMatching(/^job stalled/) }),
    );
  });

  it('close() lets the running attempt finish; queued jobs stay in Redis and run after a restart', async () => {
    fresh();
    const logs = captureLogger();
    const before = instance({ concurrency: 1, logger: logs.logger });
    const gate = deferred();
    const running = deferred();
    const done: number[] = [];
    before.register('work', async ({ n }) => {
      running.resolve();
      await gate.promise;
      done.push(n);
    });
    before.start();
    for (let n = 1; n <= 3; n++) await before.enqueue('work', { n }, { jobId: String(n) });
    await running.promise;
    const closing = before.close();
    await expect(before.enqueue('work', { n: 9 }, { jobId: '9' })).rejects.toThrow(/closed/);
    await sleep(30);
    gate.resolve();
    await closing;
    expect(done).toEqual([1]);
    expect(logs.lines).toContainEqual(expect.objectContaining({ waiting: 2, delayed: 0 }));

    const after = instance(); // the restarted process
    after.register('work', async ({ n }) => void done.push(n));
    after.start();
    await after.idle();
    expect(done.sort()).toEqual([1, 2, 3]);
  });

  it('close() aborts an attempt still running after drainTimeoutMs; the next worker retries it', async () => {
    fresh();
    const before = instance({ drainTimeoutMs: 50 });
    let aborted: unknown;
    before.register('work', (_, { signal }) => {
      return new Promise<void>((_, reject) => {
        signal.addEventListener('abort', () => {
          aborted = signal.reason;
          reject(new Error('aborted by shutdown'));
        });
      });
    });
    before.start();
    await before.enqueue('work', { n: 1 }, { jobId: 'a' });
    await sleep(50);
    const started = Date.now();
    await before.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(aborted).toMatch(/closed before this attempt finished/);

    const after = instance();
    const attempts: number[] = [];
    after.register('work', async (_, { attempt }) => void attempts.push(attempt));
    after.start();
    await after.idle();
    expect(attempts).toEqual([2]);
  });

  it('enqueue rejects within enqueueTimeoutMs when Redis does not answer, so the webhook is retried', async () => {
    fresh();
    const queue = instance({ url: 'redis://127.0.0.1:1', enqueueTimeoutMs: 300 });
    queue.register('work', async () => {});
    const started = Date.now();
    await expect(queue.enqueue('work', { n: 1 }, { jobId: 'a' })).rejects.toThrow(
      /within 300 ms|ECONNREFUSED|Connection/,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a register after start(), an unknown job, an empty jobId', async () => {
    fresh();
    const queue = instance();
    await expect(queue.enqueue('work', { n: 1 }, { jobId: 'a' })).rejects.toThrow(/No handler/);
    queue.register('work', async () => {});
    await expect(queue.enqueue('work', { n: 1 }, { jobId: '' })).rejects.toThrow(/jobId/);
    queue.start();
    expect(() => queue.register('work', async () => {})).toThrow(/before start/);
  });

  it('job ids: BullMQ-safe (no ":" and never an integer), distinct for distinct (name, jobId)', () => {
    expect(bullMqJobId('settle-tiktok-order', '576461413038785752')).toBe(
      'settle-tiktok-order/576461413038785752',
    );
    expect(bullMqJobId('ship', 'tok:1/2')).toBe('ship/tok%3A1%2F2');
    expect(bullMqJobId('a/b', 'c')).not.toBe(bullMqJobId('a', 'b/c'));
  });
});
