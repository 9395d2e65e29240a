/** One log call, pino's argument order: a structured object first, then the message. */
export type LogFn = (obj: Record<string, unknown>, msg: string) => void;

/**
 * The logger @ttpay/koa writes to: a pino logger fits as is. ttpay logs the platform, event key, event
 * type and error code — never a secret and never a body.
 */
export interface TtpayLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const ignore: LogFn = () => {};

/** The default: warnings and errors on the console (a misconfiguration must not go unnoticed). */
export const consoleLogger: TtpayLogger = {
  debug: ignore,
  info: ignore,
  warn: (obj, msg) => console.warn(`[ttpay] ${msg}`, obj),
  error: (obj, msg) => console.error(`[ttpay] ${msg}`, obj),
};

/** Logs nothing. */
export const silentLogger: TtpayLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
