import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALGOVOI_NETWORKS, type AlgoVoiClient, ECPAY_ORIGINS, TIKTOK_API_ORIGINS } from '@ttpay/client';
import { isPublishedDemoKey, isPublishedDemoValue, toPrivateKey, toPublicKey } from '@ttpay/core';
import { DEFAULT_CLAIM_TTL_MS } from '@ttpay/core/delivery';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type Env = Readonly<Record<string, string | undefined>>;
/** Where a client sends its requests; `loopback`: the local simulator (outside production only). */
export interface ApiTarget {
  base: string;
  loopback: boolean;
}
export type ShopConfig = Awaited<ReturnType<typeof loadConfig>>;
export type HttpLimits = ShopConfig['http'];

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

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data', import.meta.url));
/** SHOP_API_TOKEN in production: at least this long (`openssl rand -hex 32` gives 64 characters). */
export const MIN_API_TOKEN_LENGTH = 32;
/** The shop's own demo values: a shipping provider id no carrier has, a gateway host that never resolves. */
const DEMO_SHOP_DEFAULTS: Record<string, string> = {
  TIKTOK_SHIPPING_PROVIDER_ID: 'demo_shipping_provider',
  ALGOVOI_API_BASE: 'https://algovoi.invalid',
};

/**
 * The shop's configuration, read once from the environment; README "Configuration" lists every variable.
 * Plain code rather than a schema library (valibot was tried: longer, and every message had to be
 * overridden so no secret is quoted): what is left is fallbacks and refusals, not shapes. Outside
 * NODE_ENV=production a missing credential falls back to the published demo value — `@ttpay/testing`,
 * loaded only then (a dev dependency) — and the shop warns once, naming the variables. In production a
 * missing one, a published demo value (`isPublishedDemoValue`/`isPublishedDemoKey` of @ttpay/core) or an
 * API base on the local simulator refuses to start.
 */
