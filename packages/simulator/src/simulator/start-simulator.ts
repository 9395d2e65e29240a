import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { developerRoutesGuard } from './access/developer-routes-guard.js';
import { refuseUnsafeStart } from './access/unsafe-start.js';
import { createAlgoVoiControl, registerAlgoVoiGateway } from './algovoi-gateway.js';
import { AlgoVoiStore } from './algovoi-store.js';
import { registerClientTokenApi } from './client-token-api.js';
import { ClientTokens } from './client-tokens.js';
import { registerControlRoutes } from './control-routes.js';
import { createDashboard } from './dashboard/create-dashboard.js';
import { isDashboardRead } from './dashboard/dashboard-routes.js';
import { createDeliverer } from './deliver-with-retries.js';
import { createDouyinControl } from './douyin-callbacks.js';
import { registerDouyinRefundControlRoutes } from './douyin-refund-control-routes.js';
import { DouyinStore } from './douyin-store.js';
import { registerEcpayApi } from './ecpay-api.js';
import { createFaultStore, faultMiddleware } from './faults.js';
import { registerRequestOrderApi } from './request-order-api.js';
import { resolveOptions } from './resolve-options.js';
import type { SimContext } from './sim-context.js';
import { createSimLog, platformOf, resultCode, type SimLog } from './sim-log.js';
import { registerTikTokApi } from './tiktok-api.js';
import { registerTikTokAuthorizationApi } from './tiktok-authorization-api.js';
import { createTikTokControl } from './tiktok-controls.js';
import { registerTikTokReturnRefundApi } from './tiktok-return-refund-api.js';
import { TikTokStore } from './tiktok-store.js';
import { registerTikTokTokenApi } from './tiktok-token-api.js';
import { registerTradeApi } from './trade-api.js';
import type { Simulator, SimulatorOptions } from './types.js';

/**
 * Starts the local platform simulator: one HTTP server (its own Koa app) on 127.0.0.1 that plays
 * Douyin (ecpay and trade system), TikTok Shop and the AlgoVoi gateway under their real paths, so a
 * client only swaps its base URL. See types.ts for the contract.
 */
export async function startSimulator(options?: SimulatorOptions): Promise<Simulator> {
  const resolved = resolveOptions(options);
  refuseUnsafeStart({ ...resolved, nodeEnv: process.env.NODE_ENV });
  const closing = new AbortController();
  const log = createSimLog();
  const faults = createFaultStore();
  const dashboard = createDashboard({
    deliverer: createDeliverer({ timeScale: resolved.timeScale, closing: closing.signal, log }),
    log,
    faults,
    timeScale: resolved.timeScale,
    closing: closing.signal,
  });
  let baseUrl = '';
  const ctx: SimContext = {
    options: resolved,
    log,
    deliverer: dashboard.deliverer,
    douyin: new DouyinStore(),
    tiktok: new TikTokStore(),
    algovoi: new AlgoVoiStore(),
    closing: closing.signal,
    baseUrl: () => baseUrl,
  };
  ctx.tiktok.issueAccessToken(resolved.tiktok.accessToken);

  const controls = {
    douyin: createDouyinControl(ctx),
    tiktok: createTikTokControl(ctx),
    algovoi: createAlgoVoiControl(ctx),
    fault: (rule) => faults.add(rule),
    clearFaults: () => {
      faults.clear();
      dashboard.outages.forget();
    },
    get log() {
      return log.entries;
    },
  } satisfies Omit<Simulator, 'url' | 'port' | 'close'>;

  const router = new Router();
  registerEcpayApi(router, ctx);
  const clientTokens = new ClientTokens();
  registerClientTokenApi(router, ctx, clientTokens);
  registerTradeApi(router, ctx, clientTokens);
  registerRequestOrderApi(router, ctx);
  registerTikTokApi(router, ctx);
  registerTikTokAuthorizationApi(router, ctx);
  registerTikTokReturnRefundApi(router, ctx);
  registerTikTokTokenApi(router, ctx);
  registerAlgoVoiGateway(router, ctx);
  registerControlRoutes(router, controls);
  registerDouyinRefundControlRoutes(router, controls);
  dashboard.register(router, ctx, controls);

  let port = 0;
  const app = new Koa();
  app.use(logRequests(log));
  app.use(
    developerRoutesGuard({
      port: () => port,
      networkAccess: resolved.unsafeAllowNetworkAccess,
      hostnames: [
        ...resolved.allowedHosts,
        ...(resolved.unsafeAllowNetworkAccess ? boundHostname(resolved.host) : []),
      ],
    }),
  );
  app.use(faultMiddleware(faults, closing.signal));
  app.use(router.routes());
  app.use(router.allowedMethods());

  const server = createServer(app.callback());
  await listen(server, resolved.port, resolved.host);
  port = (server.address() as AddressInfo).port;
  baseUrl = `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    ...controls,
    get log() {
      return log.entries;
    },
    close() {
      closed ??= (async () => {
        // Stop retry timers and fault delays first, so deliveries in flight resolve (unacknowledged).
        closing.abort();
        await ctx.deliverer.idle();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}

/** The bound address as a Host name, unless it is a wildcard (which names no host). */
function boundHostname(host: string): string[] {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return [];
  return [host.includes(':') && !host.startsWith('[') ? `[${host.toLowerCase()}]` : host.toLowerCase()];
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Records every request in `sim.log` but the dashboard's own reads (path only: queries may carry
 * credentials, e.g. TikTok's token API) and turns an unexpected error into a 500 without a stack, or the status a body reader set (413).
 */
function logRequests(log: SimLog): Koa.Middleware {
  return async function simulatorLog(ctx, next) {
    const at = Date.now();
    try {
      await next();
    } catch (error) {
      const status = httpStatusOf(error);
      ctx.status = status;
      ctx.type = 'text/plain';
      ctx.body = status === 500 ? 'simulator error' : error instanceof Error ? error.message : 'bad request';
    } finally {
      if (!isDashboardRead(ctx.method, ctx.path)) {
        const code = resultCode(ctx.body);
        log.add({
          at,
          direction: 'in',
          platform: platformOf(ctx.path) ?? 'control',
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ...(code === undefined ? {} : { code }),
        });
      }
    }
  };
}

/** raw-body errors carry the status to answer (413 too large, 400 aborted/bad length). */
function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}
