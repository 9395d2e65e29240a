import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import { HttpError } from './http-error.js';

/**
 * Outermost middleware: one structured log line per request (method, path, status, duration — no query,
 * no headers, no body), and errors turned into JSON replies without a stack.
 */
export function accessLog(logger: Logger): Middleware {
  const log = logger.child({ component: 'http' });
  return async function accessLog(ctx, next) {
    const started = performance.now();
    try {
      await next();
    } catch (error) {
      if (error instanceof HttpError) {
        ctx.status = error.status;
        ctx.body = { error: error.code, message: error.message, ...error.details };
      } else {
        log.error({ err: error, method: ctx.method, path: ctx.path }, 'request failed');
        ctx.status = 500;
        ctx.body = { error: 'INTERNAL_ERROR', message: 'Something went wrong; it has been logged.' };
      }
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
    }
  };
}
