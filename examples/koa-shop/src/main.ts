/**
 * `pnpm start` (= `node examples/koa-shop/dist/main.js`, what a systemd unit or a container runs): the
 * shop as a process. Configuration from the environment (config.ts), JSON logs on stdout, and a graceful
 * shutdown on SIGTERM (what orchestrators send) or SIGINT (Ctrl-C): a second signal, or a shutdown that
 * outlives its deadline, ends the process at once (stop-on-signals.ts).
 */
import { createShop } from './app.js';
import { ConfigError, LOG_LEVELS, type LogLevel, loadConfig, type ShopConfig } from './config.js';
import { createLogger } from './logger.js';
import { stopOnSignals } from './stop-on-signals.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  // The logger comes first, so even a configuration error is a structured log line.
  const level = process.env.LOG_LEVEL as LogLevel | undefined;
  const logger = createLogger(level && LOG_LEVELS.includes(level) ? level : 'info');

  let config: ShopConfig;
  try {
    config = await loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.fatal({ variables: error.variables }, error.message);
    process.exitCode = 1;
    return;
  }

  let shop: Awaited<ReturnType<typeof createShop>>;
  try {
    shop = await createShop(config, { logger, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS });
    await shop.start();
  } catch (error) {
    // The database unreachable, a client refusing its base URL, the port taken…: say so and stop (a
    // connection may be open).
    logger.fatal({ err: error }, 'the shop could not start');
    process.exit(1);
  }

  stopOnSignals(() => shop.stop(), { logger, deadlineMs: SHUTDOWN_TIMEOUT_MS * 2 });
}

await main();
