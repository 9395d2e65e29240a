import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials } from '@ttpay/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, type Env, loadConfig } from '../src/config.js';
import { PRODUCTION_ENV } from './production-env.js';

const d = demoCredentials;
const dir = mkdtempSync(join(tmpdir(), 'koa-shop-demo-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRODUCTION = PRODUCTION_ENV;

async function refusal(env: Env): Promise<ConfigError> {
  try {
    await loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

it('the reference environment itself starts (so every refusal below is the one value changed)', async () => {
  expect((await loadConfig(PRODUCTION)).production).toBe(true);
});

describe('the demo platform PUBLIC key, in any encoding, is refused by name (key material, not text)', () => {
  const demoPublic = createPublicKey(d.douyin.platformPublicKey);
  const spkiDer = demoPublic.export({ type: 'spki', format: 'der' });
  const pkcs1Pem = demoPublic.export({ type: 'pkcs1', format: 'pem' }).toString();
  const derFile = join(dir, 'platform.der');
  const pemFile = join(dir, 'platform.pem');
  const pkcs1File = join(dir, 'platform-pkcs1.pem');
  writeFileSync(derFile, spkiDer);
  writeFileSync(pemFile, d.douyin.platformPublicKey);
  writeFileSync(pkcs1File, pkcs1Pem);

  it.each([
    ['the published PEM', d.douyin.platformPublicKey],
    ['the PEM with literal \\n escapes', d.douyin.platformPublicKey.replace(/\n/g, '\\n')],
    ['the PEM with CRLF line ends', d.douyin.platformPublicKey.replace(/\n/g, '\r\n')],
    ['re-encoded as PKCS#1 PEM', pkcs1Pem],
    ['bare base64 DER, as the console shows keys', spkiDer.toString('base64')],
    ['bare base64 wrapped at 64 columns', spkiDer.toString('base64').replace(/(.{64})/g, '$1\n')],
    ['a DER file path', derFile],
    ['a PEM file path', pemFile],
    ['a PKCS#1 PEM file path', pkcs1File],
    ['the demo platform PRIVATE key (its public half is the demo key)', d.douyin.platformPrivateKey],
  ])('%s', async (_form, value) => {
    const error = await refusal({ ...PRODUCTION, DOUYIN_PLATFORM_PUBLIC_KEY: value });
    expect(error.variables).toEqual(['DOUYIN_PLATFORM_PUBLIC_KEY']);
    expect(error.message).toContain('DOUYIN_PLATFORM_PUBLIC_KEY');
    expect(error.message).not.toContain('MIIB');
    expect(error.message).not.toContain(dir);
  });
});

describe('the demo app PRIVATE key, in any encoding, is refused by name', () => {
  const demoPrivate = createPrivateKey(d.douyin.appPrivateKey);
  const pkcs1Pem = demoPrivate.export({ type: 'pkcs1', format: 'pem' }).toString();
  const pkcs8Der = demoPrivate.export({ type: 'pkcs8', format: 'der' });
  const derFile = join(dir, 'app.der');
  writeFileSync(derFile, pkcs8Der);

  it.each([
    ['the published PEM', d.douyin.appPrivateKey],
    ['re-encoded as PKCS#1 PEM', pkcs1Pem],
    ['bare base64 PKCS#8 DER', pkcs8Der.toString('base64')],
    ['a DER file path', derFile],
    ['the demo platform private key', d.douyin.platformPrivateKey],
  ])('%s', async (_form, value) => {
    const error = await refusal({ ...PRODUCTION, DOUYIN_APP_PRIVATE_KEY: value });
    expect(error.variables).toEqual(['DOUYIN_APP_PRIVATE_KEY']);
    expect(error.message).not.toContain('MII');
  });
});

describe('every published demo string is refused by name, never echoed', () => {
  it.each([
    ['DOUYIN_APP_ID', d.douyin.appId],
    ['DOUYIN_SALT', d.douyin.salt],
    ['DOUYIN_TOKEN', `real_token,${d.douyin.token}`],
    ['DOUYIN_APP_SECRET', DEMO_DOUYIN_APP_SECRET],
    ['TIKTOK_APP_KEY', d.tiktok.appKey],
    ['TIKTOK_APP_SECRET', d.tiktok.appSecret],
    ['TIKTOK_ACCESS_TOKEN', d.tiktok.accessToken],
    ['TIKTOK_ACCESS_TOKEN', d.tiktok.refreshToken],
    ['TIKTOK_SHOP_CIPHER', d.tiktok.shopCipher],
    ['TIKTOK_SHIPPING_PROVIDER_ID', 'demo_shipping_provider'],
    ['ALGOVOI_API_BASE', 'https://algovoi.invalid'],
    ['ALGOVOI_API_KEY', d.algovoi.apiKey],
    ['ALGOVOI_TENANT_ID', d.algovoi.tenantId],
    ['ALGOVOI_WEBHOOK_SECRET', d.algovoi.webhookSecret],
    // A demo secret moved to another variable is still public.
    ['DOUYIN_SALT', d.douyin.token],
    ['SHOP_API_TOKEN', d.algovoi.webhookSecret],
  ])('%s = a published value', async (name, value) => {
    const error = await refusal({ ...PRODUCTION, [name]: value });
    expect(error.variables).toEqual([name]);
    expect(error.message).toContain(`${name} holds a published demo value`);
    for (const part of value.split(',')) expect(error.message).not.toContain(part);
  });

  it('an environment of nothing but demo values names every variable at once', async () => {
    const error = await refusal({
      NODE_ENV: 'production',
      DOUYIN_APP_ID: d.douyin.appId,
      DOUYIN_SALT: d.douyin.salt,
      DOUYIN_TOKEN: d.douyin.token,
      DOUYIN_PLATFORM_PUBLIC_KEY: d.douyin.platformPublicKey,
      DOUYIN_APP_PRIVATE_KEY: d.douyin.appPrivateKey,
      DOUYIN_KEY_VERSION: d.douyin.keyVersion,
      DOUYIN_APP_SECRET: DEMO_DOUYIN_APP_SECRET,
      TIKTOK_APP_KEY: d.tiktok.appKey,
      TIKTOK_APP_SECRET: d.tiktok.appSecret,
      TIKTOK_ACCESS_TOKEN: d.tiktok.accessToken,
      TIKTOK_SHOP_CIPHER: d.tiktok.shopCipher,
      TIKTOK_SHIPPING_PROVIDER_ID: 'demo_shipping_provider',
      ALGOVOI_API_BASE: 'https://algovoi.invalid',
      ALGOVOI_API_KEY: d.algovoi.apiKey,
      ALGOVOI_TENANT_ID: d.algovoi.tenantId,
      ALGOVOI_WEBHOOK_SECRET: d.algovoi.webhookSecret,
      SHOP_API_TOKEN: 'real_shop_api_token_0123456789abcdef',
    });
    expect([...error.variables].sort()).toEqual(
      [
        'DOUYIN_APP_ID',
        'DOUYIN_SALT',
        'DOUYIN_TOKEN',
        'DOUYIN_PLATFORM_PUBLIC_KEY',
        'DOUYIN_APP_PRIVATE_KEY',
        'DOUYIN_APP_SECRET',
        'TIKTOK_APP_KEY',
        'TIKTOK_APP_SECRET',
        'TIKTOK_ACCESS_TOKEN',
        'TIKTOK_SHOP_CIPHER',
        'TIKTOK_SHIPPING_PROVIDER_ID',
        'ALGOVOI_API_BASE',
        'ALGOVOI_API_KEY',
        'ALGOVOI_TENANT_ID',
        'ALGOVOI_WEBHOOK_SECRET',
      ].sort(),
    );
  });

  it('outside production the same values are the demo defaults', async () => {
    const { NODE_ENV: _, ...env } = PRODUCTION;
    const config = await loadConfig({ ...env, DOUYIN_PLATFORM_PUBLIC_KEY: d.douyin.platformPublicKey });
    expect(config.production).toBe(false);
  });
});

describe('SHOP_API_TOKEN in production', () => {
  it('is required: missing, the shop refuses to start and names it', async () => {
    const { SHOP_API_TOKEN: _, ...env } = PRODUCTION;
    expect((await refusal(env)).variables).toEqual(['SHOP_API_TOKEN']);
  });

  it(`must be long enough to be a secret, and is never echoed`, async () => {
    const error = await refusal({ ...PRODUCTION, SHOP_API_TOKEN: 'hunter2' });
    expect(error.variables).toEqual(['SHOP_API_TOKEN']);
    expect(error.message).not.toContain('hunter2');
  });

  it('takes several during a rotation', async () => {
    const tokens = 'new_shop_api_token_0123456789abcdef, old_shop_api_token_0123456789abcdef';
    expect((await loadConfig({ ...PRODUCTION, SHOP_API_TOKEN: tokens })).api.tokens).toEqual([
      'new_shop_api_token_0123456789abcdef',
      'old_shop_api_token_0123456789abcdef',
    ]);
  });
});
