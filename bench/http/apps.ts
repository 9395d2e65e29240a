import { createHash } from 'node:crypto';
import { douyinCallbacks, MemoryStore } from '@ttpay/koa';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';

/**
 * The servers compared: the same route, the same acknowledgement, different amounts of work. `bare` is
 * the baseline of the targets; `bare-read` (reads the body, nothing else) is shown for context.
 */
export const VARIANTS = ['bare', 'bare-read', 'ttpay', 'naive'] as const;
export type Variant = (typeof VARIANTS)[number];

export const CALLBACK_PATH = '/douyin/notify';
/** The console Token the bench signs its callbacks with (a bench value, protects nothing). */
export const BENCH_TOKEN = 'bench_douyin_token';

const ACK = { err_no: 0, err_tips: 'success' };

export function isVariant(value: unknown): value is Variant {
  return (VARIANTS as readonly unknown[]).includes(value);
}

/** A handler that does nothing, so only the framework and the verification are measured. */
const noop = (): void => {};

export function createApp(variant: Variant): Koa {
  const app = new Koa();
  switch (variant) {
    case 'bare':
      // The floor: Koa answering the same JSON, reading and verifying nothing.
      app.use((ctx) => {
        if (ctx.method === 'POST' && ctx.path === CALLBACK_PATH) ctx.body = ACK;
      });
      break;
    case 'bare-read':
      // What receiving the body costs on its own: read every byte, then the same reply.
      app.use(async (ctx) => {
        if (ctx.method !== 'POST' || ctx.path !== CALLBACK_PATH) return;
        for await (const _chunk of ctx.req);
        ctx.body = ACK;
      });
      break;
    case 'ttpay':
      // The full stack: raw body, JSON, SHA-1 verification, typed event, MemoryStore claim/complete, ack.
      app.use(
        douyinCallbacks({
          path: CALLBACK_PATH,
          token: BENCH_TOKEN,
          store: new MemoryStore(),
          onPayment: noop,
        }),
      );
      break;
    case 'naive':
      app.use(bodyParser());
      app.use(naiveCallbackRoute);
      break;
  }
  return app;
}

/**
 * BASELINE, NOT PRODUCT CODE: what a typical hand-written route does after koa-bodyparser — take the
 * parsed fields, re-sign them as the seed's Node.js example does, compare with `===`, parse `msg`, run
 * the handler, ack. No de-duplication, no typed event.
 */
async function naiveCallbackRoute(ctx: Koa.Context): Promise<void> {
  if (ctx.method !== 'POST' || ctx.path !== CALLBACK_PATH) return;
  const { timestamp, nonce, msg, msg_signature } = ctx.request.body as Record<string, string>;
  const str = [BENCH_TOKEN, timestamp, nonce, msg].sort().join('');
  if (!msg || createHash('sha1').update(str).digest('hex') !== msg_signature) {
    ctx.status = 400;
    ctx.body = { err_no: 400, err_tips: 'bad signature' };
    return;
  }
  const order = JSON.parse(msg) as Record<string, unknown>;
  await noop.call(order);
  ctx.body = ACK;
}
