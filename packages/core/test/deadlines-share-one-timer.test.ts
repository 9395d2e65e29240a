// The deadlines of a middleware share one timer, armed for the oldest pending deadline and re-armed
// for the next (src/delivery/deadlines.ts): each must still be reached exactly handlerTimeoutMs after it started.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines, TIMED_OUT } from '../src/delivery/deadlines.js';

const never = new Promise<never>(() => {});

describe('Deadlines (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reaches each deadline ms after it started, never a cancelled one, then leaves no timer', async () => {
    const deadlines = new Deadlines(100);
    const t0 = performance.now();
    const reached: Record<string, number> = {};
    const watch = (name: string) => {
      const deadline = deadlines.start();
      void deadline.race(never).then((value) => {
        if (value === TIMED_OUT) reached[name] = performance.now() - t0;
      });
      return deadline;
    };

    watch('a');
    await vi.advanceTimersByTimeAsync(30);
    watch('b');
    watch('cancelled').cancel();
    await vi.advanceTimersByTimeAsync(69);
    expect(reached).toEqual({});
    await vi.advanceTimersByTimeAsync(1);
    expect(reached).toEqual({ a: 100 });
    await vi.advanceTimersByTimeAsync(29);
    expect(reached).toEqual({ a: 100 });
    await vi.advanceTimersByTimeAsync(1);
    expect(reached).toEqual({ a: 100, b: 130 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reached).toEqual({ a: 100, b: 130 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a race settles as its work does when the work comes first; after the deadline, at once', async () => {
    const deadlines = new Deadlines(50);
    const first = deadlines.start();
    await expect(first.race(Promise.resolve('done'))).resolves.toBe('done');
    await expect(first.race(Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    first.cancel();

    const late = deadlines.start();
    await vi.advanceTimersByTimeAsync(50);
    await expect(late.race(Promise.resolve('too late'))).resolves.toBe(TIMED_OUT);
    late.cancel();
  });

  it('a deadline beyond setTimeout’s limit (2^31 - 1 ms) is re-armed, not run at once', async () => {
    const day = 24 * 60 * 60 * 1000;
    const deadlines = new Deadlines(30 * day);
    let reached = false;
    void deadlines
      .start()
      .race(never)
      .then(() => {
        reached = true;
      });
    await vi.advanceTimersByTimeAsync(29 * day);
    expect(reached).toBe(false);
    await vi.advanceTimersByTimeAsync(day);
    expect(reached).toBe(true);
  });
});

it('the shared timer keeps no process alive (unref): a pending delivery’s socket does', () => {
  const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = refTimers();
  const deadline = new Deadlines(10_000).start();
  expect(refTimers()).toBe(before);
  deadline.cancel();
});
