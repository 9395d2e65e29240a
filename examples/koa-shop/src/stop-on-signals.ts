import type { Logger } from './logger.js';

/**
 * A repeat of the first signal within this long is the same signal passed on twice, not an operator
 * insisting: under `pnpm start` a Ctrl-C reaches the shop from the terminal and again from pnpm, which
 * forwards SIGINT and SIGTERM to its child (as does a systemd unit that signals the whole cgroup).
 */
export const SAME_SIGNAL_WINDOW_MS = 1_000;

export interface StopOnSignalsDeps {
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** After this long the process exits 1 whatever the shutdown is doing. */
  deadlineMs: number;
  /** Default: the process itself. */
  signals?: { on(signal: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown };
  /** Default: process.exit. */
  exit?: (code: number) => void;
  /** Default: sets process.exitCode, so the process ends once nothing is left to do. */
  setExitCode?: (code: number) => void;
}

/**
 * Graceful shutdown on SIGTERM (what orchestrators send) or SIGINT (Ctrl-C): `stop` runs once, the
 * exit code says whether it succeeded. A second signal, or a shutdown that outlives `deadlineMs`, ends
 * the process at once (exit 1).
 */
export function stopOnSignals(stop: () => Promise<void>, deps: StopOnSignalsDeps): void {
  const { logger, deadlineMs } = deps;
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const setExitCode =
    deps.setExitCode ??
    ((code: number) => {
      process.exitCode = code;
    });
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first) {
      if (first.signal === signal && performance.now() - first.at < SAME_SIGNAL_WINDOW_MS) return;
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    first = { signal, at: performance.now() };
    logger.info({ signal }, 'shutting down');
    // A last resort if something hangs; unref'd, so it never keeps a finished process alive.
    setTimeout(() => {
      logger.error({}, 'shutdown took too long: exiting');
      exit(1);
    }, deadlineMs).unref();
    stop().then(
      () => setExitCode(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        setExitCode(1);
      },
    );
  };
  const signals = deps.signals ?? process;
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
}
