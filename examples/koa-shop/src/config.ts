import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALGOVOI_NETWORKS, type AlgoVoiNetwork, ECPAY_ORIGINS, TIKTOK_API_ORIGINS } from '@ttpay/client';
import { isTtpayError, toPrivateKey, toPublicKey } from '@ttpay/core';
import { DEFAULT_CLAIM_TTL_MS } from '@ttpay/koa';
// The one runtime dependency that is not for production: @ttpay/testing (on @ttpay/core alone) publishes
// the demo credentials. The fallbacks outside production must be exactly the values the simulator knows,
// and the refusal in production must cover every value published (keys by key material): a copy here
// would drift from both.
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
    /**
     * The mini-program page a trade-system order links back to (`orderEntrySchema.path` of tt.requestOrder,
     * required by the platform: docs/PROTOCOLS.md §2.1); the order's `outOrderNo` goes in its params.
     */
    orderEntryPath: string;
  };
  tiktok: {
    appKey: string;
    appSecrets: string[];
    accessToken: string;
    shopCipher: string;
    /** A seller-shipping provider id; the ship job ships TikTok-shipped orders only (PROTOCOLS.md §5.6). */
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
   * `DATABASE_URL`. Set: orders, applied events and the idempotency store live in that PostgreSQL, which
   * every instance shares (one shop). Unset: in the embedded PGlite under `dataDir` (one process).
   */
  databaseUrl: string | undefined;
  /**
   * `DATA_DIR` (default `examples/koa-shop/.data`, git-ignored): where the embedded database keeps its
   * files, so orders survive a restart. `memory://` keeps them in memory (tests, `pnpm demo`).
   */
  dataDir: string;
  /** Set: the follow-up jobs live in Redis (BullMQ), shared by every instance; unset: in process. */
  redisUrl: string | undefined;
  /**
   * `REDIS_PREFIX` (default `koa-shop:`): every key the shop writes to Redis starts with it (BullMQ's
   * `<prefix>jobs:…`). Instances that must share work share it; apps or environments sharing one Redis
   * each get their own.
   */
  redisPrefix: string;
  /**
   * `IDEMPOTENCY_LEASE_MS` (5 min, @ttpay/koa's claimTtlMs): how long a claim made outside a transaction
   * holds its key. The webhooks on PostgresStore do not use it (processOnce: the claim is their
   * transaction's, and a crash frees it with the connection); above the slowest handler all the same.
   */
  leaseMs: number;
  /** Reconciliation: asking Douyin about orders whose payment callback never came. */
  reconcile: {
    /** `RECONCILE_AFTER_MS` (10 min): an order unpaid for this long is asked about. */
    afterMs: number;
    /** `RECONCILE_EVERY_MS` (1 min): how often; 0 turns the repeating job off. */
    everyMs: number;
  };
  /** The HTTP server's limits (http/http-server.ts): what a slow or idle client may hold. */
  http: HttpLimits;
  /** The shop's own API (`/orders`). */
  api: {
    /**
     * `SHOP_API_TOKEN`: bearer tokens the order routes accept (comma-separated during rotation).
     * Required in production; empty outside it means the order routes take requests without a token.
     */
    tokens: string[];
    /** `ORDERS_PER_MINUTE_PER_IP`: order creations one client address may make per minute. */
    ordersPerMinutePerClient: number;
    /** `ORDERS_PER_MINUTE`: order creations this instance accepts per minute from everyone together. */
    ordersPerMinute: number;
  };
  /** Variables that fell back to demo values (names only). */
  demoDefaults: string[];
}

/** Server timeouts and the connection cap, in milliseconds and connections. */
export interface HttpLimits {
  /** `HTTP_HEADERS_TIMEOUT_MS` (10 000): a connection must have sent its request headers by then. */
  headersTimeoutMs: number;
  /** `HTTP_REQUEST_TIMEOUT_MS` (15 000): ... and its whole request, body included; Node answers 408. */
  requestTimeoutMs: number;
  /** `HTTP_KEEP_ALIVE_TIMEOUT_MS` (5 000): an idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** `HTTP_MAX_CONNECTIONS` (512): connections beyond this are closed as soon as they are accepted. */
  maxConnections: number;
}

/**
 * The platforms send a few kilobytes at once and give up within seconds (TikTok waits 3 s), so 10 s
 * for headers and 15 s for the whole request leave a wide margin; a body trickled a byte a second is
 * cut at 15 s instead of Node's 300 s. 5 s keep-alive is Node's own default. 512 connections is far
 * more than one instance serves (a few callbacks a second, each answered in well under 3 s), and stays
 * under the 1 024 file descriptors a process is often limited to, with room for Redis, PostgreSQL and
 * the outbound calls: a flood of idle connections is refused instead of exhausting descriptors.
 */
