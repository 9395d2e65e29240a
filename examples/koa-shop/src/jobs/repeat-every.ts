import type { JobMap, JobQueue } from './job-queue.js';

/**
 * Enqueues `name` every `everyMs`, with the time slot as its job id: instances on one queue (BullMQ)
 * that tick in the same slot add one job, and a run still going when the next tick comes is not
 * doubled. (A slot whose job already finished can run again if a late instance ticks in it: repeating
 * jobs here are idempotent, reconciliation through `applyOnce`.) A timer per process rather than a
 * BullMQ job scheduler: a scheduler keeps a delayed job in Redis at all times, which no "queue idle"
 * check could tell from real pending work. Returns `stop()`.
 */
export function repeatEvery<Jobs extends JobMap, N extends keyof Jobs & string>(
  queue: JobQueue<Jobs>,
  name: N,
  data: Jobs[N],
  everyMs: number,
  onError: (error: unknown) => void,
): { stop(): void } {
  if (!Number.isSafeInteger(everyMs) || everyMs <= 0) throw new Error('everyMs must be a positive integer.');
  const timer = setInterval(() => {
    const slot = Math.floor(Date.now() / everyMs);
    queue.enqueue(name, data, { jobId: `every-${everyMs}-${slot}`, attempts: 1 }).catch(onError);
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
