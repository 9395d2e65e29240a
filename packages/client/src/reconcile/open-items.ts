/**
 * The fair rotation every reconciliation shares (payments now; refunds and settlements take the same
 * path): each run asks about the open items after the previous run's cursor, and wraps to the first
 * ones when it reaches the end. Over ⌈open / maxQueries⌉ runs every open item is asked about once, so no
 * block of items that never close (abandoned orders, which any buyer can create) can starve the others.
 *
 * The order is the caller's (its database's `ORDER BY`): nothing here compares two keys, so a collation
 * that sorts differently from JavaScript cannot skip or repeat an item.
 */
export type OpenItems<Item> = (after: string | undefined, limit: number) => Promise<readonly Item[]>;

/**
 * Up to `maxQueries` open items: those after `cursor`, then — when fewer remain — the first ones again,
 * never one item twice. `keyOf` names an item (its order number); the last key taken is the next cursor.
 */
export async function nextBatch<Item>(
  open: OpenItems<Item>,
  keyOf: (item: Item) => string,
  cursor: string | undefined,
  maxQueries: number,
): Promise<{ batch: Item[]; cursor: string | undefined }> {
  const batch: Item[] = [];
  const taken = new Set<string>();
  const take = (items: readonly Item[]): void => {
    for (const item of items) {
      const key = keyOf(item);
      if (batch.length >= maxQueries || taken.has(key)) continue;
      taken.add(key);
      batch.push(item);
    }
  };
  take(await open(cursor, maxQueries));
  if (batch.length < maxQueries && cursor !== undefined)
    take(await open(undefined, maxQueries - batch.length));
  const last = batch.at(-1);
  return { batch, cursor: last === undefined ? undefined : keyOf(last) };
}
