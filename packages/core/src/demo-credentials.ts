import { hash, type KeyObject } from 'node:crypto';
import { type KeyLike, toPrivateKey, toPublicKey } from './shared/key-like.js';

/**
 * Fingerprints of the demo credentials ttpay publishes (`demoCredentials` and `DEMO_DOUYIN_APP_SECRET` of
 * `@ttpay/testing`, which the simulator accepts): SHA-256 of every demo string but `keyVersion` ("1" is a
 * real key version too), and SHA-256 of the SPKI DER of every demo RSA key. Digests, not the values, so a
 * production build can refuse the demo credentials without shipping them; `@ttpay/testing` checks that
 * these match what it publishes.
 */
const DEMO_VALUE_DIGESTS: ReadonlySet<string> = new Set([
  'c7393b7f3f3b66c24bf2a5eb0d66d86e6ab32c5825450854721adb55178c4bb0',
  '2e7b5eccf3ea578ae02113075ba5153b3b83b4c127731ef8a92c20019f898d66',
  '078a69260146b41eedb1df944e1726e0faa2f81e87d5268cd8cbee1054c0eb2c',
  '726081a88f4f5c565a55c7c2e0c2e5fca6c46bf44e2cb84d3299812e9304196c',
  '57f68f571e9fad0fef3b22238180ed17dd22cb30ebad27f95342918e458947fb',
  '48695f1ae01befb3fe2f3510c0fe5c171c9e34618a7e903a3f13bd2563f19dbe',
  '5489a5d4c58dbc8526727a0b176ba1ea974e2373f99f9dc9b99192f2a84f002d',
  'e017f534d5ee2ae1014a154717f6d42f6c26a48d48f3d67fc552b9fdd943625e',
  'ec1248819f27dfef79a3c8d1123ddd75bdb3f2ebf9afe70b1d1f6dc3ba4feebe',
  'c1f81fb49f563d1fd67c2702ac5fcf9613e2531ae7fe42043aa664fd4ac08834',
  '83e988ea1ed4fae73a8f9366c80a8e007f4ea1d407404f8c4b3926b0e66df0a9',
  'd5b207b10715d4caf5e852d708c5869ef8ddd2994fdf11264d595391dfcd0ced',
  '11e594f481958c10e3015d0bf0447a22f068a8a647f475df15ce2c7ab4b8f3f1',
  'dc214e5d34c42ca6c6677770bb1ef6dcea5111fec8e6bc71d898176492e716ec',
]);
const DEMO_KEY_DIGESTS: ReadonlySet<string> = new Set([
  'af1f487418cb29b0a42a1fddee5b47092c2c12b6ff35b39071fb5e083e04b86e',
  '7a0c50807e8bfef0ebf1783e0fb25ac4e20d8cc1a6da8bee1361847b5d2d0926',
]);

/**
 * True when `value` is one of ttpay's published demo credentials (an app id, salt, token, secret, api
 * key, tenant id…). A published value protects nothing: refuse it where you run for real, e.g. at
 * start-up when `NODE_ENV=production`. Compared by digest, so a near miss tells nothing.
 */
export function isPublishedDemoValue(value: string): boolean {
  return typeof value === 'string' && DEMO_VALUE_DIGESTS.has(hash('sha256', value, 'hex'));
}

/**
 * True when `key` (public or private, as PEM, DER, bare base64 or a KeyObject) is one of ttpay's published
 * demo RSA keys, judged by key material: a re-encoded PEM, PKCS#1 or DER of the same key is caught too,
 * and a private key by its public half. A key that cannot be parsed is not a demo key (false).
 */
export function isPublishedDemoKey(key: KeyLike): boolean {
  let publicKey: KeyObject;
  try {
    publicKey = toPublicKey(key);
  } catch {
    try {
      publicKey = toPublicKey(toPrivateKey(key)); // a private key's public half
    } catch {
      return false;
    }
  }
  return DEMO_KEY_DIGESTS.has(hash('sha256', publicKey.export({ type: 'spki', format: 'der' }), 'hex'));
}
