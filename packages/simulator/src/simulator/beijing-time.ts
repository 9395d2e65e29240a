/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8), the platform's clock for Douyin timestamps. */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
