import { nonNegativeInteger } from '@ttpay/core/internal';
import type { SignedDelivery } from '@ttpay/testing';
import { abortableDelay } from './abortable-delay.js';
import { describeFetchFailure } from './fetch-failure.js';
import type { RetrySchedule } from './retry-schedules.js';
import type { SimLog } from './sim-log.js';
import { SimulatorError } from './simulator-error.js';
import type { DeliveryResult, SimLogEntry } from './types.js';

/** Reply bodies are kept for inspection, cut to this size. */
const MAX_KEPT_REPLY_CHARS = 4096;

export interface DeliveryPlan {
  url: string;
  platform: Exclude<SimLogEntry['platform'], 'control'>;
  schedule: RetrySchedule;
  /**
   * The delivery for the next attempt. Return the same one each time unless the scheme needs fresh
   * headers per attempt (trade-system signatures carry a timestamp the receiver checks).
   */
  attempt: () => SignedDelivery;
  /**
   * Did the receiver acknowledge? Anything else is retried on `schedule`. Called once per reply (status 0
   * with `error` when none came), so a wrapper can also record it.
   */
  isAck: (status: number, body: string, error?: string) => boolean;
  /** Extra copies of the acknowledged delivery, sent as they were (at-least-once delivery). */
  duplicates?: number | undefined;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
}

export interface Deliverer {
  /**
   * POSTs until acknowledged or the schedule (scaled by `timeScale`) runs out, then sends the
   * duplicates. `attempts` counts every request made, duplicates included (= `responses.length`).
   */
  deliver(plan: DeliveryPlan): Promise<DeliveryResult>;
  /** Resolves once every delivery in flight has finished (they stop early once `closing` aborts). */
  idle(): Promise<void>;
}

export function createDeliverer(opts: { timeScale: number; closing: AbortSignal; log: SimLog }): Deliverer {
  const inFlight = new Set<Promise<DeliveryResult>>();

  async function post(plan: DeliveryPlan, d: SignedDelivery): Promise<DeliveryResult['responses'][number]> {
    const at = Date.now();
    let reply: DeliveryResult['responses'][number];
    try {
      const res = await fetch(plan.url, {
        method: 'POST',
        headers: { 'user-agent': 'ttpay-simulator', ...d.headers },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.any([opts.closing, AbortSignal.timeout(plan.timeoutMs)]),
      });
      reply = { status: res.status, body: (await res.text()).slice(0, MAX_KEPT_REPLY_CHARS) };
    } catch (error) {
      // No HTTP reply at all (refused, reset, timed out): status 0, like a browser's failed fetch, with
      // the reason named (undici says only "fetch failed" and keeps the reason in its cause).
      const failure = describeFetchFailure(error, plan.timeoutMs);
      reply = { status: 0, body: failure.message, error: failure.code };
    }
    opts.log.add({
      at,
      direction: 'out',
      platform: plan.platform,
      method: 'POST',
      // The path only, as for requests in: a query string may carry credentials.
      path: new URL(plan.url).pathname,
      status: reply.status,
    });
    return reply;
  }

  async function run(plan: DeliveryPlan): Promise<DeliveryResult> {
    const responses: DeliveryResult['responses'] = [];
    let acknowledged = false;
    let last: SignedDelivery | undefined;
    for (let attempt = 0; attempt <= plan.schedule.length && !opts.closing.aborted; attempt++) {
      if (attempt > 0) {
        const wait = (plan.schedule[attempt - 1] ?? 0) * opts.timeScale;
        if (!(await abortableDelay(wait, opts.closing))) break;
      }
      last = plan.attempt();
      const reply = await post(plan, last);
      responses.push(reply);
      if (plan.isAck(reply.status, reply.body, reply.error)) {
        acknowledged = true;
        break;
      }
    }
    if (acknowledged && last) {
      for (let i = 0; i < (plan.duplicates ?? 0) && !opts.closing.aborted; i++) {
        responses.push(await post(plan, last));
      }
    }
    return { url: plan.url, attempts: responses.length, acknowledged, responses };
  }

  return {
    async deliver(plan) {
      if (opts.closing.aborted) throw new SimulatorError('CLOSED', 'The simulator is closed.');
      assertDuplicates(plan.duplicates);
      const running = run(plan);
      inFlight.add(running);
      const forget = () => inFlight.delete(running);
      running.then(forget, forget);
      return running;
    },
    async idle() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Throws unless `duplicates` is absent or an integer >= 0; call before changing any state. */
export function assertDuplicates(duplicates: unknown): void {
  if (duplicates !== undefined) nonNegativeInteger(duplicates, 'duplicates', SimulatorError);
}

/**
 * Douyin (ecpay and trade system) counts a callback as delivered only on HTTP 200 whose JSON body has
 * `err_no: 0` — the reply `{"err_no":0,"err_tips":"success"}` (docs/PROTOCOLS.md §1.3, §2). The JSON is
 * parsed, so key order and spacing do not matter; `err_tips` is not checked.
 */
export function isDouyinAck(status: number, body: string): boolean {
  if (status !== 200) return false;
  try {
    const reply: unknown = JSON.parse(body);
    return typeof reply === 'object' && reply !== null && (reply as { err_no?: unknown }).err_no === 0;
  } catch {
    return false;
  }
}

/** TikTok Shop: HTTP 200, any body (docs/PROTOCOLS.md §3). */
export function isTikTokAck(status: number): boolean {
  return status === 200;
}

/** AlgoVoi: undocumented (docs/PROTOCOLS.md §4); the simulator takes any 2xx, as most gateways do. */
export function isAlgoVoiAck(status: number): boolean {
  return status >= 200 && status < 300;
}
