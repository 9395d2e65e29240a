import type { HeaderMap } from '../shared/headers.js';
import { DeliveryError } from './delivery-error.js';
import type { DeliveryEndpoint, Reply } from './types.js';

/** A Web-standard request handler: what Hono routes, Next.js route handlers, Bun and Deno serve. */
export type WebHandler = (request: Request) => Promise<Response>;

/**
 * Serves an endpoint to the Web `Request → Response` world: Hono (`(c) => handle(c.req.raw)`), Next.js
 * (`export const POST = handle`), Bun (`Bun.serve({ fetch: handle })`), Deno. It only moves bytes and
 * headers in and out (octokit/webhooks.js `src/middleware/web/` is the model); every check is the
 * engine's. Pass the `Request` untouched: a body already read is 500 RAW_BODY_UNAVAILABLE, never a
 * re-serialisation.
 *
 * One difference from Node's `http`: the Web `Headers` API joins a repeated header with ", " before it
 * gets here, so a repeated signature header fails as SIGNATURE_MISMATCH rather than MALFORMED_HEADER.
 */
export function webHandler(endpoint: DeliveryEndpoint<Request>): WebHandler {
  return function handle(request) {
    return endpoint.receive(
      {
        method: request.method,
        headers: headersOf(request.headers),
        body: (limit) => readRequestBody(request, limit),
        request,
      },
      toResponse,
    );
  };
}

function headersOf(headers: Headers): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, value] of headers) map[name] = value;
  return map;
}

function toResponse(reply: Reply): Response {
  // A body-less reply has no content-type; `new Response('')` would add text/plain.
  return new Response(reply.body === '' ? null : reply.body, {
    status: reply.status,
    headers: reply.headers,
  });
}

/** At most `limit` bytes of the request body; the stream is cancelled as soon as it grows past it. */
async function readRequestBody(request: Request, limit: number): Promise<Uint8Array> {
  if (request.bodyUsed) {
    throw new DeliveryError(
      'RAW_BODY_UNAVAILABLE',
      'The Request body was read before ttpay could read it (request.json(), a body parser, …): pass the ' +
        'Request untouched (Hono: c.req.raw, before any c.req.json()). ttpay never verifies a re-serialised body.',
    );
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        void reader.cancel().catch(() => {});
        throw new DeliveryError('BODY_TOO_LARGE', `The body is larger than the ${limit}-byte limit.`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    throw new DeliveryError('MALFORMED_BODY', 'The client aborted the request.', { cause: error });
  }
  return Buffer.concat(chunks, size);
}
