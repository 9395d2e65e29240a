/**
 * The cancelled state as TikTok spells it: the type-1 webhook's documentation lists `CANCEL`, the 202309
 * Order API's status enum `CANCELLED` (docs/PROTOCOLS.md §5.4). A handler that compares with one spelling
 * never sees the other, so ask this instead.
 */
export const TIKTOK_CANCELLED_STATUSES: readonly string[] = ['CANCEL', 'CANCELLED'];

export function isTikTokOrderCancelled(status: unknown): boolean {
  return typeof status === 'string' && TIKTOK_CANCELLED_STATUSES.includes(status);
}
