import type Router from '@koa/router';
import type { Context } from 'koa';
import { parseJsonObject, readRawBody } from './read-body.js';
import { SIMULATOR_ERROR_STATUS, SimulatorError } from './simulator-error.js';
import type { FaultRule, SimTikTokOrderInput, Simulator } from './types.js';

export type Body = Record<string, unknown>;

export function str(body: Body, key: string): string {
  const value = body[key];
  if (typeof value === 'string' && value !== '') return value;
  throw new SimulatorError('INVALID_ARGUMENT', `"${key}" is required (a string).`);
}

export function optionalStr(body: Body, key: string): string | undefined {
  return body[key] === undefined ? undefined : str(body, key);
}

export function optionalInt(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new SimulatorError('INVALID_ARGUMENT', `"${key}" must be an integer.`);
}

/** A control route: JSON in, JSON out; SimulatorError → 4xx `{error, message}`. */
export function control(answer: (body: Body) => unknown) {
  return async (ctx: Context): Promise<void> => {
    const raw = await readRawBody(ctx);
    const body = raw.length === 0 ? {} : parseJsonObject(raw);
    if (!body) {
      ctx.status = 400;
      ctx.body = { error: 'INVALID_ARGUMENT', message: 'The body must be a JSON object.' };
      return;
    }
    try {
      ctx.body = (await answer(body)) ?? { ok: true };
      ctx.status = 200;
    } catch (error) {
      if (!(error instanceof SimulatorError)) throw error;
      ctx.status = SIMULATOR_ERROR_STATUS[error.code];
      ctx.body = { error: error.code, message: error.message };
    }
  };
}

/**
 * `/_sim/*`: the simulator's own controls, for tests and the `ttpay` CLI (not a platform API). Each does
 * what the matching `Simulator` method does and answers its result as JSON (deliveries: the
 * DeliveryResult, once the delivery is acknowledged or its schedule is exhausted).
 */
export function registerControlRoutes(router: Router, sim: Omit<Simulator, 'url' | 'port' | 'close'>): void {
  router.post(
    '/_sim/douyin/pay',
    control((b) =>
      sim.douyin.pay(str(b, 'out_order_no'), {
        duplicates: optionalInt(b, 'duplicates'),
        url: optionalStr(b, 'url'),
        loseCallbacks: b.lose_callbacks === true,
      }),
    ),
  );
  router.post(
    '/_sim/douyin/cancel',
    control((b) => sim.douyin.cancel(str(b, 'out_order_no'), { url: optionalStr(b, 'url') })),
  );
  router.post(
    '/_sim/douyin/refund',
    control((b) => {
      const status = optionalStr(b, 'status');
      if (status !== undefined && status !== 'SUCCESS' && status !== 'FAIL') {
        throw new SimulatorError('INVALID_ARGUMENT', '"status" must be "SUCCESS" or "FAIL".');
      }
      return sim.douyin.completeRefund(str(b, 'out_refund_no'), {
        status,
        url: optionalStr(b, 'url'),
        loseCallbacks: b.lose_callbacks === true,
      });
    }),
  );
  router.post(
    '/_sim/douyin/settle',
    control((b) =>
      sim.douyin.completeSettle(str(b, 'out_settle_no'), {
        url: optionalStr(b, 'url'),
        loseCallbacks: b.lose_callbacks === true,
      }),
    ),
  );
  router.post(
    '/_sim/algovoi/pay',
    control((b) =>
      sim.algovoi.pay(str(b, 'token'), {
        txId: optionalStr(b, 'tx_id'),
        url: optionalStr(b, 'url'),
        duplicates: optionalInt(b, 'duplicates'),
      }),
    ),
  );
  router.post(
    '/_sim/tiktok/webhook',
    control((b) => {
      const type = optionalInt(b, 'type');
      if (type === undefined)
        throw new SimulatorError('INVALID_ARGUMENT', '"type" is required (an integer).');
      const data = (b.data ?? {}) as Record<string, unknown>;
      return sim.tiktok.sendWebhook(type, data, {
        url: optionalStr(b, 'url'),
        duplicates: optionalInt(b, 'duplicates'),
      });
    }),
  );
  router.post(
    '/_sim/tiktok/pay',
    control((b) => sim.tiktok.pay(str(b, 'order_id'), { url: optionalStr(b, 'url') })),
  );
  router.post(
    '/_sim/tiktok/cancellation-request',
    control((b) =>
      sim.tiktok.requestCancellation(str(b, 'order_id'), {
        reason: optionalStr(b, 'reason'),
        url: optionalStr(b, 'url'),
      }),
    ),
  );
  router.post(
    '/_sim/tiktok/orders',
    control((b) => ({ id: sim.tiktok.addOrder(b as unknown as SimTikTokOrderInput) })),
  );
  router.post(
    '/_sim/faults',
    control((b) => {
      sim.fault(b as unknown as FaultRule);
    }),
  );
  router.delete(
    '/_sim/faults',
    control(() => {
      sim.clearFaults();
    }),
  );
  router.get('/_sim/log', (ctx) => {
    // A copy: the live array would also gain this request's own entry before Koa serialises it.
    ctx.body = [...sim.log];
  });
}
