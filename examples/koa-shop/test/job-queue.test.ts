import { describe, expect, it } from 'vitest';
import { InProcessJobQueue, PermanentJobError } from '../src/jobs/job-queue.js';

type Jobs = { work: { n: number } };

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('InProcessJobQueue', () => {
  it('retries a failing job with backoff until it succeeds', async () => {
    const queue = new InProcessJobQueue<Jobs>({ backoffMs: () => 5 });
    const attempts: number[] = [];
    queue.register('work', async (_, { attempt }) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error('platform down');
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'a' });
    await queue.idle();
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up after `attempts`, then accepts the same id again', async () => {
    const queue = new InProcessJobQueue<Jobs>({ backoffMs: () => 1 });
    let runs = 0;
    queue.register('work', async () => {
      runs++;
      throw new Error('down for good');
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'a', attempts: 2 });
    await queue.idle();
    expect(runs).toBe(2);
    await queue.enqueue('work', { n: 1 }, { jobId: 'a', attempts: 2 });
    await queue.idle();
    expect(runs).toBe(4);
  });

  it('a PermanentJobError ends the job at once, whatever attempts remain; the id is free again', async () => {
    const queue = new InProcessJobQueue<Jobs>({ backoffMs: () => 1 });
    let runs = 0;
    queue.register('work', async () => {
      runs++;
      throw new PermanentJobError('no retry can fix this');
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'a', attempts: 5 });
    await queue.idle();
    expect(runs).toBe(1);
    await queue.enqueue('work', { n: 1 }, { jobId: 'a' });
    await queue.idle();
    expect(runs).toBe(2);
  });

  it('de-duplicates by job id while a job is queued, running or waiting to retry', async () => {
    const queue = new InProcessJobQueue<Jobs>({ backoffMs: () => 5 });
    const seen: number[] = [];
    queue.register('work', async ({ n }, { attempt }) => {
      seen.push(n);
      if (attempt === 1) throw new Error('once');
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'same' });
    await queue.enqueue('work', { n: 2 }, { jobId: 'same' });
    await new Promise((r) => setTimeout(r, 1));
    await queue.enqueue('work', { n: 3 }, { jobId: 'same' }); // while waiting to retry
    await queue.enqueue('work', { n: 4 }, { jobId: 'other' });
    await queue.idle();
    expect(seen.sort()).toEqual([1, 1, 4, 4]); // each id: a failed attempt and its retry
  });

  it('copies job data (as a queue on Redis would serialise it)', async () => {
    const queue = new InProcessJobQueue<Jobs>();
    const data = { n: 1 };
    let got: { n: number } | undefined;
    queue.register('work', async (d) => {
      got = d;
    });
    await queue.enqueue('work', data, { jobId: 'a' });
    data.n = 2;
    await queue.idle();
    expect(got).toEqual({ n: 1 });
  });

  it('runs a job after the caller returns: a webhook reply never waits for it', async () => {
    const queue = new InProcessJobQueue<Jobs>();
    let started = false;
    queue.register('work', async () => {
      started = true;
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'a' });
    expect(started).toBe(false);
    await queue.idle();
    expect(started).toBe(true);
  });

  it('limits how many attempts run at once', async () => {
    const queue = new InProcessJobQueue<Jobs>({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    queue.register('work', async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    });
    for (let i = 0; i < 6; i++) await queue.enqueue('work', { n: i }, { jobId: String(i) });
    await queue.idle();
    expect(peak).toBe(2);
  });

  it('close() while a job waits for its retry resolves at once, and idle() does too (regression)', async () => {
    const queue = new InProcessJobQueue<Jobs>({ backoffMs: () => 60_000 });
    let runs = 0;
    queue.register('work', async () => {
      runs++;
      throw new Error('down');
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'a' });
    while (runs === 0) await new Promise((r) => setTimeout(r, 1));
    const started = Date.now();
    await queue.close();
    await queue.idle();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(runs).toBe(1);
  });

  it('close() lets a running attempt finish, and refuses new jobs', async () => {
    const queue = new InProcessJobQueue<Jobs>();
    const gate = deferred();
    let finished = false;
    queue.register('work', async () => {
      await gate.promise;
      finished = true;
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'a' });
    await new Promise((r) => setTimeout(r, 5));
    const closing = queue.close();
    await expect(queue.enqueue('work', { n: 2 }, { jobId: 'b' })).rejects.toThrow(/closed/);
    gate.resolve();
    await closing;
    expect(finished).toBe(true);
  });

  it('close() aborts an attempt still running after the drain timeout', async () => {
    const queue = new InProcessJobQueue<Jobs>({ drainTimeoutMs: 20 });
    let aborted = false;
    queue.register('work', (_, { signal }) => {
      return new Promise<void>((_, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        });
      });
    });
    await queue.enqueue('work', { n: 1 }, { jobId: 'a' });
    await new Promise((r) => setTimeout(r, 5));
    await queue.close();
    expect(aborted).toBe(true);
  });
});
