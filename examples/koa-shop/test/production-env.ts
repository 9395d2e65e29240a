import { generateKeyPairSync } from 'node:crypto';
import type { Env } from '../src/config.js';

const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const app = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** The shop's bearer token in `PRODUCTION_ENV`. */
export const SHOP_API_TOKEN = 'real_shop_api_token_0123456789abcdef';

/**
 * A complete production environment with made-up, non-demo values (fresh RSA keys per test run). The
 * API bases are the real hosts: a test using it must not let a request reach them.
 */
export const PRODUCTION_ENV: Env = {
  NODE_ENV: 'production',
  DOUYIN_APP_ID: 'tt_real_app',
  DOUYIN_SALT: 'real_salt',
  DOUYIN_TOKEN: 'real_token',
  DOUYIN_PLATFORM_PUBLIC_KEY: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  DOUYIN_APP_PRIVATE_KEY: app.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  DOUYIN_KEY_VERSION: '1',
  DOUYIN_APP_SECRET: 'real_app_secret',
  TIKTOK_APP_KEY: 'real_app_key',
  TIKTOK_APP_SECRET: 'real_tiktok_secret',
  TIKTOK_ACCESS_TOKEN: 'real_access_token',
  TIKTOK_SHOP_CIPHER: 'real_cipher',
  TIKTOK_SHIPPING_PROVIDER_ID: '6617675021119438849',
  ALGOVOI_API_BASE: 'https://api.algovoi.example',
  ALGOVOI_API_KEY: 'real_api_key',
  ALGOVOI_TENANT_ID: 'real_tenant',
  ALGOVOI_WEBHOOK_SECRET: 'real_webhook_secret',
  SHOP_API_TOKEN,
};
