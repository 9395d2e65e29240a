import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/**
 * Structured JSON logs (pino). ttpay's packages log event keys, types and reply codes, never a secret or
 * a body; the redaction below is a second line of defence for anything the shop itself might log.
 */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'koa-shop' },
      redact: {
        paths: [
          'headers.authorization',
          'headers["x-tts-access-token"]',
          'headers["access-token"]',
          '*.appSecret',
          '*.apiKey',
          '*.salt',
          '*.webhookSecret',
          '*.accessToken',
        ],
        censor: '[redacted]',
      },
    },
    // Synchronous stdout by default: nothing is lost when the process exits.
    destination ?? pino.destination(1),
  );
}