export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
};

/**
 * Order creation per minute. One client address: 60 — a buyer places an order or two, while a shop's own
 * backend calling on behalf of many buyers comes from one address too. In total, per instance: 300 (5 a
 * second), above a small shop's peak, and the cap on what even an authenticated caller with many
 * addresses can add: at most 432 000 orders a day per instance, each at most ~1 KiB of fields (the body
 * is at most 16 KiB, and only the bounded fields are stored). Raise both for a sale.
 */
export const DEFAULT_ORDERS_PER_MINUTE_PER_IP = 60;
export const DEFAULT_ORDERS_PER_MINUTE = 300;

/** SHOP_API_TOKEN in production: at least this long (`openssl rand -hex 32` gives 64 characters). */
export const MIN_API_TOKEN_LENGTH = 32;

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
/** The order page of the mini-program, as the SDKs' own examples name it (yansongda/pay's quick start). */
const DEFAULT_ORDER_ENTRY_PATH = 'pages/order/detail';
export const DEFAULT_REDIS_PREFIX = 'koa-shop:';
/** The embedded database's default home: inside the example, git-ignored. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data', import.meta.url));
/**
 * Douyin sends each payment callback right away and retries for about a day (docs/PROTOCOLS.md §1.3):
 * ten minutes without one means it was lost or the shop was down — early enough for a buyer waiting on
 * the order page, late enough that the callback has had its first retries.
 */
export const DEFAULT_RECONCILE_AFTER_MS = 10 * 60_000;
export const DEFAULT_RECONCILE_EVERY_MS = 60_000;

