/** What {@link Deadline.race} resolves to when the deadline comes first. */
export const TIMED_OUT = Symbol('timed out');

/** One delivery's deadline: race its work against it, and `cancel()` it when done. */
export interface Deadline {
  /** Settles as `work` does, or resolves to TIMED_OUT once the deadline is reached. */
  race<T>(work: PromiseLike<T>): Promise<T | typeof TIMED_OUT>;
  cancel(): void;
}

/** The longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The deadlines of one middleware, on one timer: a `setTimeout` per delivery cost more than the rest
 * of the deadline logic together (bench/PROFILE.md §2). They all last `ms`, so they are reached in the
 * order they started, and the timer is armed for the oldest pending one only. A cancelled deadline
 * just leaves the set; when the timer fires it reaches every deadline that is due and re-arms for the
 * next. Under load it fires about once per `ms`, whatever the number of deliveries; idle, not at all.
 *
 * Deadlines are exact, as a `setTimeout` of their own would be: they are read from `performance.now()`,
 * the monotonic clock timers run on. (Fake timers must fake it too, as vitest's and jest's do by
 * default.) The timer is unref'd: it never keeps a process alive on its own — a pending delivery's
 * socket does.
 */
export class Deadlines {
  readonly #ms: number;
  /** In the order they started, which is the order they are reached in. */
  readonly #pending = new Set<PendingDeadline>();
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  start(): Deadline {
    const deadline = new PendingDeadline(performance.now() + this.#ms, this.#pending);
    this.#pending.add(deadline);
    this.#timer ??= this.#arm(this.#ms);
    return deadline;
  }

  #arm(ms: number): NodeJS.Timeout {
    // setTimeout runs a longer delay at once; a deadline further away is re-armed until it is due.
    return setTimeout(this.#onTimer, Math.min(ms, MAX_DELAY_MS)).unref();
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    for (const deadline of this.#pending) {
      if (deadline.at > now) {
        this.#timer = this.#arm(deadline.at - now);
        return;
      }
      this.#pending.delete(deadline);
      deadline.reach();
    }
  };
}

class PendingDeadline implements Deadline {
  readonly at: number;
  readonly #pending: Set<PendingDeadline>;
  #reached = false;
  /** Ends the race in progress, if any. */
  #resolveRace: ((value: typeof TIMED_OUT) => void) | undefined;

  constructor(at: number, pending: Set<PendingDeadline>) {
    this.at = at;
    this.#pending = pending;
  }

  race<T>(work: PromiseLike<T>): Promise<T | typeof TIMED_OUT> {
    return new Promise((resolve, reject) => {
      if (this.#reached) {
        resolve(TIMED_OUT);
        return;
      }
      this.#resolveRace = resolve;
      work.then(resolve, reject);
    });
  }

  reach(): void {
    this.#reached = true;
    this.#resolveRace?.(TIMED_OUT);
  }

  cancel(): void {
    this.#pending.delete(this);
  }
}
