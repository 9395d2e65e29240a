import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { parseJsonObject, readRawBody } from '../read-body.js';
import type { SimContext } from '../sim-context.js';
import { SIMULATOR_ERROR_STATUS, SimulatorError } from '../simulator-error.js';
import type { DeliveryResult, Simulator } from '../types.js';
import { BREAKAGES, breakDelivery, canBreak } from './break-delivery.js';
import type { ChangeFeed } from './change-feed.js';
import { ORDER_ACTIONS, ORDER_PLATFORMS, runOrderAction } from './dashboard-orders.js';
import { dashboardState } from './dashboard-state.js';
import type { DeliveryJournal } from './delivery-journal.js';
import { givenDelivery } from './given-delivery.js';
import { type JournalingDeliverer, MAX_RESEND_COPIES } from './journaling-deliverer.js';
import { OUTAGE_PLATFORMS, type OutageSwitches } from './outage-switches.js';
import { DASHBOARD_ASSETS, isDashboardAsset, readDashboardAsset } from './static-assets.js';

/** Where the page is served. */
export const DASHBOARD_PATH = '/_sim/';

/**
 * Only the page's own origin: no inline script or style, no third party, no framing, and Trusted Types
 * with no policy, so an `innerHTML = …` in the page fails instead of rendering a delivery as markup.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Server-Sent Events: a comment this often keeps idle connections from being cut. */
const KEEPALIVE_MS = 15_000;

export interface DashboardDeps {
  sim: SimContext;
  controls: Pick<Simulator, 'douyin' | 'tiktok' | 'algovoi'>;
  deliverer: JournalingDeliverer;
  journal: DeliveryJournal;
  outages: OutageSwitches;
  feed: ChangeFeed;
}

/**
 * GET requests of the page itself (its files, state and event stream): the simulator's log leaves them
 * out, or an open page would fill the log — and `ttpay simulate`'s output — with its own refreshes.
 */
export function isDashboardRead(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return (
    path === '/_sim' ||
    path === DASHBOARD_PATH ||
    path.startsWith('/_sim/assets/') ||
    path.startsWith('/_sim/api/')
  );
}

/**
 * The dashboard: `GET /_sim/` (the page), `/_sim/assets/*`, `GET /_sim/api/state` (JSON),
 * `GET /_sim/api/events` (Server-Sent Events: "something changed"), and the page's buttons:
 * `POST /_sim/api/orders/:platform/:id/:action`, `POST /_sim/api/deliveries/:id/resend`,
 * `PUT /_sim/api/outages/:platform`; and `POST /_sim/api/deliveries` for `ttpay send --via-simulator`.
 */
