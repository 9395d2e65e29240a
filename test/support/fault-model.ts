import { AsyncLocalStorage } from 'node:async_hooks';
import { type TtpayEvent, verifyAlgoVoiWebhook, verifyEcpayCallback, verifyTikTokWebhook } from '@ttpay/core';
import { silentLogger } from '@ttpay/core/internal';
import type { Claim, IdempotencyStore, Lease } from '@ttpay/core/store';
import { algoVoiWebhooks, douyinCallbacks, tikTokWebhooks } from '@ttpay/koa';
import {
  demoCredentials,
  type SignedDelivery,
  signedAlgoVoiWebhook,
  signedEcpayCallback,
  signedTikTokWebhook,
  signedTradeCallback,
} from '@ttpay/testing';
import fc from 'fast-check';
import Koa from 'koa';
import request from 'supertest';
import { expect } from 'vitest';

/**
 * A model of an unreliable world for the delivery pipeline: random schedules of deliveries (with
 * duplicates, some concurrent) and injected faults, checked against the promise "no event lost, none
 * processed twice": every acknowledged event's handler has completed exactly once, no handler ever
 * completes twice, and — once the faults stop and leases run out — every event gets acknowledged.
 * Shared by the MemoryStore model (packages/koa/test) and the Redis one (test/security).
 */

export const FAULTS = [
  'handler-throws',
  'handler-slow', // still running at the deadline, finishes later
  'claim-throws',
  'claim-hangs', // never answers
  'claim-late', // answers after the deadline
  'complete-throws',
  'complete-hangs',
  'release-throws',
  'verified-hook-throws',
] as const;
export type Fault = (typeof FAULTS)[number];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Timing of a model: the middleware's deadline, and how late the slow handlers and claims are. */
export interface ModelTiming {
  handlerTimeoutMs: number;
  lateMs: number;
}
/** In-process stores answer in microseconds: a tight deadline keeps the runs fast. */
export const FAST_TIMING: ModelTiming = { handlerTimeoutMs: 15, lateMs: 35 };

/** The faults of the delivery being served (a request header carries them in). */
const faultsOf = new AsyncLocalStorage<ReadonlySet<Fault>>();
const has = (fault: Fault): boolean => faultsOf.getStore()?.has(fault) === true;

/** Wraps a store; each call fails as the fault of the delivery it serves says. */
export class FaultyStore implements IdempotencyStore {
  constructor(
    readonly inner: IdempotencyStore,
    readonly timing: ModelTiming = FAST_TIMING,
  ) {}

  claim(key: string, ttlMs: number): Promise<Claim> | Claim {
    if (has('claim-throws')) throw new Error('injected: claim failed');
    if (has('claim-hangs')) return new Promise<Claim>(() => {});
    if (has('claim-late')) return sleep(this.timing.lateMs).then(() => this.inner.claim(key, ttlMs));
    return this.inner.claim(key, ttlMs);
  }
  complete(lease: Lease, ttlMs: number): Promise<void> | void {
    if (has('complete-throws')) throw new Error('injected: complete failed');
    if (has('complete-hangs')) return new Promise<void>(() => {});
    return this.inner.complete(lease, ttlMs);
  }
  release(lease: Lease): Promise<void> | void {
    if (has('release-throws')) throw new Error('injected: release failed');
    return this.inner.release(lease);
  }
}

/** One app instance: the three middlewares on one faulty store, counting handler completions. */
export function faultyApp(
  store: IdempotencyStore,
  completions: Map<string, number>,
  options: { claimTtlMs?: number } = {},
  timing: ModelTiming = FAST_TIMING,
): Koa {
  const handler = async (event: TtpayEvent): Promise<void> => {
    if (has('handler-slow')) await sleep(timing.lateMs);
    if (has('handler-throws')) throw new Error('injected: handler failed');
    completions.set(event.key, (completions.get(event.key) ?? 0) + 1);
  };
  const common = {
    ...options,
    store,
    logger: silentLogger,
    handlerTimeoutMs: timing.handlerTimeoutMs,
    onVerified: () => {
      if (has('verified-hook-throws')) throw new Error('injected: onVerified failed');
    },
  };
  const app = new Koa();
  app.silent = true;
  app.use((ctx, next) => faultsOf.run(new Set(ctx.get('x-fault').split(',') as Fault[]), next));
  app.use(
    douyinCallbacks({
      ...common,
      path: '/douyin',
      token: demoCredentials.douyin.token,
      platformPublicKey: demoCredentials.douyin.platformPublicKey,
      onEvent: handler,
    }),
  );
  app.use(tikTokWebhooks({ ...common, path: '/tiktok', ...demoCredentials.tiktok, onEvent: handler }));
  app.use(
    algoVoiWebhooks({
      ...common,
      path: '/algovoi',
      secret: demoCredentials.algovoi.webhookSecret,
      onEvent: handler,
    }),
  );
  return app;
}

