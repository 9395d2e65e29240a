import { randomBytes } from 'node:crypto';

/** A platform-looking numeric id (order, refund, settlement numbers): `length` digits, no leading zero. */
export function randomDigits(length: number): string {
  let out = '';
  for (const byte of randomBytes(length)) out += String(byte % 10);
  return out.replace(/^0/, '1');
}

export function randomNonce(): string {
  return randomBytes(8).toString('hex');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
