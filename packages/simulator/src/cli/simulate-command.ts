import { demoCredentials } from '@ttpay/testing';
import { DASHBOARD_PATH } from '../simulator/dashboard/dashboard-routes.js';
import { SimulatorError } from '../simulator/simulator-error.js';
import { startSimulator } from '../simulator/start-simulator.js';
import type { SimLogEntry, Simulator, SimulatorOptions } from '../simulator/types.js';
import { integerOption, noPositionals, parseCommandArgs } from './args.js';
import type { Command } from './command.js';
import { type CliIo, EXIT_OK, type ExitCode, helpHint, reportError, UsageError, writeLine } from './io.js';

const DEFAULT_PORT = 4010;
/** The example shop's routes on its default port, so `pnpm start` + `ttpay simulate` work together. */
const DEFAULT_DOUYIN_NOTIFY_URL = 'http://127.0.0.1:3000/douyin/notify';
const DEFAULT_TIKTOK_WEBHOOK_URL = 'http://127.0.0.1:3000/tiktok/webhook';
const DEFAULT_ALGOVOI_WEBHOOK_URL = 'http://127.0.0.1:3000/algovoi/webhook';
const LOG_POLL_MS = 200;

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'run the local Douyin / TikTok Shop / AlgoVoi simulator until Ctrl-C',
  help: `Usage: ttpay simulate [options]

Runs the platform simulator of @ttpay/simulator (startSimulator): one local server that plays the
Douyin ecpay and trade-system APIs, the TikTok Shop Open API and the AlgoVoi gateway under their real
paths, and delivers signed callbacks and webhooks (with the platforms' retry schedules) to your app.
It uses the demo credentials (demoCredentials in @ttpay/testing), which the example shop uses outside
production.
Prints what it serves, then one line per request, until SIGINT (Ctrl-C) or SIGTERM.

Open http://127.0.0.1:<port>/_sim/ in a browser for the dashboard: every order and delivery, live,
with buttons to pay, cancel, refund, resend (or break) a delivery and switch platform outages.

Only you can drive it: it listens on 127.0.0.1, its controls (/_sim/*) answer this machine only, under
a loopback host name (127.0.0.1, localhost, [::1]) and its port, and take JSON from its own page or
from tools, never from another web site. It refuses to start with NODE_ENV=production.

Options:
  --port <n>                  port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>            listen address (default 127.0.0.1); not loopback: refused unless…
  --unsafe-allow-network-access
                              …you accept that anyone who can reach it can pay orders and send
                              signed callbacks to your app (a container or VM; never on a shared network)
  --allowed-host <name>       also answer the controls and dashboard under this Host name (repeatable),
                              e.g. a container's service name
  --time-scale <x>            multiply every retry delay, e.g. 0.01 (default 1: the real schedules)
  --douyin-notify-url <url>   Douyin callbacks (default ${DEFAULT_DOUYIN_NOTIFY_URL},
                              unless an order names its own notify_url)
  --tiktok-webhook-url <url>  TikTok Shop webhooks (default ${DEFAULT_TIKTOK_WEBHOOK_URL})
  --algovoi-webhook-url <url> AlgoVoi webhooks (default ${DEFAULT_ALGOVOI_WEBHOOK_URL})
  --quiet                     print the summary only, not each request
  -h, --help                  show this help

Exit codes: 0 stopped cleanly; 1 could not start (e.g. the port is in use); 2 bad input (also an
unsafe --host without --unsafe-allow-network-access, and NODE_ENV=production).

Example:
  ttpay simulate --time-scale 0.01 &
  DOUYIN_API_BASE=http://127.0.0.1:${DEFAULT_PORT} TIKTOK_API_BASE=http://127.0.0.1:${DEFAULT_PORT} \\
    ALGOVOI_API_BASE=http://127.0.0.1:${DEFAULT_PORT} pnpm start
`,
  async run(argv, io): Promise<ExitCode> {
    let sim: Simulator | undefined;
    try {
      const { values, positionals } = parseCommandArgs('simulate', argv, {
        port: { type: 'string' },
        host: { type: 'string' },
        'unsafe-allow-network-access': { type: 'boolean' },
        'allowed-host': { type: 'string', multiple: true },
        'time-scale': { type: 'string' },
        'douyin-notify-url': { type: 'string' },
        'tiktok-webhook-url': { type: 'string' },
        'algovoi-webhook-url': { type: 'string' },
        quiet: { type: 'boolean' },
      });
      if (values.help) {
        io.stdout.write(simulateCommand.help);
        return EXIT_OK;
      }
      noPositionals('simulate', positionals);
      const options: SimulatorOptions = {
        port: integerOption('simulate', 'port', values.port, { min: 0, max: 65_535, fallback: DEFAULT_PORT }),
        ...(values.host === undefined ? {} : { host: values.host }),
        unsafeAllowNetworkAccess: values['unsafe-allow-network-access'] === true,
        ...(values['allowed-host'] === undefined ? {} : { allowedHosts: values['allowed-host'] }),
        timeScale: timeScale(values['time-scale']),
        douyin: {
          notifyUrl: urlOption('douyin-notify-url', values['douyin-notify-url'], DEFAULT_DOUYIN_NOTIFY_URL),
        },
        tiktok: {
          webhookUrl: urlOption(
            'tiktok-webhook-url',
            values['tiktok-webhook-url'],
            DEFAULT_TIKTOK_WEBHOOK_URL,
          ),
        },
        algovoi: {
          webhookUrl: urlOption(
            'algovoi-webhook-url',
            values['algovoi-webhook-url'],
            DEFAULT_ALGOVOI_WEBHOOK_URL,
          ),
        },
      };
      const stop = io.stop ? { signal: io.stop, dispose() {} } : stopOnProcessSignals();
      try {
        try {
          sim = await startSimulator(options);
        } catch (error) {
          throw startFailure(error, options.port ?? DEFAULT_PORT);
        }
        printSummary(io, sim, options);
        await serveUntil(stop.signal, sim, values.quiet ? undefined : io);
        writeLine(io.stdout, 'stopping the simulator…');
        const closing = sim;
        sim = undefined;
        await closing.close();
        writeLine(io.stdout, 'stopped.');
        return EXIT_OK;
      } finally {
        stop.dispose();
      }
    } catch (error) {
      await sim?.close().catch(() => undefined);
      return reportError(io, error);
    }
  },
};

