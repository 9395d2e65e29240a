/**
 * The one logger shape every ttpay package writes to: pino's (a structured object first, then the
 * message), so a pino logger — or `logger.child({...})` — fits as it is. ttpay logs platforms, event
 * keys, types and error codes; never a secret, a header or a body.
 */
export interface TtpayLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

const ignore = (): void => {};

/** Logs nothing. */
export const silentLogger: TtpayLogger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});

/** Warnings and errors on the console, for a misconfiguration must not go unnoticed; nothing else. */
export const consoleLogger: TtpayLogger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: (obj: Record<string, unknown>, msg: string) => console.warn(`[ttpay] ${msg}`, obj),
  error: (obj: Record<string, unknown>, msg: string) => console.error(`[ttpay] ${msg}`, obj),
});
