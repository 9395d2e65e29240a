import { STATUS_CODES } from 'node:http';
import { isHttpError } from 'http-errors';
import type { Middleware } from 'koa';

/** What the shop's routes put on an HTTP error: `ctx.throw(status, message, { code, details })`. */
export interface ErrorReply {
  /** Stable, e.g. `INVALID_AMOUNT`. */
  code: string;
  /** More fields of the JSON reply, e.g. `{ outOrderNo }`. Never a secret. */
  details?: Record<string, unknown>;
}

/**
 * Errors become JSON replies without a stack. An HTTP error that may be shown (http-errors' `expose`: a
 * 4xx, or a 5xx a route marked so) answers with its status, its headers and
 * `{ error: code, message, ...details }`; anything else is `500 INTERNAL_ERROR`, and the access log
 * records the error itself.
 */
export function errorReplies(): Middleware {
  return async function errorReplies(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (isHttpError(error) && error.expose) {
        const { code, details } = error as Partial<ErrorReply>;
        ctx.status = error.status;
        if (error.headers) ctx.set(error.headers);
        ctx.body = { error: code ?? codeOf(error.status), message: error.message, ...details };
      } else {
        ctx.res.err = error instanceof Error ? error : new Error(String(error));
        ctx.status = 500;
        ctx.body = { error: 'INTERNAL_ERROR', message: 'Something went wrong; it has been logged.' };
      }
    }
  };
}

/** A library's HTTP error without a shop code (e.g. `415` from the body parser): `UNSUPPORTED_MEDIA_TYPE`. */
function codeOf(status: number): string {
  return (STATUS_CODES[status] ?? 'HTTP_ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
