/**
 * `pnpm dev`: the shop as `pnpm start` runs it, against the local platform simulator started in the same
 * process — what a first run needs, since the real Douyin and TikTok hosts refuse the demo credentials.
 * The simulator listens on TTPAY_SIM_PORT (default 4010, as `ttpay simulate`) and delivers every
 * callback and webhook to the shop on PORT (default 3000); its dashboard is at /_sim/. Both listen on
 * 127.0.0.1 only. The orders live in memory (DATA_DIR=memory:// unless set): the simulator forgets its
 * own on restart. SIGINT (Ctrl-C) or SIGTERM stops both, gracefully.
 */
import { startSimulator } from '@ttpay/simulator';
import { createShop } from '#shop/app';
import { ConfigError, LOG_LEVELS, type LogLevel, loadConfig } from '#shop/config';
import { createLogger } from '#shop/logger';
import { stopOnSignals } from '#shop/stop-on-signals';

const SHUTDOWN_TIMEOUT_MS = 10_000;

if (process.env.NODE_ENV === 'production') {
  console.error(
    'pnpm dev runs the shop against the local simulator with demo credentials: unset NODE_ENV=production.',
  );
  process.exit(1);
}

const level = process.env.LOG_LEVEL as LogLevel | undefined;
const logger = createLogger(level && LOG_LEVELS.includes(level) ? level : 'info');
const simPort = port(process.env.TTPAY_SIM_PORT ?? '4010', 'TTPAY_SIM_PORT');
const simulatorUrl = `http://127.0.0.1:${simPort}`;

let config: Awaited<ReturnType<typeof loadConfig>>;
try {
  config = await loadConfig({
    ...process.env,
    DOUYIN_API_BASE: simulatorUrl,
    TIKTOK_API_BASE: simulatorUrl,
    ALGOVOI_API_BASE: simulatorUrl,
    DATA_DIR: process.env.DATA_DIR ?? 'memory://',
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  logger.fatal({ variables: error.variables }, error.message);
  process.exit(1);
}

// The shop first: the simulator's URL is known before it starts, and it delivers to the shop's.
const shop = await createShop(config, { logger, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS });
let sim: Awaited<ReturnType<typeof startSimulator>>;
try {
  const { url } = await shop.start({ host: '127.0.0.1' });
  sim = await startSimulator({
    port: simPort,
    douyin: { notifyUrl: `${url}/douyin/notify` },
    tiktok: { webhookUrl: `${url}/tiktok/webhook` },
    algovoi: { webhookUrl: `${url}/algovoi/webhook` },
  }).catch((error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    throw code === 'EADDRINUSE'
      ? new Error(`port ${simPort} is in use (another simulator?): stop it, or set TTPAY_SIM_PORT.`)
      : error;
  });
  logger.info(
    { simulator: sim.url, dashboard: `${sim.url}/_sim/`, shop: url },
    `dev: the shop on ${url} runs against the local simulator on ${sim.url}; dashboard ${sim.url}/_sim/`,
  );
} catch (error) {
  logger.fatal({ err: error }, 'the shop could not start');
  await shop.stop();
  process.exit(1);
}

stopOnSignals(
  async () => {
    await shop.stop();
    await sim.close();
    logger.info({}, 'dev: the simulator stopped');
  },
  { logger, deadlineMs: SHUTDOWN_TIMEOUT_MS * 2 },
);

function port(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) {
    console.error(`${name} must be a port number such as 4010.`);
    process.exit(1);
  }
  return n;
}
