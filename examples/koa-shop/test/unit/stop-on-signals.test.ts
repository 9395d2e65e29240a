import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SAME_SIGNAL_WINDOW_MS, stopOnSignals } from '../../src/stop-on-signals.js';

/** A fake process: signals are emitted by the test, exits recorded; the clock is vitest's. */
function rig(stop: () => Promise<void>) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const exitCodes: number[] = [];
  const logged: string[] = [];
  const log = (_: unknown, msg: string) => void logged.push(msg);
  stopOnSignals(stop, {
    logger: { info: log, warn: log, error: log } as never,
    deadlineMs: 20_000,
    signals: { on: (name, listener) => signals.on(name, listener) },
    exit: (code) => void exits.push(code),
    setExitCode: (code) => void exitCodes.push(code),
  });
  return { send: (name: NodeJS.Signals) => signals.emit(name, name), exits, exitCodes, logged };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('stopOnSignals', () => {
  it('stops once on SIGTERM and sets exit code 0 when the stop succeeds', async () => {
    const stop = vi.fn(async () => {});
    const r = rig(stop);
    r.send('SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(r.exitCodes).toEqual([0]);
    expect(r.exits).toEqual([]);
    expect(r.logged).toEqual(['shutting down']);
  });

  it('takes the same signal again within the window as one delivery (pnpm passing on a Ctrl-C)', async () => {
    let finish: () => void = () => {};
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const r = rig(stop);
    r.send('SIGINT');
    await vi.advanceTimersByTimeAsync(5);
    r.send('SIGINT');
    expect(stop).toHaveBeenCalledTimes(1);
    expect(r.exits).toEqual([]);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(r.exitCodes).toEqual([0]);
  });

  it('exits 1 at once on a second signal after the window, or on another signal', async () => {
    const never = () => new Promise<void>(() => {});
    const late = rig(never);
    late.send('SIGINT');
    await vi.advanceTimersByTimeAsync(SAME_SIGNAL_WINDOW_MS);
    late.send('SIGINT');
    expect(late.exits).toEqual([1]);
    expect(late.logged).toEqual(['shutting down', 'second signal: exiting now']);

    const other = rig(never);
    other.send('SIGINT');
    other.send('SIGTERM');
    expect(other.exits).toEqual([1]);
  });

  it('exits 1 when the shutdown outlives its deadline, and 1 as the exit code when it fails', async () => {
    const hung = rig(() => new Promise<void>(() => {}));
    hung.send('SIGTERM');
    await vi.advanceTimersByTimeAsync(19_999);
    expect(hung.exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(hung.exits).toEqual([1]);
    expect(hung.logged).toContain('shutdown took too long: exiting');

    const failing = rig(async () => {
      throw new Error('database gone');
    });
    failing.send('SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(failing.exitCodes).toEqual([1]);
    expect(failing.logged).toContain('shutdown failed');
  });
});
