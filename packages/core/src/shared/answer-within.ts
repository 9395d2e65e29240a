/**
 * `pending`'s value, or a rejection with `timedOut()` once `ms` pass — whichever comes first; a
 * rejection of `pending` goes through `failed` (a store turns driver errors into its own coded error).
 * The stores bound every call this way, so a backend that never answers fails closed.
 */
export function answerWithin<T>(
  pending: Promise<T>,
  ms: number,
  timedOut: () => Error,
  failed: (error: unknown) => Error,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut()), ms);
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(failed(error));
      },
    );
  });
}
