import { STATUS_CODES } from 'node:http';
import { nonNegativeNumber, positiveInteger } from '@ttpay/core/internal';
import type { Middleware } from 'koa';
import { abortableDelay } from './abortable-delay.js';
import { platformOf } from './sim-log.js';
import { SimulatorError } from './simulator-error.js';
import type { FaultRule } from './types.js';

/** What an overloaded gateway in front of a platform API sends back: 200, but not JSON. */
export const GARBAGE_BODY =
  '<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>';

const PLATFORMS = new Set<FaultRule['platform']>(['douyin', 'tiktok', 'algovoi']);

interface ActiveFault {
  rule: FaultRule;
  remaining: number;
}

export interface FaultStore {
  add(rule: FaultRule): () => void;
  clear(): void;
  /** The first active rule matching the request, with one use consumed. */
  take(platform: FaultRule['platform'], path: string): FaultRule | undefined;
}

export function createFaultStore(): FaultStore {
  let active: ActiveFault[] = [];
  return {
    add(rule) {
      const fault = { rule: checkRule(rule), remaining: rule.times ?? 1 };
      active.push(fault);
      return () => {
        active = active.filter((f) => f !== fault);
      };
    },
    clear() {
      active = [];
    },
    take(platform, path) {
      const fault = active.find(
        (f) => f.rule.platform === platform && (f.rule.path === undefined || path.startsWith(f.rule.path)),
      );
      if (!fault) return undefined;
      fault.remaining -= 1;
      if (fault.remaining <= 0) active = active.filter((f) => f !== fault);
      return fault.rule;
    },
  };
}

function checkRule(rule: FaultRule): FaultRule {
  const fail = (why: string): never => {
    throw new SimulatorError('INVALID_ARGUMENT', `Fault rule: ${why}`);
  };
  if (typeof rule !== 'object' || rule === null)
    fail('pass an object {platform, path?, times?, status?, delayMs?, garbage?}.');
  if (!PLATFORMS.has(rule.platform)) fail('platform must be "douyin", "tiktok" or "algovoi".');
  if (rule.path !== undefined && (typeof rule.path !== 'string' || !rule.path.startsWith('/')))
    fail('path must be a path prefix starting with "/".');
  if (rule.times !== undefined) positiveInteger(rule.times, 'Fault rule: times', SimulatorError);
  if (rule.status !== undefined && (!Number.isInteger(rule.status) || rule.status < 200 || rule.status > 599))
    fail('status must be an HTTP status between 200 and 599.');
  if (rule.delayMs !== undefined) nonNegativeNumber(rule.delayMs, 'Fault rule: delayMs', SimulatorError);
  if (
    rule.reply !== undefined &&
    (typeof rule.reply !== 'object' || rule.reply === null || Array.isArray(rule.reply))
  )
    fail('reply must be a JSON object (the body to answer with).');
  if (rule.dropAnswer !== undefined && typeof rule.dropAnswer !== 'boolean')
    fail('dropAnswer must be a boolean.');
  return { ...rule };
}

/**
 * Applies fault rules to platform API requests (never to `/_sim/` control routes). A rule that sets
 * neither status, garbage, reply, dropAnswer nor delayMs answers 503: "fail once" is the common case.
 */
export function faultMiddleware(faults: FaultStore, closing: AbortSignal): Middleware {
  return async function simulatorFaults(ctx, next) {
    const platform = platformOf(ctx.path);
    if (platform === undefined || platform === 'control') return next();
    const rule = faults.take(platform, ctx.path);
    if (!rule) return next();
    if (rule.delayMs !== undefined && rule.delayMs > 0) {
      if (!(await abortableDelay(rule.delayMs, closing))) {
        ctx.status = 503;
        ctx.body = 'simulator closing';
        return;
      }
    }
    if (rule.dropAnswer) {
      await next();
      // The platform acted; its answer never arrives.
      ctx.req.socket.destroy();
      ctx.respond = false;
      return;
    }
    if (rule.reply !== undefined) {
      ctx.status = rule.status ?? 200;
      ctx.body = rule.reply;
      return;
    }
    if (rule.garbage) {
      ctx.status = 200;
      ctx.type = 'text/html';
      ctx.body = GARBAGE_BODY;
      return;
    }
    const status = rule.status ?? (rule.delayMs === undefined ? 503 : undefined);
    if (status === undefined) return next();
    ctx.status = status;
    ctx.type = 'text/plain';
    ctx.body = STATUS_CODES[status] ?? 'Injected fault';
  };
}
