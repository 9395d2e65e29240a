import type { KeyLike } from '@ttpay/core';
import { nonNegativeNumber } from '@ttpay/core/internal';
import { DEMO_DOUYIN_APP_SECRET, demoCredentials } from '@ttpay/testing';
import { SimulatorError } from './simulator-error.js';
import type { SimulatorOptions } from './types.js';

export interface ResolvedOptions {
  port: number;
  host: string;
  unsafeAllowNetworkAccess: boolean;
  unsafeAllowProduction: boolean;
  /** Lower case, `URL#hostname` form. */
  allowedHosts: string[];
  timeScale: number;
  douyin: {
    appId: string;
    salt: string;
    token: string;
    appPublicKeys: KeyLike[];
    platformPrivateKey: KeyLike;
    appSecret: string;
    notifyUrl: string | undefined;
  };
  tiktok: {
    appKey: string;
    appSecret: string;
    accessToken: string;
    refreshToken: string;
    shopCipher: string;
    shopId: string;
    webhookUrl: string | undefined;
  };
  algovoi: {
    apiKey: string;
    tenantId: string;
    webhookSecret: string;
    webhookUrl: string | undefined;
  };
}

/** Every option defaults to `demoCredentials` (types.ts). */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const timeScale = nonNegativeNumber(
    options.timeScale ?? 1,
    'timeScale (e.g. 0.0001 in tests)',
    SimulatorError,
  );
  const d = options.douyin ?? {};
  const t = options.tiktok ?? {};
  const a = options.algovoi ?? {};
  const appPublicKey = d.appPublicKey ?? demoCredentials.douyin.appPublicKey;
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    unsafeAllowNetworkAccess: options.unsafeAllowNetworkAccess === true,
    unsafeAllowProduction: options.unsafeAllowProduction === true,
    allowedHosts: (options.allowedHosts ?? []).map(hostname),
    timeScale,
    douyin: {
      appId: d.appId ?? demoCredentials.douyin.appId,
      salt: d.salt ?? demoCredentials.douyin.salt,
      token: d.token ?? demoCredentials.douyin.token,
      appPublicKeys: Array.isArray(appPublicKey) ? appPublicKey : [appPublicKey],
      platformPrivateKey: d.platformPrivateKey ?? demoCredentials.douyin.platformPrivateKey,
      appSecret: d.appSecret ?? DEMO_DOUYIN_APP_SECRET,
      notifyUrl: d.notifyUrl,
    },
    tiktok: {
      appKey: t.appKey ?? demoCredentials.tiktok.appKey,
      appSecret: t.appSecret ?? demoCredentials.tiktok.appSecret,
      accessToken: t.accessToken ?? demoCredentials.tiktok.accessToken,
      refreshToken: t.refreshToken ?? demoCredentials.tiktok.refreshToken,
      shopCipher: t.shopCipher ?? demoCredentials.tiktok.shopCipher,
      shopId: t.shopId ?? demoCredentials.tiktok.shopId,
      webhookUrl: t.webhookUrl,
    },
    algovoi: {
      apiKey: a.apiKey ?? demoCredentials.algovoi.apiKey,
      tenantId: a.tenantId ?? demoCredentials.algovoi.tenantId,
      webhookSecret: a.webhookSecret ?? demoCredentials.algovoi.webhookSecret,
      webhookUrl: a.webhookUrl,
    },
  };
}

/** `simulator.local` → `simulator.local`, `::1`/`[::1]` → `[::1]`: a host name as `URL#hostname` spells it. */
function hostname(name: string): string {
  const bare = name.replace(/^\[|\]$/g, '');
  try {
    return new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}`).hostname;
  } catch {
    throw new SimulatorError('INVALID_ARGUMENT', `allowedHosts: "${name}" is not a host name.`);
  }
}
