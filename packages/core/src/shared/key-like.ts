import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { TtpayError } from '../errors.js';

/** A PEM string, a PEM/DER Buffer, or a `crypto.KeyObject`. */
export type KeyLike = string | Buffer | KeyObject;

const PEM_HEADER = '-----BEGIN';

/**
 * Turns a public key into a KeyObject once (do this at start-up: parsing PEM on every callback is slow).
 * Accepts PEM (SPKI or PKCS#1), DER, or the bare base64 body the Douyin console shows.
 */
export function toPublicKey(key: KeyLike): KeyObject {
  if (isKeyObject(key)) {
    if (key.type === 'public') return key;
    if (key.type === 'private') return createPublicKey(key);
    throw new TtpayError('INVALID_KEY', 'Expected an RSA public key, got a secret key.');
  }
  try {
    if (typeof key === 'string' && !key.includes(PEM_HEADER)) {
      return createPublicKey({
        key: Buffer.from(key.replace(/\s+/g, ''), 'base64'),
        format: 'der',
        type: 'spki',
      });
    }
    if (Buffer.isBuffer(key) && !key.includes(PEM_HEADER)) {
      return createPublicKey({ key, format: 'der', type: 'spki' });
    }
    return createPublicKey(key);
  } catch (cause) {
    throw new TtpayError(
      'INVALID_KEY',
      'The public key could not be parsed (expected PEM, DER or base64 SPKI).',
      {
        cause,
      },
    );
  }
}

/** Turns a private key into a KeyObject once. Accepts PEM (PKCS#8 or PKCS#1), DER PKCS#8 or bare base64 PKCS#8. */
export function toPrivateKey(key: KeyLike): KeyObject {
  if (isKeyObject(key)) {
    if (key.type === 'private') return key;
    throw new TtpayError('INVALID_KEY', `Expected an RSA private key, got a ${key.type} key.`);
  }
  try {
    if (typeof key === 'string' && !key.includes(PEM_HEADER)) {
      return createPrivateKey({
        key: Buffer.from(key.replace(/\s+/g, ''), 'base64'),
        format: 'der',
        type: 'pkcs8',
      });
    }
    if (Buffer.isBuffer(key) && !key.includes(PEM_HEADER)) {
      return createPrivateKey({ key, format: 'der', type: 'pkcs8' });
    }
    return createPrivateKey(key);
  } catch (cause) {
    // The cause from OpenSSL never contains key material, but keep the message generic anyway.
    throw new TtpayError(
      'INVALID_KEY',
      'The private key could not be parsed (expected PEM, DER or base64 PKCS#8).',
      {
        cause,
      },
    );
  }
}

function isKeyObject(key: unknown): key is KeyObject {
  return typeof key === 'object' && key !== null && !Buffer.isBuffer(key) && 'asymmetricKeyType' in key;
}
