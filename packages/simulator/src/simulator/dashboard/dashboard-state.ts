import type { SimContext } from '../sim-context.js';
import type { SimLogEntry } from '../types.js';
import { BREAKAGES, type Breakage, canBreak } from './break-delivery.js';
import { type OrderView, orderViews } from './dashboard-orders.js';
import type { DeliveryJournal, DeliveryRecord } from './delivery-journal.js';
import { MAX_RESEND_COPIES } from './journaling-deliverer.js';
import { OUTAGE_PLATFORMS, type OutagePlatform, type OutageSwitches } from './outage-switches.js';

export interface DeliveryView extends Omit<DeliveryRecord, 'url'> {
  /** Origin and path; a query string (which may carry a credential of the app's) shows as `?…`. */
  url: string;
  /** Which "send it broken" buttons apply. */
  breakable: Breakage[];
}

/** Everything the page shows, as `GET /_sim/api/state` answers it. */
export interface DashboardState {
  simulator: {
    url: string;
    timeScale: number;
    /** Where callbacks and webhooks go unless an order names its own URL. */
    deliverTo: Record<OutagePlatform, string | null>;
    now: number;
    maxResendCopies: number;
  };
  outages: Record<OutagePlatform, boolean>;
  orders: OrderView[];
  deliveries: DeliveryView[];
  /** The newest API calls the app made to the simulator (platform paths only; never a query string), newest first. */
  apiCalls: ApiCallView[];
}

/** One request the app's client made to a platform API of the simulator. */
export interface ApiCallView {
  at: number;
  platform: 'douyin' | 'tiktok' | 'algovoi';
  method: string;
  path: string;
  status: number;
  /** The platform result code of the answer (`err_no`, `code`), when there is one. */
  code?: number;
}

/** How many API calls the page lists. */
export const MAX_API_CALLS_SHOWN = 200;

/**
 * The page's view of the simulator, built field by field from the stores and the journal. Nothing here
 * reads a credential: the signing keys, salt, token and secrets stay in `sim.options`, which only the
 * URLs and the time scale are taken from.
 */
export function dashboardState(
  sim: SimContext,
  journal: DeliveryJournal,
  outages: OutageSwitches,
): DashboardState {
  const { timeScale, douyin, tiktok, algovoi } = sim.options;
  const target = (url: string | undefined) => (url === undefined ? null : redactUrl(url));
  return {
    simulator: {
      url: sim.baseUrl(),
      timeScale,
      deliverTo: {
        douyin: target(douyin.notifyUrl),
        tiktok: target(tiktok.webhookUrl),
        algovoi: target(algovoi.webhookUrl),
      },
      now: Date.now(),
      maxResendCopies: MAX_RESEND_COPIES,
    },
    outages: Object.fromEntries(OUTAGE_PLATFORMS.map((p) => [p, outages.isOn(p)])) as Record<
      OutagePlatform,
      boolean
    >,
    orders: orderViews(sim),
    deliveries: journal.records().map((record) => ({
      ...record,
      url: redactUrl(record.url),
      attempts: record.attempts.map((a) => ({
        ...a,
        request: { ...a.request, headers: { ...a.request.headers } },
      })),
      breakable: BREAKAGES.filter((how) => canBreak(record.scheme, how)),
    })),
    apiCalls: apiCalls(sim.log.entries),
  };
}

function apiCalls(entries: readonly SimLogEntry[]): ApiCallView[] {
  const calls: ApiCallView[] = [];
  for (let i = entries.length - 1; i >= 0 && calls.length < MAX_API_CALLS_SHOWN; i--) {
    const e = entries[i];
    if (e?.direction !== 'in' || e.platform === 'control') continue;
    calls.push({
      at: e.at,
      platform: e.platform,
      method: e.method,
      path: e.path,
      status: e.status,
      ...(e.code === undefined ? {} : { code: e.code }),
    });
  }
  return calls;
}

/** `scheme://host/path`, with any query replaced by `?…` (the simulator's log drops it for the same reason). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '(not a URL)';
  }
}
