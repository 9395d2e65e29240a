import { type BodyReader, DeliveryError } from '@ttpay/core/delivery';
import type { Context } from 'koa';
import getRawBody from 'raw-body';

/** The fields `koa-bodyparser` 4 and `@koa/bodyparser` 6 put on `ctx.request`. */
interface BodyParserFields {
  body?: unknown;
  rawBody?: unknown;
}

/** Where the engine gets the body from, and what it leaves for a body parser mounted later. */
export interface KoaBody {
  body: BodyReader | Uint8Array;
  onParsed?: (text: string, json: Record<string, unknown>) => void;
}

/**
 * The raw body of a Koa request. Mounted before a body parser, ttpay reads the stream (and leaves the
 * parsed body on `ctx.request`, as the parsers do: koa-bodyparser and @koa/bodyparser skip a request
 * whose `ctx.request.body` is set, so one mounted later does not wait on the spent stream). Mounted after
 * one, the stream is gone and the parser's `ctx.request.rawBody` is used: the body text decoded as UTF-8,
 * which re-encodes to the exact bytes because only UTF-8 JSON gets past the engine's checks — a parser
 * told to decode another charset would not give the signed bytes back. With neither, it fails loudly:
 * verifying `JSON.stringify(ctx.request.body)` would be verifying a re-serialisation.
 */
export function koaBody(ctx: Context, middlewareName: string): KoaBody {
  const fields = ctx.request as BodyParserFields;
  const kept = fields.rawBody;
  if (typeof kept === 'string') return { body: Buffer.from(kept, 'utf8') };
  if (kept instanceof Uint8Array) return { body: kept };
  return {
    body: (limit) => readStream(ctx, limit, middlewareName),
    onParsed(text, json) {
      if (fields.body === undefined) fields.body = json;
      if (fields.rawBody === undefined) fields.rawBody = text;
    },
  };
}

async function readStream(ctx: Context, limit: number, middlewareName: string): Promise<Buffer> {
  const req = ctx.req;
  if (req.readableEnded || req.readableDidRead) throw bodyGone(middlewareName);
  try {
    return await getRawBody(req, { limit, length: ctx.request.length ?? null });
  } catch (error) {
    throw fromRawBodyError(error, limit, middlewareName);
  }
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
      return new DeliveryError('BODY_TOO_LARGE', `The body is larger than the ${limit}-byte limit.`);
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