/** The events of one run: each a way to build a delivery of it (the same event every time) and its key. */
export interface ModelEvent {
  path: string;
  key: string;
  make(): SignedDelivery;
}

export function modelEvents(): ModelEvent[] {
  const { douyin, tiktok, algovoi } = demoCredentials;
  const ecpayPay = signedEcpayCallback({ type: 'payment' });
  const ecpayRefund = signedEcpayCallback({ type: 'refund' });
  const tradeMsg = { out_order_no: `o_${Math.random().toString(36).slice(2)}`, status: 'SUCCESS' };
  const tt = signedTikTokWebhook();
  const av = signedAlgoVoiWebhook();
  return [
    {
      path: '/douyin',
      key: verifyEcpayCallback({ rawBody: ecpayPay.body }, { token: douyin.token }).key,
      make: () => ecpayPay,
    },
    {
      path: '/douyin',
      key: verifyEcpayCallback({ rawBody: ecpayRefund.body }, { token: douyin.token }).key,
      make: () => ecpayRefund,
    },
    // A trade retry is re-signed with a fresh Byte-Timestamp: other bytes, the same event.
    {
      path: '/douyin',
      key: `douyin:trade:payment:${tradeMsg.out_order_no}:SUCCESS`,
      make: () => signedTradeCallback({ type: 'payment', msg: tradeMsg }),
    },
    {
      path: '/tiktok',
      key: verifyTikTokWebhook(
        { rawBody: tt.body, headers: { authorization: tt.headers.authorization } },
        tiktok,
      ).key,
      make: () => tt,
    },
    {
      path: '/algovoi',
      key: verifyAlgoVoiWebhook({ rawBody: av.body, headers: av.headers }, { secret: algovoi.webhookSecret })
        .key,
      make: () => av,
    },
  ];
}

export interface Step {
  event: number;
  faults: Fault[];
  /** Which app instance receives it (the Redis model runs two). */
  instance: number;
}

/** Batches of deliveries; the deliveries of a batch arrive at the same time. */
export function schedule(faults: readonly Fault[], instances = 1): fc.Arbitrary<Step[][]> {
  const step = fc.record({
    event: fc.nat({ max: 4 }),
    // Up to two faults at once (a handler that throws AND a release that fails, …). Not a complete()
    // failure after a handler that outlived the deadline: the reply has gone out as retry-later and
    // the store cannot record the work, so a redelivery after claimTtlMs runs it again — the limit
    // SECURITY.md documents (make such handlers idempotent in your own transaction).
    faults: fc
      .subarray([...faults], { maxLength: 2 })
      .filter(
        (f) =>
          !(f.includes('handler-slow') && (f.includes('complete-throws') || f.includes('complete-hangs'))),
      ),
    instance: fc.nat({ max: instances - 1 }),
  });
  return fc.array(fc.array(step, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });
}

export interface ModelRun {
  apps: Koa[];
  timing: ModelTiming;
  events: ModelEvent[];
  completions: Map<string, number>;
  /** Lets leases run out (MemoryStore: advance its clock; Redis: wait). */
  expireLeases(): Promise<void>;
}

/** Runs a schedule and checks the invariants; returns how many deliveries were acknowledged. */
export async function runModel(
  run: ModelRun,
  batches: Step[][],
): Promise<{ deliveries: number; acks: number }> {
  const { apps, events, completions } = run;
  const acked = new Set<string>();
  let deliveries = 0;
  let acks = 0;
  const deliver = async (event: ModelEvent, faults: readonly Fault[], instance: number): Promise<boolean> => {
    const d = event.make();
    const app = apps[instance % apps.length] as Koa;
    deliveries++;
    const res = await request(app.callback())
      .post(event.path)
      .set({ ...d.headers, 'x-fault': faults.join(',') })
      .timeout(2_000) // a request held forever fails the property instead of hanging the test
      .serialize((b) => b)
      .send(d.body);
    if (res.status !== 200) return false;
    acks++;
    // The invariant, at the moment of every acknowledgement.
    expect(completions.get(event.key), `${event.key} acknowledged (faults ${faults})`).toBe(1);
    acked.add(event.key);
    return true;
  };

  for (const batch of batches) {
    await Promise.all(batch.map((s) => deliver(events[s.event] as ModelEvent, s.faults, s.instance)));
  }
  await sleep(run.timing.lateMs * 2); // slow handlers finish, late claims land
  for (const [key, n] of completions) expect(n, `${key} completed`).toBeLessThanOrEqual(1);

  // The faults stop and leases run out; the platform keeps retrying what it has no ack for.
  await run.expireLeases();
  for (const event of events) {
    for (let attempt = 0; attempt < 5 && !acked.has(event.key); attempt++) {
      if (!(await deliver(event, [], attempt))) await sleep(run.timing.handlerTimeoutMs);
    }
    expect(acked.has(event.key), `${event.key} eventually acknowledged`).toBe(true);
  }
  for (const event of events) expect(completions.get(event.key), `${event.key} completed`).toBe(1);
  return { deliveries, acks };
}