export async function loadConfig(env: Env = process.env) {
  const production = env.NODE_ENV === 'production';
  const missing: string[] = [];
  const invalid: string[] = [];
  const demoDefaults: string[] = [];
  const problem = (name: string, why: string, when: unknown) => void (when && invalid.push(`${name} ${why}`));
  const split = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const names = (list: string[]) => list.map((i) => i.split(' ')[0] as string);
  const value = (name: string) => env[name]?.trim() || undefined;
  // The demo values come from @ttpay/testing, a dev dependency: imported only when one is needed.
  const demo =
    production || Object.keys(CREDENTIALS).every(value) ? undefined : await import('@ttpay/testing');

  const required = (name: string): string => {
    const v = value(name);
    if (v !== undefined) {
      const published = (s: string) => isPublishedDemoValue(s) || s === DEMO_SHOP_DEFAULTS[name];
      problem(name, 'holds a published demo value', production && split(v).some(published));
      return v;
    }
    if (production) missing.push(name);
    else demoDefaults.push(name);
    return demo ? (CREDENTIALS[name]?.(demo) ?? '') : '';
  };
  /** A credential with no demo fallback: still refused in production when it holds a published demo value. */
  const optional = (name: string): string | undefined => {
    const v = value(name);
    problem(name, 'holds a published demo value', production && v !== undefined && isPublishedDemoValue(v));
    return v;
  };
  const list = (name: string) => {
    const values = split(required(name));
    problem(name, 'lists no value', values.length === 0 && !missing.includes(name));
    return values;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const bad = !/^\d+$/.test(text) || Number(text) < min || Number(text) > max;
    problem(name, `must be a whole number from ${min} to ${max}`, bad);
    return Number(text);
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]) => {
    const v = (value(name) ?? fallback) as T;
    problem(name, `must be one of ${allowed.join(', ')}`, !allowed.includes(v));
    return v;
  };
  const key = <K extends KeyObject>(name: string, parse: (k: string | Buffer) => K): K => {
    const v = required(name);
    if (missing.includes(name)) return undefined as unknown as K;
    try {
      const parsed = parse(keyMaterial(v));
      problem(name, 'holds a published demo key', production && isPublishedDemoKey(parsed));
      return parsed;
    } catch {
      problem(name, 'is neither PEM text, bare base64 nor the path of a readable key file', true); // never the value
      return undefined as unknown as K;
    }
  };
  const apiTarget = (name: string, fallback: string, allowed?: readonly string[]): ApiTarget => {
    const base = value(name) ?? fallback;
    if (missing.includes(name)) return { base, loopback: false };
    const url = URL.canParse(base) ? new URL(base) : undefined;
    if (!url) {
      problem(name, 'must be an absolute URL', true);
      return { base, loopback: false };
    }
    if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      problem(name, 'points at a local simulator, which NODE_ENV=production refuses', production);
      const extra = url.pathname !== '/' || url.search || url.hash || url.username;
      problem(name, 'a simulator URL is http://127.0.0.1:PORT with nothing after the port', extra);
      return { base: url.origin, loopback: true };
    }
    problem(name, 'must be https (or http://127.0.0.1:PORT for the simulator)', url.protocol !== 'https:');
    problem(
      name,
      `must be one of ${allowed?.join(', ')}`,
      url.protocol === 'https:' && allowed && !allowed.includes(url.origin),
    );
    return { base, loopback: false };
  };

  const port = integer('PORT', 3000, 0, 65_535);
  const logLevel = oneOf<LogLevel>('LOG_LEVEL', 'info', LOG_LEVELS);
  const http = {
    /** A connection must have sent its request headers by then (408 and closed otherwise). */
    headersTimeoutMs: integer('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    /** ... and its whole request, body included. */
    requestTimeoutMs: integer('HTTP_REQUEST_TIMEOUT_MS', 15_000, 100, 600_000),
    keepAliveTimeoutMs: integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 0, 600_000),
    /** Connections beyond this are closed as soon as they are accepted. */
    maxConnections: integer('HTTP_MAX_CONNECTIONS', 512, 1, 1_000_000),
  };
  const headersTooLong = http.headersTimeoutMs > http.requestTimeoutMs;
  problem('HTTP_HEADERS_TIMEOUT_MS', 'must not exceed HTTP_REQUEST_TIMEOUT_MS', headersTooLong);
  const tokens = split(value('SHOP_API_TOKEN') ?? '');
  if (production && tokens.length === 0) missing.push('SHOP_API_TOKEN');
  problem('SHOP_API_TOKEN', 'holds a published demo value', production && tokens.some(isPublishedDemoValue));
  const short = production && tokens.some((t) => t.length < MIN_API_TOKEN_LENGTH);
  problem(
    'SHOP_API_TOKEN',
    `must be at least ${MIN_API_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`,
    short,
  );
  const databaseUrl = value('DATABASE_URL');
  problem(
    'DATABASE_URL',
    'must be a postgres:// URL',
    databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl),
  );
  const notifyUrl = value('DOUYIN_NOTIFY_URL');
  const notHttps = notifyUrl && !/^https:\/\/[^/]/.test(notifyUrl);
  problem('DOUYIN_NOTIFY_URL', 'must be an https URL (the platforms refuse anything else)', notHttps);
  const orderEntryPath = value('DOUYIN_ORDER_ENTRY_PATH') ?? 'pages/order/detail';
  problem(
    'DOUYIN_ORDER_ENTRY_PATH',
    'must be a mini-program page path, without spaces',
    /\s/.test(orderEntryPath),
  );

  const config = {
    port,
    production,
    logLevel,
    douyin: {
      appId: required('DOUYIN_APP_ID'),
      salt: required('DOUYIN_SALT'),
      /** The console Token(s): the first is current, the others still verify (rotation). */
      tokens: list('DOUYIN_TOKEN'),
      platformPublicKey: key('DOUYIN_PLATFORM_PUBLIC_KEY', toPublicKey),
      appPrivateKey: key('DOUYIN_APP_PRIVATE_KEY', toPrivateKey),
      keyVersion: required('DOUYIN_KEY_VERSION'),
      appSecret: required('DOUYIN_APP_SECRET'),
      api: apiTarget('DOUYIN_API_BASE', ECPAY_ORIGINS[0] as string, ECPAY_ORIGINS),
      notifyUrl,
      orderEntryPath,
    },
    tiktok: {
      appKey: required('TIKTOK_APP_KEY'),
      appSecrets: list('TIKTOK_APP_SECRET'),
      accessToken: required('TIKTOK_ACCESS_TOKEN'),
      /**
       * `TIKTOK_REFRESH_TOKEN` (optional): with it the client refreshes the access token on 105002 and on
       * the type-7 webhook (docs/PROTOCOLS.md §3.5). Outside production the demo one, so the demo shows it.
       */
      refreshToken: optional('TIKTOK_REFRESH_TOKEN') ?? demo?.demoCredentials.tiktok.refreshToken,
      /** May be left out when `TIKTOK_SHOP_ID` is set: the client takes it from Get Authorized Shops. */
      shopCipher: value('TIKTOK_SHOP_ID') ? optional('TIKTOK_SHOP_CIPHER') : required('TIKTOK_SHOP_CIPHER'),
      shopId: value('TIKTOK_SHOP_ID'),
      shippingProviderId: required('TIKTOK_SHIPPING_PROVIDER_ID'),
      api: apiTarget('TIKTOK_API_BASE', TIKTOK_API_ORIGINS[0] as string, TIKTOK_API_ORIGINS),
    },
    algovoi: {
      api: apiTarget('ALGOVOI_API_BASE', required('ALGOVOI_API_BASE')),
      apiKey: required('ALGOVOI_API_KEY'),
      tenantId: required('ALGOVOI_TENANT_ID'),
      webhookSecrets: list('ALGOVOI_WEBHOOK_SECRET'),
      network: oneOf<AlgoVoiClient.Network>('ALGOVOI_NETWORK', 'algorand_mainnet', ALGOVOI_NETWORKS),
    },
    /** Set: one PostgreSQL for every instance. Unset: the embedded PGlite under `dataDir` (one process). */
    databaseUrl,
    /** `memory://` keeps the embedded database in memory (tests, `pnpm demo`). */
    dataDir: value('DATA_DIR') ?? DEFAULT_DATA_DIR,
    /**
     * How long a claim made outside a transaction holds its key (@ttpay/koa's claimTtlMs). The webhooks on
     * PostgresStore do not use it (processOnce: the claim is their transaction's, and a crash frees it with
     * the connection); above the slowest handler all the same.
     */
    leaseMs: integer('IDEMPOTENCY_LEASE_MS', DEFAULT_CLAIM_TTL_MS, 100, 86_400_000),
    reconcile: {
      /** An order unpaid for this long is asked about (Douyin's first retries have had their chance). */
      afterMs: integer('RECONCILE_AFTER_MS', 10 * 60_000, 0, 7 * 86_400_000),
      /** How often; 0 turns reconciliation off. */
      everyMs: integer('RECONCILE_EVERY_MS', 60_000, 0, 86_400_000),
    },
    http,
    /** The order routes' bearer tokens and creation limits. */
    api: {
      tokens,
      ordersPerMinutePerClient: integer('ORDERS_PER_MINUTE_PER_IP', 60, 1, 1_000_000),
      ordersPerMinute: integer('ORDERS_PER_MINUTE', 300, 1, 1_000_000),
    },
    /** Variables that fell back to demo values (names only). */
    demoDefaults,
  };
  if (missing.length > 0) {
    throw new ConfigError(
      `NODE_ENV=production and these settings are missing: ${missing.join(', ')}. Set them; demo values are used only outside production.`,
      [...missing, ...names(invalid)],
    );
  }
  if (invalid.length > 0) throw new ConfigError(`Invalid settings: ${invalid.join('; ')}.`, names(invalid));
  return config;
}