export function registerDashboard(router: Router, deps: DashboardDeps): void {
  const { sim, journal, outages, feed, deliverer, controls } = deps;

  // The router matches `/_sim` and `/_sim/` alike (non-strict): the page's relative links want the slash.
  router.get('/_sim', guard, async (ctx) => {
    if (ctx.path === DASHBOARD_PATH) return serveAsset(ctx, 'index.html');
    ctx.redirect(DASHBOARD_PATH);
  });
  router.get('/_sim/assets/:name', guard, async (ctx) => {
    const name = String(ctx.params.name);
    if (!isDashboardAsset(name) || name === 'index.html') {
      ctx.status = 404;
      ctx.body = 'not found';
      return;
    }
    await serveAsset(ctx, name);
  });

  router.get('/_sim/api/state', guard, (ctx) => {
    ctx.body = dashboardState(sim, journal, outages);
  });

  router.get('/_sim/api/events', guard, (ctx) => {
    // Written to the response directly: the stream ends when the page goes away, which Koa's own body
    // piping would report as an error.
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const send = (text: string) => {
      if (!res.writableEnded && !res.destroyed) res.write(text);
    };
    const unsubscribe = feed.subscribe((version) => send(`event: change\ndata: ${version}\n\n`));
    const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    ctx.req.socket.setTimeout(0);
    res.on('close', () => {
      unsubscribe();
      clearInterval(keepalive);
    });
    // Reconnect quickly after a restart; load the state at once.
    send(`retry: 1000\nevent: change\ndata: ${feed.version}\n\n`);
  });

  router.post('/_sim/api/orders/:platform/:id/:action', guard, async (ctx) => {
    const platform = oneOf(ctx.params.platform, ORDER_PLATFORMS, 'platform');
    const action = oneOf(ctx.params.action, ORDER_ACTIONS, 'action');
    await accepted(ctx, () => runOrderAction(sim, controls, platform, String(ctx.params.id), action));
  });

  router.post('/_sim/api/deliveries/:id/resend', guard, async (ctx) => {
    const body = await jsonBody(ctx);
    const id = Number(ctx.params.id);
    const copies = body.copies ?? 1;
    const how = body.break === undefined ? undefined : oneOf(body.break, BREAKAGES, 'break');
    if (!Number.isSafeInteger(id))
      throw new SimulatorError('INVALID_ARGUMENT', 'The delivery id is a number.');
    if (typeof copies !== 'number') {
      throw new SimulatorError(
        'INVALID_ARGUMENT',
        `copies must be an integer from 1 to ${MAX_RESEND_COPIES}.`,
      );
    }
    await accepted(ctx, () => {
      const { record } = journal.replayable(id);
      if (how === undefined) return deliverer.resend(id, { copies, kind: 'resend' });
      if (!canBreak(record.scheme, how)) {
        throw new SimulatorError(
          'INVALID_ARGUMENT',
          `A ${record.scheme} delivery cannot be sent with a ${how}.`,
        );
      }
      return deliverer.resend(id, {
        copies,
        kind: how,
        build: (next) => breakDelivery(next, record.scheme, how, sim.options),
      });
    });
  });

  router.post('/_sim/api/deliveries', guard, async (ctx) => {
    const given = givenDelivery(await jsonBody(ctx));
    const result = await deliverer.sendGiven(given.plan, given);
    ctx.body = result;
  });

  router.put('/_sim/api/outages/:platform', guard, async (ctx) => {
    const platform = oneOf(ctx.params.platform, OUTAGE_PLATFORMS, 'platform');
    const { on } = await jsonBody(ctx);
    if (typeof on !== 'boolean') throw new SimulatorError('INVALID_ARGUMENT', '"on" must be true or false.');
    outages.set(platform, on);
    feed.changed();
    ctx.body = { platform, on };
  });
}

async function serveAsset(ctx: Context, name: keyof typeof DASHBOARD_ASSETS): Promise<void> {
  ctx.type = DASHBOARD_ASSETS[name];
  ctx.body = await readDashboardAsset(name);
}

/**
 * Every dashboard response: its Content-Security-Policy (the headers every developer route gets, and the
 * checks of who may call it — loopback peer, loopback Host, JSON from the own origin for the buttons —
 * are access/developer-routes-guard.ts, in front of the router); a SimulatorError becomes
 * `{error, message}` with its 4xx status.
 */
async function guard(ctx: Context, next: Next): Promise<void> {
  ctx.set({
    'content-security-policy': DASHBOARD_CSP,
    'cross-origin-opener-policy': 'same-origin',
  });
  try {
    await next();
  } catch (error) {
    if (!(error instanceof SimulatorError)) throw error;
    ctx.status = SIMULATOR_ERROR_STATUS[error.code];
    ctx.body = { error: error.code, message: error.message };
  }
}

async function jsonBody(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readRawBody(ctx);
  const body = raw.length === 0 ? {} : parseJsonObject(raw);
  if (!body) throw new SimulatorError('INVALID_ARGUMENT', 'The body must be a JSON object.');
  return body;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new SimulatorError('INVALID_ARGUMENT', `${name} must be one of ${allowed.join(', ')}.`);
}

/**
 * Starts a control and answers 202 once it is under way, without waiting for the delivery (its retries
 * may take hours at time scale 1): the page follows it live. The controls check their input before
 * their first `await`, so a refusal has already settled `work` when this looks at it.
 */
async function accepted(
  ctx: Context,
  start: () => Promise<DeliveryResult | DeliveryResult[]> | undefined,
): Promise<void> {
  const work = start();
  if (work) {
    work.catch(() => undefined);
    await Promise.race([work, undefined]);
  }
  ctx.status = 202;
  ctx.body = { ok: true };
}
