// An app that already declares its own `ctx.payment` keeps compiling with @ttpay/koa installed: ttpay
// adds nothing to Koa's DefaultContext (ctx.payment is typed through ttpay's handler parameters only).
import { douyinCallbacks } from '@ttpay/koa';
import Koa from 'koa';

declare module 'koa' {
  interface DefaultContext {
    payment: { provider: 'in-house'; amountCents: number };
  }
}

export const app = new Koa();
app.use(async (ctx, next) => {
  ctx.payment = { provider: 'in-house', amountCents: 100 };
  await next();
});
app.use(
  douyinCallbacks({
    path: '/douyin/notify',
    token: 'console-token',
    // On ttpay's route the handler's ctx carries ttpay's payment next to the app's own.
    onPayment: (event, ctx) => {
      const key: string = ctx.payment.event.key;
      return key === event.key;
    },
  }),
);
app.use((ctx) => {
  const cents: number = ctx.payment.amountCents;
  ctx.body = { provider: ctx.payment.provider, cents };
});
