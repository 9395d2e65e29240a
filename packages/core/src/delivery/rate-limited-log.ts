/**
 * Lets one log line through per `intervalMs` and counts the ones it holds back, so a failure repeated by
 * every delivery of a burst reads as one line with a count, not thousands (monotonic clock, as timers).
 */
export class LogRateLimit {
  readonly #intervalMs: number;
  #nextAt = Number.NEGATIVE_INFINITY;
  #heldBack = 0;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** How many lines were held back since the last one, when this one may be logged; else undefined. */
  take(now: number = performance.now()): number | undefined {
    if (now < this.#nextAt) {
      this.#heldBack++;
      return undefined;
    }
    const heldBack = this.#heldBack;
    this.#heldBack = 0;
    this.#nextAt = now + this.#intervalMs;
    return heldBack;
  }
}
