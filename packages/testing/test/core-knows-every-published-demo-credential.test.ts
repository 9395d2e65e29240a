// @ttpay/core refuses the demo credentials by fingerprint (isPublishedDemoValue / isPublishedDemoKey), so
// a production build needs no runtime import of this package to refuse them. The fingerprints must cover
// every value published here — a value added here without its digest in core would pass in production.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { isPublishedDemoKey, isPublishedDemoValue } from '@ttpay/core';
import { describe, expect, it } from 'vitest';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials } from '../src/index.js';

function published(): { strings: string[]; keys: string[] } {
  const strings = [DEMO_DOUYIN_APP_SECRET];
  const keys: string[] = [];
  const visit = (node: unknown, key: string): void => {
    if (typeof node === 'string') {
      if (node.includes('-----BEGIN')) keys.push(node);
      else if (key !== 'keyVersion') strings.push(node);
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) visit(v, k);
    }
  };
  visit(demoCredentials, '');
  return { strings, keys };
}

describe('core knows every published demo credential', () => {
  const { strings, keys } = published();

  it('every demo string, and nothing close to one', () => {
    expect(strings.length).toBeGreaterThanOrEqual(14);
    for (const value of strings) expect(isPublishedDemoValue(value), value).toBe(true);
    for (const value of strings) expect(isPublishedDemoValue(`${value}x`)).toBe(false);
    expect(isPublishedDemoValue(demoCredentials.douyin.keyVersion)).toBe(false);
    expect(isPublishedDemoValue('')).toBe(false);
  });

  it('every demo key by its material: PEM, PKCS#1, DER, bare base64, a private key by its public half', () => {
    expect(keys).toHaveLength(4);
    for (const pem of keys) {
      const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
      expect(isPublishedDemoKey(pem)).toBe(true);
      expect(isPublishedDemoKey(createPublicKey(pem))).toBe(true);
      expect(isPublishedDemoKey(spki)).toBe(true);
      expect(isPublishedDemoKey(spki.toString('base64'))).toBe(true);
      expect(isPublishedDemoKey(createPublicKey(pem).export({ type: 'pkcs1', format: 'pem' }))).toBe(true);
    }
  });

  it('a key of your own is not a demo key, and an unreadable one is not either', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(isPublishedDemoKey(publicKey)).toBe(false);
    expect(isPublishedDemoKey(privateKey)).toBe(false);
    expect(isPublishedDemoKey('not a key')).toBe(false);
  });
});
