import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two strings' UTF-8 bytes: no early exit, so the time depends on the
 * lengths only, which every signature scheme here fixes in advance (hex/base64 of a fixed-size digest).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  // Well-formed text has the same UTF-8 bytes exactly when it has the same UTF-16 units, so comparing
  // units is enough, and an XOR over them is several times cheaper than two Buffer.from and
  // timingSafeEqual for a signature (bench/PROFILE.md). A lone surrogate encodes as U+FFFD: bytes then.
  if (!a.isWellFormed() || !b.isWellFormed()) return bytesEqual(Buffer.from(a), Buffer.from(b));
  let diff = a.length ^ b.length;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function bytesEqual(left: Buffer, right: Buffer): boolean {
  if (left.length !== right.length) {
    // Compare against itself so a length mismatch costs about the same as a content mismatch.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
