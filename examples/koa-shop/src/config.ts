import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ALGOVOI_NETWORKS, type AlgoVoiNetwork, ECPAY_ORIGINS, TIKTOK_API_ORIGINS } from '@ttpay/client';
import { isTtpayError, toPrivateKey, toPublicKey } from '@ttpay/core';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials } from '@ttpay/testing';

/**
 * The shop's configuration, read once from the environment (DESIGN.md "Example app contract").
 *
 * Outside NODE_ENV=production a missing credential falls back to the published demo value, and the
 * shop logs ONE warning naming those variables (never their values). In production the shop refuses to
 * start when any is missing, when one holds a published demo value, or when an API base points at the
 * local simulator.
 */
export interface ShopConfig {
  /** `PORT`; 0 picks a free port. */
  port: number;
  /** NODE_ENV=production. */
  production: boolean;
  logLevel: LogLevel;
  douyin: {
    appId: string;
    salt: string;
    /** The console Token(s): the first is current, the others still verify (rotation). */
    tokens: string[];
    /** Verifies trade-system callbacks; parsed once, here. */
    platformPublicKey: KeyObject;
    /** Signs tt.requestOrder data. */
    appPrivateKey: KeyObject;
    keyVersion: string;
    /** For the trade system's client token (server APIs such as refund_create). */
    appSecret: string;
    /** ecpay API (the trade system always uses https://open.douyin.com unless `api` is the simulator). */
    api: ApiTarget;
    /** https notify_url / payNotifyUrl sent with each order; unset: the console's callback URL. */
    notifyUrl: string | undefined;
  };
  tiktok: {
    appKey: string;
    appSecrets: string[];
    accessToken: string;
    shopCipher: string;
    /** The provider id the AlgoVoi transaction id is reported under as a tracking number. */
    shippingProviderId: string;
    api: ApiTarget;
  };
  algovoi: {
    api: ApiTarget;
    apiKey: string;
    tenantId: string;
    webhookSecrets: string[];
    network: AlgoVoiNetwork;
  };
  /**
   * Set: idempotency keys and the follow-up jobs live in Redis (several instances share them); unset:
   * both in process.
   */
  redisUrl: string | undefined;
  /**
   * `REDIS_PREFIX` (default `koa-shop:`): every key the shop writes to Redis starts with it — the
   * idempotency store's `<prefix>idem:…` and BullMQ's `<prefix>jobs:…`. Instances that must share work
   * share it; apps or environments sharing one Redis each get their own.
   */
  redisPrefix: string;
  /** Variables that fell back to demo values (names only). */
  demoDefaults: string[];
}

