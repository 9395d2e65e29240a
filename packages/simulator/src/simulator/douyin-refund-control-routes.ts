import type Router from '@koa/router';
import { type Body, control, optionalInt, optionalStr, str } from './control-routes.js';
import { SimulatorError } from './simulator-error.js';
import type { Simulator } from './types.js';

/**
 * `POST /_sim/douyin/user-refund {out_order_no, amount?, need_audit?, reason?, url?, lose_result_callback?}`: what
 * `sim.douyin.userRefund` does (the user starts a refund; application, audit, result). Answers the
 * `UserRefundResult` once the refund is finished — after the app's audit, or the (scaled) 72 h window.
 */
export function registerDouyinRefundControlRoutes(router: Router, sim: Pick<Simulator, 'douyin'>): void {
  router.post(
    '/_sim/douyin/user-refund',
    control((b) =>
      sim.douyin.userRefund(str(b, 'out_order_no'), {
        amount: optionalInt(b, 'amount'),
        needAudit: optionalBoolean(b, 'need_audit'),
        reason: optionalStrings(b, 'reason'),
        url: optionalStr(b, 'url'),
        loseResultCallback: b.lose_result_callback === true,
      }),
    ),
  );
}

function optionalBoolean(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || typeof value === 'boolean') return value;
  throw new SimulatorError('INVALID_ARGUMENT', `"${key}" must be true or false.`);
}

function optionalStrings(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new SimulatorError('INVALID_ARGUMENT', `"${key}" must be a list of strings.`);
}
