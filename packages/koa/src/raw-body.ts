import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { DeliveryError } from './errors.js';

/** The fields `koa-bodyparser` 4 and `@koa/bodyparser` 6 put on `ctx.request`. */
interface BodyParserFields {
  body?: unknown;
  rawBody?: unknown;
}

export function bodyParserFields(request: object): BodyParserFields {
  return request as BodyParserFields;
}

/** The exact bytes of the request body, and whether ttpay read them from the stream itself. */
export interface RawBodyRead {
  raw: Buffer;
  fromStream: boolean;
}

/**
 * Reads the raw body. Mounted before a body parser, ttpay reads the stream. Mounted after one, the
 * stream is gone and the parser's `ctx.request.rawBody` is used: it is the body text decoded as UTF-8,
 * which re-encodes to the exact bytes because only UTF-8 JSON gets this far (`assertJsonRequest`) —
 * a parser told to decode another charset would not give the signed bytes back. With neither, it
 * fails loudly: verifying `JSON.stringify(ctx.request.body)` would be verifying a re-serialisation.
 */
export async function readRawBody(ctx: Context, limit: number, middlewareName: string): Promise<RawBodyRead> {
  const kept = bodyParserFields(ctx.request).rawBody;
  if (typeof kept === 'string' || kept instanceof Uint8Array) {
    const raw = typeof kept === 'string' ? Buffer.from(kept, 'utf8') : Buffer.from(kept);
    if (raw.length > limit) throw tooLarge(limit);
    return { raw, fromStream: false };
  }

  const req = ctx.req;
  if (req.readableEnded || req.readableDidRead) throw bodyGone(middlewareName);
  const encoding = (req.headers['content-encoding'] || 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    throw new DeliveryError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding "${encoding}" is not accepted: platforms send webhooks uncompressed.`,
    );
  }
  try {
    const raw = await getRawBody(req, { limit, length: ctx.request.length ?? null });
    return { raw, fromStream: true };
  } catch (error) {
    throw fromRawBodyError(error, limit, middlewareName);
  }
}

function tooLarge(limit: number): DeliveryError {
  return new DeliveryError('BODY_TOO_LARGE', `The body is larger than the ${limit}-byte limit.`);
}

function bodyGone(middlewareName: string): DeliveryError {
  return new DeliveryError(
    'RAW_BODY_UNAVAILABLE',
    `The request body was consumed before ${middlewareName}() could read it, and no raw copy was kept ` +
      '(ctx.request.rawBody). Mount the ttpay middleware before your body parser, or use a body parser ' +
      'that keeps ctx.request.rawBody (koa-bodyparser 4, @koa/bodyparser 6). ttpay never verifies a ' +
      're-serialised body.',
  );
}

function fromRawBodyError(error: unknown, limit: number, middlewareName: string): DeliveryError {
  const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
  switch (type) {
    case 'entity.too.large':
      return tooLarge(limit);
    case 'request.size.invalid':
      return new DeliveryError('MALFORMED_BODY', 'The body is shorter or longer than its Content-Length.', {
        cause: error,
      });
    case 'request.aborted':
      return new DeliveryError('MALFORMED_BODY', 'The client aborted the request.', { cause: error });
    case 'stream.not.readable':
      return bodyGone(middlewareName);
    default:
      return new DeliveryError('INTERNAL_ERROR', 'The request body could not be read.', { cause: error });
  }
}
