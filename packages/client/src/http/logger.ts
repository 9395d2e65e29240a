/** A pino-compatible logger (`logger.child(...)` works too). ttpay logs no secret, header or body. */
export interface TtpayLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

const noop = (): void => {};

export const silentLogger: TtpayLogger = { debug: noop, info: noop, warn: noop, error: noop };
