import { randomBytes } from 'node:crypto';

/** `length` random digits, never a leading zero: the shape of Douyin's and TikTok Shop's numeric ids. */
export function randomDigits(length: number): string {
  return Array.from(randomBytes(length), (byte) => byte % 10)
    .join('')
    .replace(/^0/, '1');
}

/** A request nonce, as the CLI signs with when none is given. */
export const randomNonce = (): string => randomBytes(8).toString('hex');

/** Unix time in seconds, the platforms' timestamp unit. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
