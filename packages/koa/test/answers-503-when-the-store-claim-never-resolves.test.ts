// Regression: a store whose claim() never settled held the platform's request open forever — the
// deadline (handlerTimeoutMs) only started once the claim had answered.
import type { Claim, IdempotencyStore, Lease } from '@ttpay/core';
import { algoVoiWebhook, demoCredentials, ecpayCallback, tikTokWebhook } from '@ttpay/testing';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { algovoiWebhooks, douyinCallbacks, MemoryStore, tiktokWebhooks } from '../src/index.js';
import { captureLogger, douyinFailure, post, sleep, webhookFailure } from './helpers.js';

const { douyin, tiktok, algovoi } = demoCredentials;

/** Forwards to a MemoryStore, except that the claims it is told to hold never answer (or answer late). */
class StallingStore implements IdempotencyStore {
  readonly inner = new MemoryStore();
  stall: 'forever' | number | undefined = 'forever';
  releases: string[] = [];

  claim(key: string, ttlMs: number): Promise<Claim> | Claim {
    const stall = this.stall;
    if (stall === undefined) return this.inner.claim(key, ttlMs);
    if (stall === 'forever') return new Promise<Claim>(() => {});
    return sleep(stall).then(() => this.inner.claim(key, ttlMs));
  }
  complete(lease: Lease, ttlMs: number): void {
    this.inner.complete(lease, ttlMs);
  }
  release(lease: Lease): void {
    this.releases.push(lease.key);
    this.inner.release(lease);
  }
}

describe('a store whose claim() never resolves', () => {
  it('is answered 503 STORE_UNAVAILABLE at handlerTimeoutMs on every endpoint; the handler never runs', async () => {
    const store = new StallingStore();
    const logger = captureLogger();
    let handled = 0;
    const onEvent = () => {
      handled++;
    };
    const common = { store, logger, handlerTimeoutMs: 50 };
    const app = new Koa()
      .use(douyinCallbacks({ ...common, path: '/douyin', token: douyin.token, onEvent }))
      .use(tiktokWebhooks({ ...common, path: '/tiktok', ...tiktok, onEvent }))
      .use(algovoiWebhooks({ ...common, path: '/algovoi', secret: algovoi.webhookSecret, onEvent }));

    const started = Date.now();
    await Promise.all([
      post(app, '/douyin', ecpayCallback({ type: 'payment' })).expect(
        503,
        douyinFailure(503, 'STORE_UNAVAILABLE'),
      ),
      post(app, '/tiktok', tikTokWebhook()).expect(503, webhookFailure('STORE_UNAVAILABLE')),
      post(app, '/algovoi', algoVoiWebhook()).expect(503, webhookFailure('STORE_UNAVAILABLE')),
    ]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(handled).toBe(0);
    const errors = logger.records.filter((r) => r.level === 'error');
    expect(errors).toHaveLength(3);
    expect(errors.every((r) => r.obj.code === 'STORE_UNAVAILABLE' && /claim\(\) in time/.test(r.msg))).toBe(
      true,
    );
  });

  it('a claim that lands after the reply is released, so the redelivery is handled at once', async () => {
    const store = new StallingStore();
    store.stall = 80;
    let handled = 0;
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        store,
        logger: captureLogger(),
        handlerTimeoutMs: 20,
        onPayment: () => {
          handled++;
        },
      }),
    );
    const d = ecpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(503, douyinFailure(503, 'STORE_UNAVAILABLE'));
    await sleep(120); // the late claim has landed and been handed back
    expect(store.releases).toHaveLength(1);
    store.stall = undefined;
    await post(app, '/', d).expect(200, '{"err_no":0,"err_tips":"success"}');
    expect(handled).toBe(1);
  });
});
