import type { Middleware } from 'koa';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

/**
 * Outermost middleware: one structured log line per request when its response has finished (pino-http),
 * with method, path, status and duration only. pino-http logs every header and the query string by
 * default; here neither (they carry bearer tokens and signatures), and no body.
 */
export function accessLog(logger: Logger): Middleware {
  const log = pinoHttp({
    logger: logger.child({ component: 'http' }),
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    // An error the shop did not expect (errorReplies puts it on `res.err`) is an error; a 5xx the shop
    // chose (503 while stopping, a platform that refused or could not be reached) is not.
    customLogLevel: (_req, res, error) =>
      error || res.err ? 'error' : res.statusCode >= 500 ? 'warn' : 'info',
    customErrorObject: (_req, res, _error, fields: Record<string, unknown>) =>
      res.err ? fields : { ...fields, err: undefined },
    customSuccessMessage: () => 'request',
    customErrorMessage: (_req, res) => (res.err ? 'request failed' : 'request'),
  });
  return async function accessLog(ctx, next) {
    log(ctx.req, ctx.res);
    await next();
  };
}
