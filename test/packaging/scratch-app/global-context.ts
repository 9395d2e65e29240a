// The opt-in: one import types `ctx.payment` on every route of the app.
import '@ttpay/koa/global-context';
import type { TtpayEvent } from '@ttpay/core';
import Koa from 'koa';

export const app = new Koa();
app.use((ctx) => {
  const event: TtpayEvent | undefined = ctx.payment.event;
  // @ts-expect-error on a route ttpay did not handle there may be no event
  const key: string = ctx.payment.event.key;
  ctx.body = { event: event?.key ?? null, key };
});