/** Where a client sends its requests. */
export interface ApiTarget {
  /** The configured base URL. */
  base: string;
  /** `http://127.0.0.1:…` (or localhost, [::1]): the local simulator, through the loopback test transport. */
  loopback: boolean;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A configuration the shop cannot start with. `variables` names the settings at fault (never values). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly variables: string[],
  ) {
    super(message);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_DOUYIN_API_BASE = ECPAY_ORIGINS[0];
const DEFAULT_TIKTOK_API_BASE = TIKTOK_API_ORIGINS[0];
/** Outside production, with no ALGOVOI_API_BASE: a name that never resolves, so nothing leaves by accident. */
const DEMO_ALGOVOI_API_BASE = 'https://algovoi.invalid';
const DEMO_SHIPPING_PROVIDER_ID = 'demo_shipping_provider';
export const DEFAULT_REDIS_PREFIX = 'koa-shop:';

export function loadConfig(env: Env = process.env): ShopConfig {
  const production = env.NODE_ENV === 'production';
  const missing: string[] = [];
  const invalid: { name: string; why: string }[] = [];
  const demoDefaults: string[] = [];
  const d = demoCredentials;

  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  /** A setting without a production default: the demo value outside production, missing inside. */
  const required = (name: string, demoValue: string): string => {
    const v = value(name);
    if (v !== undefined) return v;
    if (production) missing.push(name);
    else demoDefaults.push(name);
    return demoValue;
  };
  const problem = (name: string, why: string): void => {
    invalid.push({ name, why });
  };
  /** Comma-separated during rotation: the first value is current. */
  const list = (name: string, demoValue: string): string[] => {
    const values = required(name, demoValue)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (values.length === 0) problem(name, 'lists no value');
    return values;
  };

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535)
    problem('PORT', 'must be a TCP port number (0 picks a free one)');

  const logLevel = (value('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problem('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  const network = (value('ALGOVOI_NETWORK') ?? 'algorand_mainnet') as AlgoVoiNetwork;
  if (!ALGOVOI_NETWORKS.includes(network)) {
    problem('ALGOVOI_NETWORK', `must be one of ${ALGOVOI_NETWORKS.join(', ')}`);
  }

  const apiTarget = (name: string, fallback: string, allowed?: readonly string[]): ApiTarget => {
    const base = value(name) ?? fallback;
    let url: URL | undefined;
    try {
      url = new URL(base);
    } catch {
      problem(name, 'must be an absolute URL');
      return { base, loopback: false };
    }
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
      if (production) problem(name, 'points at a local simulator, which NODE_ENV=production refuses');
      if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
        problem(name, 'a simulator URL is http://127.0.0.1:PORT with nothing after the port');
      }
      return { base: url.origin, loopback: true };
    }
    if (url.protocol !== 'https:')
      problem(name, 'must be https (or http://127.0.0.1:PORT for the simulator)');
    else if (allowed && !allowed.includes(url.origin)) problem(name, `must be one of ${allowed.join(', ')}`);
    return { base, loopback: false };
  };

  const key = <K>(name: string, demoValue: string, parse: (k: string | Buffer) => K): K | undefined => {
    const v = required(name, demoValue);
    if (missing.includes(name)) return undefined;
    try {
      return parse(keyMaterial(v));
    } catch (error) {
      // Never echo the value: it may be a private key.
      problem(
        name,
        isTtpayError(error) || error instanceof KeyFileError
          ? 'is neither PEM text, bare base64 nor the path of a readable key file'
          : 'cannot be read',
      );
      return undefined;
    }
  };

  const redisPrefix = value('REDIS_PREFIX') ?? DEFAULT_REDIS_PREFIX;
  if (/\s/.test(redisPrefix)) problem('REDIS_PREFIX', 'must not contain whitespace');

  const notifyUrl = value('DOUYIN_NOTIFY_URL');
  if (notifyUrl !== undefined && !/^https:\/\/[^/]/.test(notifyUrl)) {
    problem('DOUYIN_NOTIFY_URL', 'must be an https URL (the platforms refuse anything else)');
  }

  const douyin = {
    appId: required('DOUYIN_APP_ID', d.douyin.appId),
    salt: required('DOUYIN_SALT', d.douyin.salt),
    tokens: list('DOUYIN_TOKEN', d.douyin.token),
    platformPublicKey: key('DOUYIN_PLATFORM_PUBLIC_KEY', d.douyin.platformPublicKey, toPublicKey),
    appPrivateKey: key('DOUYIN_APP_PRIVATE_KEY', d.douyin.appPrivateKey, toPrivateKey),
    keyVersion: required('DOUYIN_KEY_VERSION', d.douyin.keyVersion),
    appSecret: required('DOUYIN_APP_SECRET', DEMO_DOUYIN_APP_SECRET),
    api: apiTarget('DOUYIN_API_BASE', DEFAULT_DOUYIN_API_BASE, ECPAY_ORIGINS),
    notifyUrl,
  };
  const tiktok = {
    appKey: required('TIKTOK_APP_KEY', d.tiktok.appKey),
    appSecrets: list('TIKTOK_APP_SECRET', d.tiktok.appSecret),
    accessToken: required('TIKTOK_ACCESS_TOKEN', d.tiktok.accessToken),
    shopCipher: required('TIKTOK_SHOP_CIPHER', d.tiktok.shopCipher),
    shippingProviderId: required('TIKTOK_SHIPPING_PROVIDER_ID', DEMO_SHIPPING_PROVIDER_ID),
    api: apiTarget('TIKTOK_API_BASE', DEFAULT_TIKTOK_API_BASE, TIKTOK_API_ORIGINS),
  };
  const algovoiBase = required('ALGOVOI_API_BASE', DEMO_ALGOVOI_API_BASE);
  const algovoi = {
    api: missing.includes('ALGOVOI_API_BASE')
      ? { base: algovoiBase, loopback: false }
      : apiTarget('ALGOVOI_API_BASE', algovoiBase),
    apiKey: required('ALGOVOI_API_KEY', d.algovoi.apiKey),
    tenantId: required('ALGOVOI_TENANT_ID', d.algovoi.tenantId),
    webhookSecrets: list('ALGOVOI_WEBHOOK_SECRET', d.algovoi.webhookSecret),
    network,
  };

  if (production) {
    // A published demo value protects nothing: refuse it as if it were missing.
    const demoValues: [string, string, readonly string[]][] = [
      ['DOUYIN_SALT', d.douyin.salt, [douyin.salt]],
      ['DOUYIN_TOKEN', d.douyin.token, douyin.tokens],
      ['DOUYIN_APP_SECRET', DEMO_DOUYIN_APP_SECRET, [douyin.appSecret]],
      ['TIKTOK_APP_SECRET', d.tiktok.appSecret, tiktok.appSecrets],
      ['TIKTOK_ACCESS_TOKEN', d.tiktok.accessToken, [tiktok.accessToken]],
      ['ALGOVOI_API_KEY', d.algovoi.apiKey, [algovoi.apiKey]],
      ['ALGOVOI_WEBHOOK_SECRET', d.algovoi.webhookSecret, algovoi.webhookSecrets],
    ];
    for (const [name, demoValue, given] of demoValues) {
      if (!missing.includes(name) && given.includes(demoValue)) problem(name, 'holds a published demo value');
    }
    const demoKey = toPrivateKey(d.douyin.appPrivateKey).export({ type: 'pkcs8', format: 'der' });
    if (douyin.appPrivateKey?.export({ type: 'pkcs8', format: 'der' }).equals(demoKey)) {
      problem('DOUYIN_APP_PRIVATE_KEY', 'holds a published demo value');
    }
  }

  if (missing.length > 0) {
    throw new ConfigError(
      `NODE_ENV=production and these settings are missing: ${missing.join(', ')}. ` +
        'Set them; demo values are used only outside production.',
      [...missing, ...invalid.map((i) => i.name)],
    );
  }
  if (invalid.length > 0) {
    throw new ConfigError(
      `Invalid settings: ${invalid.map((i) => `${i.name} ${i.why}`).join('; ')}.`,
      invalid.map((i) => i.name),
    );
  }
  if (!douyin.platformPublicKey || !douyin.appPrivateKey) throw new Error('unreachable: keys checked above');

  return {
    port,
    production,
    logLevel,
    douyin: { ...douyin, platformPublicKey: douyin.platformPublicKey, appPrivateKey: douyin.appPrivateKey },
    tiktok,
    algovoi,
    redisUrl: value('REDIS_URL'),
    redisPrefix,
    demoDefaults,
  };
}

/** The one warning about demo values: names, never values. */
export function demoDefaultsWarning(config: ShopConfig): string | undefined {
  if (config.demoDefaults.length === 0) return undefined;
  return (
    `Using the published demo values for ${config.demoDefaults.join(', ')}. ` +
    'They protect nothing: set these variables for a real shop (NODE_ENV=production refuses to start without them).'
  );
}

class KeyFileError extends Error {}

/**
 * A key given as PEM text (literal `\n` escapes allowed, as env files often hold them), as the bare
 * base64 a console shows, or as the path of a PEM or DER file.
 */
function keyMaterial(value: string): string | Buffer {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  const compact = value.replace(/\s+/g, '');
  if (compact.length >= 128 && /^[A-Za-z0-9+/]+=*$/.test(compact)) return compact;
  let bytes: Buffer;
  try {
    bytes = readFileSync(value);
  } catch {
    throw new KeyFileError('unreadable');
  }
  return bytes.includes('-----BEGIN') ? bytes.toString('utf8') : bytes;
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}