type Demo = typeof import('@ttpay/testing');
/** The variables without a production default, and where outside production their demo value comes from. */
const CREDENTIALS: Record<string, (t: Demo) => string> = {
  DOUYIN_APP_ID: (t) => t.demoCredentials.douyin.appId,
  DOUYIN_SALT: (t) => t.demoCredentials.douyin.salt,
  DOUYIN_TOKEN: (t) => t.demoCredentials.douyin.token,
  DOUYIN_PLATFORM_PUBLIC_KEY: (t) => t.demoCredentials.douyin.platformPublicKey,
  DOUYIN_APP_PRIVATE_KEY: (t) => t.demoCredentials.douyin.appPrivateKey,
  DOUYIN_KEY_VERSION: (t) => t.demoCredentials.douyin.keyVersion,
  DOUYIN_APP_SECRET: (t) => t.DEMO_DOUYIN_APP_SECRET,
  TIKTOK_APP_KEY: (t) => t.demoCredentials.tiktok.appKey,
  TIKTOK_APP_SECRET: (t) => t.demoCredentials.tiktok.appSecret,
  TIKTOK_ACCESS_TOKEN: (t) => t.demoCredentials.tiktok.accessToken,
  TIKTOK_SHOP_CIPHER: (t) => t.demoCredentials.tiktok.shopCipher,
  TIKTOK_SHIPPING_PROVIDER_ID: () => DEMO_SHOP_DEFAULTS.TIKTOK_SHIPPING_PROVIDER_ID as string,
  ALGOVOI_API_BASE: () => DEMO_SHOP_DEFAULTS.ALGOVOI_API_BASE as string,
  ALGOVOI_API_KEY: (t) => t.demoCredentials.algovoi.apiKey,
  ALGOVOI_TENANT_ID: (t) => t.demoCredentials.algovoi.tenantId,
  ALGOVOI_WEBHOOK_SECRET: (t) => t.demoCredentials.algovoi.webhookSecret,
};

