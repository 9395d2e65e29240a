import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two strings' UTF-8 bytes. The length check leaks only the length, which
 * every signature scheme here fixes in advance (hex/base64 of a fixed-size digest).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Compare against itself so a length mismatch costs about the same as a content mismatch.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