/**
 * Hand-written, not a schema library. Tried with valibot (the smaller well-kept one: one package of
 * 1.9 MB with no dependencies, where zod 4 is 8 MB): every config test passed, but this function grew
 * from 255 to 292 lines. A schema covers the simple checks only (whole numbers in a range, enums,
 * patterns); the demo fallbacks, the production refusals (demo values, keys by material), the simulator
 * targets and the rules across variables stay code, so a credential then shows up in four places (the
 * fallback table, the schema, the production check, the mapping to ShopConfig) instead of two (its line
 * below and the production check) — and every message must be overridden, since the library's defaults
 * quote the value received, which may be a secret.
 */
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

  /** A whole number in [min, max], or the default when unset. */
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) {
      problem(name, `must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const defaults = DEFAULT_HTTP_LIMITS;
  const http: HttpLimits = {
    headersTimeoutMs: integer('HTTP_HEADERS_TIMEOUT_MS', defaults.headersTimeoutMs, 100, 600_000),
    requestTimeoutMs: integer('HTTP_REQUEST_TIMEOUT_MS', defaults.requestTimeoutMs, 100, 600_000),
    keepAliveTimeoutMs: integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', defaults.keepAliveTimeoutMs, 0, 600_000),
    maxConnections: integer('HTTP_MAX_CONNECTIONS', defaults.maxConnections, 1, 1_000_000),
  };
  // Node refuses a headers timeout longer than the request timeout.
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    problem('HTTP_HEADERS_TIMEOUT_MS', 'must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }

  const apiTokens = (value('SHOP_API_TOKEN') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (production && apiTokens.length === 0) missing.push('SHOP_API_TOKEN');
  if (production && apiTokens.some((t) => t.length < MIN_API_TOKEN_LENGTH)) {
    problem(
      'SHOP_API_TOKEN',
      `must be at least ${MIN_API_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`,
    );
  }
  const api = {
    tokens: apiTokens,
    ordersPerMinutePerClient: integer(
      'ORDERS_PER_MINUTE_PER_IP',
      DEFAULT_ORDERS_PER_MINUTE_PER_IP,
      1,
      1_000_000,
    ),
    ordersPerMinute: integer('ORDERS_PER_MINUTE', DEFAULT_ORDERS_PER_MINUTE, 1, 1_000_000),
  };

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problem('DATABASE_URL', 'must be a postgres:// URL');
  }
  const redisUrl = value('REDIS_URL');
  if (production && redisUrl !== undefined && databaseUrl === undefined) {
    // Several instances (that is what Redis is for here) on an embedded database each would be a shop of
    // its own: an order taken by one and paid through another would be lost.
    problem(
      'DATABASE_URL',
      'is required with REDIS_URL in production: instances on their own embedded databases do not share orders — give every instance one PostgreSQL',
    );
  }
  const dataDir = value('DATA_DIR') ?? DEFAULT_DATA_DIR;
  const leaseMs = integer('IDEMPOTENCY_LEASE_MS', DEFAULT_CLAIM_TTL_MS, 100, 86_400_000);
  const reconcile = {
    afterMs: integer('RECONCILE_AFTER_MS', DEFAULT_RECONCILE_AFTER_MS, 0, 7 * 86_400_000),
    everyMs: integer('RECONCILE_EVERY_MS', DEFAULT_RECONCILE_EVERY_MS, 0, 86_400_000),
  };

  const redisPrefix = value('REDIS_PREFIX') ?? DEFAULT_REDIS_PREFIX;
  if (/\s/.test(redisPrefix)) problem('REDIS_PREFIX', 'must not contain whitespace');

  const notifyUrl = value('DOUYIN_NOTIFY_URL');
  if (notifyUrl !== undefined && !/^https:\/\/[^/]/.test(notifyUrl)) {
    problem('DOUYIN_NOTIFY_URL', 'must be an https URL (the platforms refuse anything else)');
  }

  const orderEntryPath = value('DOUYIN_ORDER_ENTRY_PATH') ?? DEFAULT_ORDER_ENTRY_PATH;
  if (/\s/.test(orderEntryPath))
    problem('DOUYIN_ORDER_ENTRY_PATH', 'must be a mini-program page path, without spaces');

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
    orderEntryPath,
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
    // A published demo value protects nothing: refuse it as if it were missing, naming the variable.
    const settings: [string, readonly string[]][] = [
      ['DOUYIN_APP_ID', [douyin.appId]],
      ['DOUYIN_SALT', [douyin.salt]],
      ['DOUYIN_TOKEN', douyin.tokens],
      ['DOUYIN_APP_SECRET', [douyin.appSecret]],
      ['TIKTOK_APP_KEY', [tiktok.appKey]],
      ['TIKTOK_APP_SECRET', tiktok.appSecrets],
      ['TIKTOK_ACCESS_TOKEN', [tiktok.accessToken]],
      ['TIKTOK_SHOP_CIPHER', [tiktok.shopCipher]],
      ['TIKTOK_SHIPPING_PROVIDER_ID', [tiktok.shippingProviderId]],
      ['ALGOVOI_API_BASE', [algovoi.api.base]],
      ['ALGOVOI_API_KEY', [algovoi.apiKey]],
      ['ALGOVOI_TENANT_ID', [algovoi.tenantId]],
      ['ALGOVOI_WEBHOOK_SECRET', algovoi.webhookSecrets],
      ['SHOP_API_TOKEN', api.tokens],
    ];
    const published = publishedDemoValues();
    for (const [name, given] of settings) {
      if (!missing.includes(name) && given.some((v) => published.strings.has(v))) {
        problem(name, 'holds a published demo value');
      }
    }
    // Keys by their material, not their text: a re-encoded PEM, bare base64, a DER file or a path to one
    // all parse to the same key. A private key is judged by its public half.
    const keys: [string, KeyObject | undefined][] = [
      ['DOUYIN_PLATFORM_PUBLIC_KEY', douyin.platformPublicKey],
      ['DOUYIN_APP_PRIVATE_KEY', douyin.appPrivateKey && createPublicKey(douyin.appPrivateKey)],
    ];
    for (const [name, k] of keys) {
      if (k && published.publicKeys.has(spkiOf(k))) problem(name, 'holds a published demo key');
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
    databaseUrl,
    dataDir,
    leaseMs,
    redisUrl,
    redisPrefix,
    reconcile,
    http,
    api,
    demoDefaults,
  };
}

/**
 * Every value `@ttpay/testing` publishes as a demo credential (and the shop's own demo fallbacks), and
 * the SPKI DER (base64) of every published RSA key — the public half of each private one included.
 * `keyVersion` is left out: "1" is a real key version too, and protects nothing by itself.
 */
function publishedDemoValues(): { strings: Set<string>; publicKeys: Set<string> } {
  const strings = new Set<string>([DEMO_DOUYIN_APP_SECRET, DEMO_SHIPPING_PROVIDER_ID, DEMO_ALGOVOI_API_BASE]);
  const publicKeys = new Set<string>();
  const visit = (node: unknown, key: string): void => {
    if (typeof node === 'string') {
      if (node.includes('-----BEGIN')) publicKeys.add(spkiOf(createPublicKey(node)));
      else if (key !== 'keyVersion') strings.add(node);
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) visit(v, k);
    }
  };
  visit(demoCredentials, '');
  return { strings, publicKeys };
}

function spkiOf(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The one warning about demo values and open order routes: names, never values. */
export function demoDefaultsWarning(config: ShopConfig): string | undefined {
  const parts: string[] = [];
  if (config.demoDefaults.length > 0) {
    parts.push(
      `Using the published demo values for ${config.demoDefaults.join(', ')}. ` +
        'They protect nothing: set these variables for a real shop (NODE_ENV=production refuses to start without them).',
    );
  }
  if (config.api.tokens.length === 0) {
    parts.push(
      'SHOP_API_TOKEN is not set: the order routes take requests without a token (never in production).',
    );
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
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
