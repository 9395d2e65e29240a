const SHOWN_CHARS = 60;

/**
 * A key as a message can show it: JSON-quoted, so NUL, lone surrogates and whitespace are visible
 * (`"a\u0000"`, `"a\ud800"`), and shortened when long.
 */
export function printableKey(key: string): string {
  if (key.length <= SHOWN_CHARS) return JSON.stringify(key);
  return `${JSON.stringify(key.slice(0, SHOWN_CHARS))}… (${key.length} characters)`;
}
