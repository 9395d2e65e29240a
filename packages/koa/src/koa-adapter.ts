import { TtpayError } from '@ttpay/core';
import type { DeliveryEndpoint, DeliveryState, EndpointAdapter, Reply } from '@ttpay/core/delivery';
import type { Context, Middleware } from 'koa';
import { koaBody } from './raw-body.js';

/** How the engine builds a Koa handler's context: the Koa `ctx`, with `ctx.payment` reading the delivery. */
export function koaContext(name: string): EndpointAdapter<Context, Context> {
  return {
    name,
    context(state: DeliveryState, ctx: Context): Context {
      ctx.payment = {
        get event() {
          return state.event;
        },
        get rawBody() {
          return state.rawBody;
        },
        get tx() {
          return state.tx;
        },
      };
      return ctx;
    },
  };
}

/**
 * Koa in front of a delivery endpoint (octokit/webhooks.js's node and web middleware are the model):
 * match `path`, hand the engine the method, headers, body and `ctx`, write the reply it decided. Every
 * check is the engine's.
 */
export function koaMiddleware(
  endpoint: DeliveryEndpoint<Context>,
  options: { path?: string | undefined; clients?: unknown },
  name: string,
): Middleware {
  const { path } = options;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    throw new TtpayError('INVALID_ARGUMENT', 'path must start with "/".');
  }
  if (options.clients !== undefined) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      `${name}(): the clients option (ctx.payment.douyin …) was removed in @ttpay/koa 0.2: use your clients directly (import or close over them).`,
    );
  }
  return async (ctx, next) => {
    // ctx.request, not Koa's ctx.path delegate: with `path`, every request of the app passes here.
    if (path !== undefined && ctx.request.path !== path) return next();
    const { req } = ctx;
    await endpoint.receive(
      {
        method: ctx.request.method,
        // Node builds headersDistinct on first read; it keeps a repeated header visible to the verifiers.
        get headers() {
          return req.headersDistinct;
        },
        ...koaBody(ctx, name),
        request: ctx,
      },
      (reply) => writeReply(ctx, reply),
    );
  };
}

/** Writes the engine's reply as it is. (`ctx.response`: Koa's setters, without the `ctx` delegates.) */
function writeReply(ctx: Context, reply: Reply): void {
  const { response } = ctx;
  response.status = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) response.set(name, value);
  response.body = reply.body;
  // A body-less reply carries no type; Koa would call '' text/plain.
  if (reply.headers['content-type'] === undefined) response.remove('Content-Type');
}
