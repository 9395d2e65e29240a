/** How a store call ended within its time: a value, a rejection, or still nothing. */
export type Outcome<T> =
  | { readonly kind: 'resolved'; readonly value: T }
  | { readonly kind: 'rejected'; readonly error: unknown }
  | { readonly kind: 'pending' };

/**
 * Runs `call` (a synchronous throw counts as a rejection) and reports how it ended within `ms`. A call
 * still pending keeps running; its late rejection is caught here, never left unhandled in the user's
 * test process.
 */
export async function settleWithin<T>(call: () => T | Promise<T>, ms: number): Promise<Outcome<T>> {
  const settled = Promise.resolve()
    .then(call)
    .then(
      (value): Outcome<T> => ({ kind: 'resolved', value }),
      (error: unknown): Outcome<T> => ({ kind: 'rejected', error }),
    );
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'pending' }), ms);
  });
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
