import type { Context } from 'koa';
import getRawBody from 'raw-body';

/** Platform APIs take small JSON bodies; anything bigger is a client bug, answered 413. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The exact bytes the client sent. Signatures are checked over these (TikTok) or over their parse
 * (ecpay, whose platform verifies request fields), never over a re-serialisation.
 */
export function readRawBody(ctx: Context): Promise<Buffer> {
  const length = ctx.request.length;
  return getRawBody(ctx.req, { limit: BODY_LIMIT_BYTES, ...(length === undefined ? {} : { length }) });
}

/** The JSON object in `raw`, or undefined when it is not valid JSON or not an object. */
export function parseJsonObject(raw: Buffer | string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