function timeScale(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new UsageError('--time-scale must be a number >= 0, e.g. 0.01.', helpHint('simulate'));
  }
  return n;
}

function urlOption(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new UsageError(`--${name} must be an absolute http(s) URL.`, helpHint('simulate'));
}

function startFailure(error: unknown, port: number): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (
    error instanceof SimulatorError &&
    (code === 'UNSAFE_HOST' || code === 'PRODUCTION_ENV' || code === 'INVALID_ARGUMENT')
  ) {
    return new UsageError(error.message, helpHint('simulate'));
  }
  if (code === 'EADDRINUSE') {
    return new Error(`port ${port} is in use: stop what holds it, or pass --port 0 for a free port.`);
  }
  if (code === 'EACCES') return new Error(`not allowed to listen on port ${port}: pick one above 1023.`);
  return error instanceof Error ? error : new Error(String(error));
}

/** First SIGINT/SIGTERM stops cleanly; a second one falls through to Node's default (exit at once). */
function stopOnProcessSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Waits for `stop`, printing new log entries meanwhile (when `io` is given). */
async function serveUntil(stop: AbortSignal, sim: Simulator, io: CliIo | undefined): Promise<void> {
  let last: SimLogEntry | undefined;
  const printNew = () => {
    if (!io) return;
    const entries = sim.log;
    // The log drops its oldest entries when full, so find where we left off by identity, not index.
    const start = last === undefined ? 0 : entries.lastIndexOf(last) + 1;
    for (let i = start; i < entries.length; i++) {
      const entry = entries[i];
      if (entry) writeLine(io.stdout, formatEntry(entry));
    }
    last = entries.at(-1) ?? last;
  };
  const timer = setInterval(printNew, LOG_POLL_MS);
  try {
    if (!stop.aborted) {
      await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
    }
    printNew();
  } finally {
    clearInterval(timer);
  }
}

