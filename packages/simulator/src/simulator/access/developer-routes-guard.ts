import type { Context, Middleware } from 'koa';
import { platformOf } from '../sim-log.js';
import { isLoopbackAddress, LOOPBACK_HOSTNAMES } from './loopback-addresses.js';

/**
 * Who may reach the developer's routes. A peer on this machine (by the socket's address) under a
 * loopback Host name or one of `hostnames`; a peer elsewhere only with network access allowed, and only
 * under one of `hostnames` (never a loopback name: a Host header is the client's say-so).
 */
export interface DeveloperAccess {
  /** The port the server listens on (known once it listens). */
  port: () => number;
  /** `unsafeAllowNetworkAccess`: peers off this machine may drive the simulator, under `hostnames`. */
  networkAccess: boolean;
  /** Host names (`URL#hostname` form, lower case) beside the loopback ones: `allowedHosts`, the bound address. */
  hostnames: readonly string[];
}

/** Methods that change nothing; everything else is a control. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every response to the developer is private to the simulator's own page: never cached, never framed,
 * never readable by another origin's `no-cors` request.
 */
const PRIVATE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

/**
 * The one gate in front of every route the simulator serves to the developer — the controls
 * (`/_sim/*`), its log, the dashboard and whatever is added there later — so that only the developer can
 * drive it, not a web page they happen to visit, nor another machine:
 *
 * - the peer is this machine, by the socket's remote address (a Host header is the client's say-so);
 * - the Host header names this machine and the port the simulator listens on (a DNS-rebinding page
 *   reaches 127.0.0.1 under its own name, and is refused);
 * - a control (any method but GET, HEAD, OPTIONS) carries `Content-Type: application/json` — which no
 *   cross-site form can send and no cross-site `fetch` can send without a CORS preflight the simulator
 *   never approves — and, when the browser says where it comes from (`Origin`, `Sec-Fetch-Site`), comes
 *   from the simulator's own origin.
 *
 * The platform APIs (the paths the app's clients call as if the simulator were Douyin, TikTok Shop or
 * AlgoVoi, `platformOf` in sim-log.ts) pass untouched, whatever Host the client sends. Everything else is
 * the developer's: a path no platform serves is guarded too, so a new control route is covered from the
 * start, and a case or encoding variant of a control path cannot slip past a prefix check.
 */
export function developerRoutesGuard(access: DeveloperAccess): Middleware {
  return async function guardDeveloperRoutes(ctx, next) {
    const platform = platformOf(ctx.path);
    if (platform !== undefined && platform !== 'control') return next();
    ctx.set(PRIVATE_HEADERS);
    const refusal = refusalOf(ctx, access);
    if (refusal) {
      ctx.status = refusal.status;
      ctx.body = { error: refusal.error, message: refusal.message };
      return;
    }
    return next();
  };
}

interface Refusal {
  status: number;
  error: 'FORBIDDEN' | 'UNSUPPORTED_MEDIA_TYPE';
  message: string;
}

function refusalOf(ctx: Context, access: DeveloperAccess): Refusal | undefined {
  const local = isLoopbackAddress(ctx.req.socket.remoteAddress);
  if (!local && !access.networkAccess) {
    return forbidden('The simulator takes control requests from this machine only.');
  }
  const host = hostOf(ctx.get('host'), access.port());
  const named =
    host !== undefined &&
    (access.hostnames.includes(host.hostname) || (local && LOOPBACK_HOSTNAMES.includes(host.hostname)));
  if (host === undefined || !named) {
    return forbidden(
      local
        ? `The simulator answers its controls and dashboard as 127.0.0.1, localhost or [::1] on port ${access.port()} only.`
        : 'The simulator answers other machines under its allowedHosts names only.',
    );
  }
  if (READS.has(ctx.method)) return undefined;
  const site = ctx.get('sec-fetch-site');
  const origin = ctx.get('origin');
  if (
    (site !== '' && site !== 'same-origin' && site !== 'none') ||
    (origin !== '' && origin !== `http://${host.host}`)
  ) {
    return forbidden(
      'The simulator takes control requests from its own page or from tools, not from other sites.',
    );
  }
  if (ctx.request.type !== 'application/json') {
    return {
      status: 415,
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Control requests are JSON: send Content-Type: application/json.',
    };
  }
  return undefined;
}

function forbidden(message: string): Refusal {
  return { status: 403, error: 'FORBIDDEN', message };
}

/** The Host header's parts when it is a host name and the simulator's port, else undefined. */
function hostOf(header: string, port: number): { host: string; hostname: string } | undefined {
  // A host name or [IPv6] address and a port, nothing that URL parsing would reinterpret.
  if (!/^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(header)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${header}`);
  } catch {
    return undefined;
  }
  if ((url.port === '' ? 80 : Number(url.port)) !== port) return undefined;
  return { host: url.host, hostname: url.hostname };
}
