/** Changes closer together than this reach the page as one notification. */
export const CHANGE_COALESCE_MS = 50;

/**
 * Tells the dashboard's open pages that something changed (a request, a delivery, a reply). Bursts are
 * coalesced: a page fetches the state once per burst, not once per request.
 */
export class ChangeFeed {
  #version = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #listeners = new Set<(version: number) => void>();

  get version(): number {
    return this.#version;
  }

  changed(): void {
    this.#version += 1;
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      for (const listener of this.#listeners) listener(this.#version);
    }, CHANGE_COALESCE_MS);
    // A pending notification never holds a closing process open.
    this.#timer.unref();
  }

  subscribe(listener: (version: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
