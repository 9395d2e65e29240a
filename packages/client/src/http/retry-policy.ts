/**
 * Which answers an idempotent call may repeat. HTTP 5xx (the platform failed) and 429 (TikTok's rate
 * limiter: "retry with a random exponential backoff", docs/PROTOCOLS.md §3.4) always; platform result
 * codes that mean "repeat with the same parameters" only where a client names them.
 */
export type RetryableAnswer = (status: number, body: string) => boolean;

export const RETRYABLE_STATUS_CODES: readonly number[] = [
  429,
  ...Array.from({ length: 100 }, (_, i) => 500 + i),
];

/**
 * A classifier for JSON answers whose result code sits at `field` of the top-level object: retryable when
 * the code is one of `codes`. Anything that does not parse is left to the status rule.
 */
export function retryOnResultCodes(field: string, codes: ReadonlySet<number>): RetryableAnswer {
  return (_status, body) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return false;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
    const code = (parsed as Record<string, unknown>)[field];
    return typeof code === 'number' && codes.has(code);
  };
}
