import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials } from '@ttpay/testing';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, type Env, loadConfig } from '../src/config.js';
import { captureLogger, createTestShop } from './helpers.js';
import { PRODUCTION_ENV } from './production-env.js';

const dir = mkdtempSync(join(tmpdir(), 'koa-shop-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: typeof platform.publicKey) =>
  k.export({ type: k.type === 'public' ? 'spki' : 'pkcs8', format: 'pem' }).toString();

const SECRETS = [
  'DOUYIN_SALT',
  'DOUYIN_TOKEN',
  'DOUYIN_PLATFORM_PUBLIC_KEY',
  'DOUYIN_APP_PRIVATE_KEY',
  'DOUYIN_APP_SECRET',
  'TIKTOK_APP_SECRET',
  'TIKTOK_ACCESS_TOKEN',
  'ALGOVOI_API_KEY',
  'ALGOVOI_WEBHOOK_SECRET',
];

async function configError(env: Env): Promise<ConfigError> {
  try {
    await loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('production (NODE_ENV=production)', () => {
  it('refuses to start without its settings, naming every missing variable', async () => {
    const error = await configError({ NODE_ENV: 'production' });
    for (const name of [
      ...SECRETS,
      'DOUYIN_APP_ID',
      'TIKTOK_APP_KEY',
      'ALGOVOI_API_BASE',
      'ALGOVOI_TENANT_ID',
      'SHOP_API_TOKEN',
    ]) {
      expect(error.message).toContain(name);
      expect(error.variables).toContain(name);
    }
    expect(error.message).toMatch(/NODE_ENV=production/);
  });

  it('names exactly the ones missing', async () => {
    const { DOUYIN_SALT: _salt, TIKTOK_ACCESS_TOKEN: _token, ...rest } = PRODUCTION_ENV;
    const error = await configError(rest);
    expect(error.variables).toEqual(['DOUYIN_SALT', 'TIKTOK_ACCESS_TOKEN']);
  });

  it('starts with every setting present, and without a demo-values warning', async () => {
    const config = await loadConfig(PRODUCTION_ENV);
    expect(config).toMatchObject({ production: true, demoDefaults: [], port: 3000 });
    expect(config.douyin.api).toEqual({ base: 'https://developer.toutiao.com', loopback: false });
    const logs = captureLogger('warn');
    await (await createTestShop(config, { logger: logs.logger })).stop();
    expect(logs.lines).toEqual([]);
  });

  it('refuses published demo values as if they were missing', async () => {
    const error = await configError({
      ...PRODUCTION_ENV,
      DOUYIN_SALT: demoCredentials.douyin.salt,
      DOUYIN_APP_SECRET: DEMO_DOUYIN_APP_SECRET,
      DOUYIN_APP_PRIVATE_KEY: demoCredentials.douyin.appPrivateKey,
      ALGOVOI_WEBHOOK_SECRET: `real_one,${demoCredentials.algovoi.webhookSecret}`,
    });
    expect(error.variables).toEqual([
      'DOUYIN_SALT',
      'DOUYIN_APP_PRIVATE_KEY',
      'DOUYIN_APP_SECRET',
      'ALGOVOI_WEBHOOK_SECRET',
    ]);
    expect(error.message).not.toContain(demoCredentials.douyin.salt);
  });

  it('refuses API bases that point at the local simulator', async () => {
    const error = await configError({ ...PRODUCTION_ENV, TIKTOK_API_BASE: 'http://127.0.0.1:4010' });
    expect(error.variables).toEqual(['TIKTOK_API_BASE']);
  });

  it('serves no /events', async () => {
    const shop = await createTestShop(await loadConfig(PRODUCTION_ENV), { logger: captureLogger().logger });
    await request(shop.app.callback()).get('/events').expect(404);
    await request(shop.app.callback()).get('/healthz').expect(200);
    await shop.stop();
  });
});

describe('outside production', () => {
  it('falls back to the demo values and warns ONCE, naming the variables, never their values', async () => {
    const config = await loadConfig({});
    expect(config.production).toBe(false);
    expect(config.demoDefaults).toEqual(expect.arrayContaining([...SECRETS, 'ALGOVOI_API_BASE']));
    expect(config.douyin.salt).toBe(demoCredentials.douyin.salt);

    const logs = captureLogger('debug');
    await (await createTestShop(config, { logger: logs.logger })).stop();
    const warnings = logs.lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    for (const name of SECRETS) expect(warnings[0]?.msg).toContain(name);
    const everything = logs.text();
    for (const value of [
      demoCredentials.douyin.salt,
      demoCredentials.douyin.token,
      demoCredentials.tiktok.appSecret,
      demoCredentials.tiktok.accessToken,
      demoCredentials.algovoi.apiKey,
      demoCredentials.algovoi.webhookSecret,
      DEMO_DOUYIN_APP_SECRET,
      'PRIVATE KEY',
    ]) {
      expect(everything).not.toContain(value);
    }
  });

  it('names only the variables that are really missing', async () => {
    const { NODE_ENV: _, ...env } = PRODUCTION_ENV;
    expect((await loadConfig(env)).demoDefaults).toEqual([]);
    const { DOUYIN_TOKEN: _t, ...withoutToken } = env;
    expect((await loadConfig(withoutToken)).demoDefaults).toEqual(['DOUYIN_TOKEN']);
  });

  it('takes the simulator as API base (loopback http), and nothing else over http', async () => {
    const config = await loadConfig({
      DOUYIN_API_BASE: 'http://127.0.0.1:4010',
      ALGOVOI_API_BASE: 'http://localhost:4010/',
    });
    expect(config.douyin.api).toEqual({ base: 'http://127.0.0.1:4010', loopback: true });
    expect(config.algovoi.api).toEqual({ base: 'http://localhost:4010', loopback: true });
    expect((await configError({ DOUYIN_API_BASE: 'http://evil.example' })).variables).toEqual([
      'DOUYIN_API_BASE',
    ]);
    expect(
      (await configError({ TIKTOK_API_BASE: 'https://open-api-sg.tiktokglobalshop.com' })).variables,
    ).toEqual(['TIKTOK_API_BASE']);
    expect((await configError({ DOUYIN_API_BASE: 'http://127.0.0.1:4010/api' })).variables).toEqual([
      'DOUYIN_API_BASE',
    ]);
  });
});

describe('settings', () => {
  it('PORT is honoured; a bad one is refused', async () => {
    expect((await loadConfig({ PORT: '8080' })).port).toBe(8080);
    expect((await loadConfig({ PORT: '0' })).port).toBe(0);
    expect((await configError({ PORT: 'eighty' })).variables).toEqual(['PORT']);
    expect((await configError({ PORT: '70000' })).variables).toEqual(['PORT']);
  });

  it('LOG_LEVEL takes pino levels', async () => {
    expect((await loadConfig({ LOG_LEVEL: 'debug' })).logLevel).toBe('debug');
    expect((await configError({ LOG_LEVEL: 'loud' })).variables).toEqual(['LOG_LEVEL']);
  });

  it('secrets may be comma-separated lists during rotation (the first is current)', async () => {
    const config = await loadConfig({ DOUYIN_TOKEN: 'new, old', TIKTOK_APP_SECRET: 'a,b' });
    expect(config.douyin.tokens).toEqual(['new', 'old']);
    expect(config.tiktok.appSecrets).toEqual(['a', 'b']);
  });

  it('a list with no value is refused by name', async () => {
    expect((await configError({ DOUYIN_TOKEN: ' , ' })).variables).toEqual(['DOUYIN_TOKEN']);
  });

  it('DOUYIN_NOTIFY_URL must be https', async () => {
    expect(
      (await loadConfig({ DOUYIN_NOTIFY_URL: 'https://shop.example/douyin/notify' })).douyin.notifyUrl,
    ).toBe('https://shop.example/douyin/notify');
    expect((await configError({ DOUYIN_NOTIFY_URL: 'http://shop.example/douyin/notify' })).variables).toEqual(
      ['DOUYIN_NOTIFY_URL'],
    );
  });

  it('DOUYIN_ORDER_ENTRY_PATH names the order page tt.requestOrder links to', async () => {
    expect((await loadConfig({})).douyin.orderEntryPath).toBe('pages/order/detail');
    expect((await loadConfig({ DOUYIN_ORDER_ENTRY_PATH: 'pages/mine/order' })).douyin.orderEntryPath).toBe(
      'pages/mine/order',
    );
    expect((await configError({ DOUYIN_ORDER_ENTRY_PATH: 'pages/my order' })).variables).toEqual([
      'DOUYIN_ORDER_ENTRY_PATH',
    ]);
  });
});

describe('keys: PEM text, bare base64, or a file path', () => {
  const publicPem = pem(platform.publicKey);
  const der = platform.publicKey.export({ type: 'spki', format: 'der' });
  const same = async (env: Env) =>
    (await loadConfig(env)).douyin.platformPublicKey.export({ type: 'spki', format: 'der' }).equals(der);

  it('PEM text, also with literal \\n escapes as env files hold it', async () => {
    expect(await same({ DOUYIN_PLATFORM_PUBLIC_KEY: publicPem })).toBe(true);
    expect(await same({ DOUYIN_PLATFORM_PUBLIC_KEY: publicPem.replace(/\n/g, '\\n') })).toBe(true);
  });

  it('bare base64, as the Douyin console shows it', async () => {
    expect(await same({ DOUYIN_PLATFORM_PUBLIC_KEY: der.toString('base64') })).toBe(true);
  });

  it('the path of a PEM file or a DER file', async () => {
    const pemFile = join(dir, 'platform.pem');
    const derFile = join(dir, 'platform.der');
    writeFileSync(pemFile, publicPem);
    writeFileSync(derFile, der);
    expect(await same({ DOUYIN_PLATFORM_PUBLIC_KEY: pemFile })).toBe(true);
    expect(await same({ DOUYIN_PLATFORM_PUBLIC_KEY: derFile })).toBe(true);
    const privateFile = join(dir, 'app.pem');
    writeFileSync(privateFile, pem(app.privateKey));
    expect((await loadConfig({ DOUYIN_APP_PRIVATE_KEY: privateFile })).douyin.appPrivateKey.type).toBe(
      'private',
    );
  });

  it('a missing file or garbage is refused by name, without echoing the value', async () => {
    const missing = await configError({ DOUYIN_APP_PRIVATE_KEY: join(dir, 'nope.pem') });
    expect(missing.variables).toEqual(['DOUYIN_APP_PRIVATE_KEY']);
    expect(missing.message).not.toContain('nope.pem');
    const garbage = await configError({
      DOUYIN_PLATFORM_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----',
    });
    expect(garbage.variables).toEqual(['DOUYIN_PLATFORM_PUBLIC_KEY']);
    expect(garbage.message).not.toContain('not a key');
  });
});
