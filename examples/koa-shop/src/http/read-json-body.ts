import type { Context } from 'koa';
import { HttpError } from './http-error.js';

/** Orders are small; anything bigger is not one. */
const LIMIT_BYTES = 16 * 1024;

/**
 * The JSON object body of an API request. (The webhook routes never come here: @ttpay/koa reads their
 * raw bytes itself, because the signatures cover them.)
 */
export async function readJsonObject(ctx: Context): Promise<Record<string, unknown>> {
  if (!ctx.is('application/json')) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the order as JSON (Content-Type: application/json).',
    );
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > LIMIT_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > LIMIT_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', 'The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'MALFORMED_REQUEST', 'The body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function tooLarge(): HttpError {
  return new HttpError(413, 'BODY_TOO_LARGE', `The body must be at most ${LIMIT_BYTES} bytes.`);
}
