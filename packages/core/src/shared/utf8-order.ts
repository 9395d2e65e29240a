/**
 * Compares two strings in UTF-8 byte order, which is Unicode code point order — what Go's
 * `sort.Strings` and Java's `String.compareTo` on BMP text produce. JavaScript's default `<` compares
 * UTF-16 code units and puts a surrogate pair (U+10000 and up, e.g. emoji) BEFORE U+E000–U+FFFF
 * (e.g. fullwidth `！`), unlike Go (PROTOCOLS.md §1.2 step 4). Only the first differing unit matters,
 * so the fix-up is applied there alone (the same trick as ICU's code point order compare).
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) return fixup(x) - fixup(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

function fixup(unit: number): number {
  // Surrogates (D800–DFFF) move above E000–FFFF; E000–FFFF move down below them.
  if (unit >= 0xe000) return unit - 0x800;
  return unit + 0x2000;
}

/** Sorts in place by UTF-8 byte order and returns the array. */
export function sortUtf8<T extends string>(values: T[]): T[] {
  return values.sort(compareUtf8);
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Sorts `values` in place in UTF-8 byte order and joins them. Native string comparison (UTF-16 units)
 * agrees with byte order unless a surrogate pair meets U+E000–U+FFFF, so the common case sorts with no
 * comparator calls and a single scan of the joined string decides whether to redo it with
 * {@link compareUtf8}. Small arrays (every signature here) use insertion sort.
 */
export function sortUtf8AndJoin(values: string[], separator: string): string {
  if (values.length <= 16) {
    for (let i = 1; i < values.length; i++) {
      const v = values[i] as string;
      let j = i - 1;
      while (j >= 0 && (values[j] as string) > v) {
        values[j + 1] = values[j] as string;
        j--;
      }
      values[j + 1] = v;
    }
  } else {
    values.sort();
  }
  const joined = values.join(separator);
  return SURROGATE.test(joined) ? values.sort(compareUtf8).join(separator) : joined;
}