function formatEntry(e: SimLogEntry): string {
  const time = new Date(e.at).toISOString().slice(11, 23);
  const arrow = e.direction === 'in' ? '<-' : '->';
  const code = e.code === undefined ? '' : ` code=${e.code}`;
  return `${time} ${arrow} ${e.platform.padEnd(7)} ${e.method} ${e.path} ${e.status}${code}`;
}

function printSummary(io: CliIo, sim: Simulator, options: SimulatorOptions): void {
  const { douyin, tiktok, algovoi } = demoCredentials;
  const u = sim.url;
  const lines = [
    `ttpay simulator listening on ${u}`,
    `Dashboard: ${u}${DASHBOARD_PATH} (every order and delivery, live; resend, break, outages)`,
    `Press Ctrl-C to stop. Retry delays: ${options.timeScale === 1 ? "the platforms' real schedules" : `x${options.timeScale} of the platforms' schedules`}.`,
    '',
    `Platform APIs (replace the real base URL with ${u}):`,
    '  Douyin ecpay   POST /api/apps/ecpay/v1/{create_order,query_order,create_refund,query_refund,settle,',
    '                       query_settle,unsettle_amount,create_return,query_return,query_platform_order}',
    '  Douyin trade   POST /oauth/client_token/',
    '                 POST /api/trade_basic/v1/developer/{order_query,refund_create,refund_query,settle_create,settle_query}/',
    '                 POST /requestOrder   (stands in for tt.requestOrder in the mini-program)',
    '  TikTok Shop    GET  /order/202309/orders?ids=…, POST /order/202309/orders/search',
    '                 GET  /authorization/202309/shops',
    '                 POST /return_refund/202309/cancellations/{search, {cancel_id}/approve, {cancel_id}/reject}',
    '                 POST /fulfillment/202309/packages/{package_id}/ship',
    '                 POST /fulfillment/202309/orders/{order_id}/packages',
    '                 POST /fulfillment/202309/orders/{order_id}/shipping_info/update',
    '                 GET  /api/v2/token/get, /api/v2/token/refresh',
    '  AlgoVoi        POST /v1/payment-links, GET /checkout/{token}/status',
    '  Control        POST /_sim/douyin/pay {out_order_no}, /_sim/algovoi/pay {token},',
    '                      /_sim/tiktok/webhook {type, data}, /_sim/tiktok/pay {order_id},',
    '                      /_sim/tiktok/cancellation-request {order_id}, /_sim/faults {platform, path?, …}',
    '                 GET  /_sim/log;  GET /_sim/ the dashboard',
    '                 (from this machine only; controls with Content-Type: application/json)',
    '',
    'Callbacks and webhooks go to:',
    `  Douyin         ${options.douyin?.notifyUrl} (unless an order names its own notify_url)`,
    `  TikTok Shop    ${options.tiktok?.webhookUrl}`,
    `  AlgoVoi        ${options.algovoi?.webhookUrl}`,
    '',
    'Demo credentials (the secrets are demoCredentials in @ttpay/testing, the example shop defaults):',
    `  Douyin         app id ${douyin.appId}, key version ${douyin.keyVersion}, merchant uid ${douyin.merchantUid}`,
    `  TikTok Shop    app key ${tiktok.appKey}, shop id ${tiktok.shopId}, shop cipher ${tiktok.shopCipher}`,
    `  AlgoVoi        tenant id ${algovoi.tenantId}`,
    '',
    'Point the example shop at it:',
    `  DOUYIN_API_BASE=${u} TIKTOK_API_BASE=${u} ALGOVOI_API_BASE=${u} pnpm start`,
    '',
  ];
  for (const line of lines) writeLine(io.stdout, line);
}
