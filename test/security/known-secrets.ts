import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials } from '@ttpay/testing';

/** A value that must never be printed, by name: the scan reports the name, never the value. */
export interface KnownSecret {
  name: string;
  value: string;
}

const KEYS_DIR = fileURLToPath(new URL('../vectors/keys/', import.meta.url));

/**
 * The lines of a PEM body long enough to be unmistakable: a key printed whole, JSON-escaped, or as
 * bare base64 contains them. (The first line's opening is the same ASN.1 header in every RSA key,
 * but its whole 64 characters reach into the key's own bytes.)
 */
export function pemBodyLines(pem: string, name: string): KnownSecret[] {
  return pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 40 && !line.startsWith('-----'))
    .map((value, i) => ({ name: `${name} (line ${i + 1} of its body)`, value }));
}

/**
 * Every configured secret of the suite: the demo credentials' salts, tokens, app secrets, API keys and
 * webhook secrets, `DEMO_DOUYIN_APP_SECRET`, and the private keys' bodies (the demo pairs and
 * test/vectors/keys/*_private.pem). Public keys, app ids, tenant ids and shop ids are not secrets.
 */
export function knownSecrets(): KnownSecret[] {
  const { douyin, tiktok, algovoi } = demoCredentials;
  const secrets: KnownSecret[] = [
    { name: 'demoCredentials.douyin.salt', value: douyin.salt },
    { name: 'demoCredentials.douyin.token', value: douyin.token },
    { name: 'DEMO_DOUYIN_APP_SECRET', value: DEMO_DOUYIN_APP_SECRET },
    { name: 'demoCredentials.tiktok.appSecret', value: tiktok.appSecret },
    { name: 'demoCredentials.tiktok.accessToken', value: tiktok.accessToken },
    { name: 'demoCredentials.tiktok.refreshToken', value: tiktok.refreshToken },
    { name: 'demoCredentials.algovoi.apiKey', value: algovoi.apiKey },
    { name: 'demoCredentials.algovoi.webhookSecret', value: algovoi.webhookSecret },
    ...pemBodyLines(douyin.appPrivateKey, 'demoCredentials.douyin.appPrivateKey'),
    ...pemBodyLines(douyin.platformPrivateKey, 'demoCredentials.douyin.platformPrivateKey'),
  ];
  for (const file of readdirSync(KEYS_DIR)
    .filter((f) => f.endsWith('_private.pem'))
    .sort()) {
    secrets.push(...pemBodyLines(readFileSync(KEYS_DIR + file, 'utf8'), `test/vectors/keys/${file}`));
  }
  // One entry per value (the vector keys are the demo keys): the first name is the one reported.
  const seen = new Set<string>();
  return secrets.filter((s) => s.value.length > 0 && !seen.has(s.value) && seen.add(s.value));
}