/** A key as PEM text (literal `\n` escapes allowed), the bare base64 a console shows, or a PEM/DER file path. */
function keyMaterial(value: string): string | Buffer {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  const compact = value.replace(/\s+/g, '');
  if (compact.length >= 128 && /^[A-Za-z0-9+/]+=*$/.test(compact)) return compact;
  const bytes = readFileSync(value);
  return bytes.includes('-----BEGIN') ? bytes.toString('utf8') : bytes;
}

/** The one warning about demo values and open order routes: names, never values. */
export function demoDefaultsWarning(config: ShopConfig): string | undefined {
  const parts: string[] = [];
  if (config.demoDefaults.length > 0) {
    parts.push(
      `Using the published demo values for ${config.demoDefaults.join(', ')}. They protect nothing: set these variables for a real shop (NODE_ENV=production refuses to start without them).`,
    );
  }
  const realHosts = [config.douyin.api, config.tiktok.api, config.algovoi.api].some((api) => !api.loopback);
  if (config.demoDefaults.length > 0 && realHosts) {
    parts.push(
      'The real platform hosts refuse them, so orders fail there: to try the shop locally, run `pnpm dev` ' +
        '(this shop against the local simulator, in one process), or run `pnpm ttpay simulate` and set ' +
        'DOUYIN_API_BASE, TIKTOK_API_BASE and ALGOVOI_API_BASE to http://127.0.0.1:4010.',
    );
  }
  if (config.api.tokens.length === 0)
    parts.push(
      'SHOP_API_TOKEN is not set: the order routes take requests without a token (never in production).',
    );
  return parts.length > 0 ? parts.join(' ') : undefined;
}
