import type { Claim, IdempotencyStore } from '@ttpay/core';
import { algoVoiWebhook, demoCredentials, ecpayCallback, tikTokWebhook, tradeCallback } from '@ttpay/testing';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import {
  algovoiWebhooks,
  type DeliveryError,
  douyinCallbacks,
  MemoryStore,
  tiktokWebhooks,
} from '../src/index.js';
import { captureLogger, DOUYIN_ACK, douyinFailure, post, sleep, webhookFailure } from './helpers.js';

const { douyin, tiktok, algovoi } = demoCredentials;

/** A store whose every method throws. */
const brokenStore: IdempotencyStore = {
  claim: () => {
    throw new Error('connection refused');
  },
  complete: () => {
    throw new Error('connection refused');
  },
  release: () => {
    throw new Error('connection refused');
  },
};

describe('a failing handler', () => {
  it('is answered 500 HANDLER_FAILED, released, reported to onError, and the redelivery is processed once', async () => {
    const logger = captureLogger();
    const errors: DeliveryError[] = [];
    let attempts = 0;
    let processed = 0;
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        logger,
        onError: (error) => {
          errors.push(error);
        },
        onPayment: () => {
          attempts++;
          if (attempts === 1) throw new Error('database down');
          processed++;
        },
      }),
    );
    const d = ecpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(500, douyinFailure(500, 'HANDLER_FAILED'));
    expect(errors.map((e) => e.code)).toEqual(['HANDLER_FAILED']);
    expect(errors[0]?.cause).toEqual(new Error('database down'));
    expect(logger.records.some((r) => r.level === 'error' && r.obj.code === 'HANDLER_FAILED')).toBe(true);

    await post(app, '/', d).expect(200, DOUYIN_ACK);
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    expect(attempts).toBe(2);
    expect(processed).toBe(1);
  });

  it('TikTok: 500 {"error":"HANDLER_FAILED"}; a rejected promise counts as a throw', async () => {
    const app = new Koa().use(
      tiktokWebhooks({
        appKey: tiktok.appKey,
        appSecret: tiktok.appSecret,
        logger: captureLogger(),
        onEvent: async () => {
          await sleep(1);
          throw new Error('nope');
        },
      }),
    );
    await post(app, '/', tikTokWebhook()).expect(500, webhookFailure('HANDLER_FAILED'));
  });
});

describe('the idempotency store failing', () => {
  it('claim() throwing → 503 STORE_UNAVAILABLE, the handler never runs, nothing is acked (fail closed)', async () => {
    const logger = captureLogger();
    let ran = 0;
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        platformPublicKey: douyin.platformPublicKey,
        store: brokenStore,
        logger,
        onEvent: () => {
          ran++;
        },
      }),
    );
    await post(app, '/', ecpayCallback({ type: 'payment' })).expect(
      503,
      douyinFailure(503, 'STORE_UNAVAILABLE'),
    );
    await post(app, '/', tradeCallback({ type: 'refund' })).expect(
      503,
      douyinFailure(503, 'STORE_UNAVAILABLE'),
    );
    expect(ran).toBe(0);
    expect(
      logger.records.filter((r) => r.level === 'error' && r.obj.code === 'STORE_UNAVAILABLE'),
    ).toHaveLength(2);
  });

  it('an async claim() rejecting → 503 for AlgoVoi too', async () => {
    const app = new Koa().use(
      algovoiWebhooks({
        secret: algovoi.webhookSecret,
        store: { ...brokenStore, claim: async () => Promise.reject(new Error('timeout')) },
        logger: captureLogger(),
        onEvent: () => {
          throw new Error('must not run');
        },
      }),
    );
    await post(app, '/', algoVoiWebhook()).expect(503, webhookFailure('STORE_UNAVAILABLE'));
  });

  it('a store answering something else than a Claim → 503, handler not run (old string answers included)', async () => {
    const answers: unknown[] = [
      'yes',
      'claimed', // a store written for the old, unfenced contract
      { status: 'claimed' }, // no lease
      { status: 'claimed', lease: { key: 'another-key', token: 't' } }, // a lease for another key
      { status: 'claimed', lease: { token: '' } },
      { status: 'maybe' },
      null,
    ];
    for (const answer of answers) {
      let ran = 0;
      const logger = captureLogger();
      const app = new Koa().use(
        douyinCallbacks({
          token: douyin.token,
          store: { ...brokenStore, claim: () => answer as Claim },
          logger,
          onEvent: () => {
            ran++;
          },
        }),
      );
      await post(app, '/', ecpayCallback({ type: 'payment' })).expect(
        503,
        douyinFailure(503, 'STORE_UNAVAILABLE'),
      );
      expect(ran).toBe(0);
      expect(logger.records.find((r) => r.level === 'error')?.msg).toMatch(/answered claim\(\) with/);
    }
  });

  it('complete() failing after the handler succeeded still acks: the work is done (logged as an error)', async () => {
    const logger = captureLogger();
    const memory = new MemoryStore();
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        store: {
          claim: (key, ttl) => memory.claim(key, ttl),
          complete: () => Promise.reject(new Error('write failed')),
          release: (lease) => memory.release(lease),
        },
        logger,
        onPayment: () => {},
      }),
    );
    await post(app, '/', ecpayCallback({ type: 'payment' })).expect(200, DOUYIN_ACK);
    expect(logger.records.some((r) => r.level === 'error' && /mark the key done/.test(r.msg))).toBe(true);
  });
});

describe('an event nobody handles is not acknowledged', () => {
  it('Douyin: 501 UNHANDLED_EVENT, logged as warn, never claimed', async () => {
    const logger = captureLogger();
    const store = new MemoryStore();
    const app = new Koa().use(douyinCallbacks({ token: douyin.token, store, logger, onPayment: () => {} }));
    await post(app, '/', ecpayCallback({ type: 'refund' })).expect(
      501,
      douyinFailure(501, 'UNHANDLED_EVENT'),
    );
    expect(store.size).toBe(0);
    const warn = logger.records.find((r) => r.level === 'warn');
    expect(warn?.obj).toMatchObject({ platform: 'douyin', type: 'ecpay.refund', code: 'UNHANDLED_EVENT' });
  });

  it('TikTok: a name without a handler and no onEvent → 501 {"error":"UNHANDLED_EVENT"}', async () => {
    const app = new Koa().use(
      tiktokWebhooks({
        appKey: tiktok.appKey,
        appSecret: tiktok.appSecret,
        logger: captureLogger(),
        on: { ORDER_STATUS_CHANGE: () => {} },
      }),
    );
    await post(app, '/', tikTokWebhook({ type: 1 })).expect(200, '');
    await post(app, '/', tikTokWebhook({ type: 12 })).expect(501, webhookFailure('UNHANDLED_EVENT'));
  });
});

describe('a slow handler', () => {
  it('past handlerTimeoutMs → 503 HANDLER_TIMEOUT; it keeps its claim and the redelivery after it finished is acked', async () => {
    const logger = captureLogger();
    let finished = 0;
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        handlerTimeoutMs: 50,
        logger,
        onPayment: async () => {
          await sleep(200);
          finished++;
        },
      }),
    );
    const d = ecpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(503, douyinFailure(503, 'HANDLER_TIMEOUT'));
    expect(logger.records.some((r) => r.level === 'warn' && r.obj.code === 'HANDLER_TIMEOUT')).toBe(true);
    // Still running: a redelivery now is told to retry later.
    await post(app, '/', d).expect(503, douyinFailure(503, 'IN_FLIGHT'));
    await sleep(250);
    expect(finished).toBe(1);
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    expect(finished).toBe(1);
  });

  it('that then fails is released, so the redelivery runs it again', async () => {
    const errors: string[] = [];
    let attempts = 0;
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        handlerTimeoutMs: 20,
        logger: captureLogger(),
        onError: (error) => {
          errors.push(error.code);
        },
        onPayment: async () => {
          attempts++;
          if (attempts === 1) {
            await sleep(60);
            throw new Error('late failure');
          }
        },
      }),
    );
    const d = ecpayCallback({ type: 'payment' });
    await post(app, '/', d).expect(503, douyinFailure(503, 'HANDLER_TIMEOUT'));
    await sleep(100);
    expect(errors).toEqual(['HANDLER_FAILED']);
    await post(app, '/', d).expect(200, DOUYIN_ACK);
    expect(attempts).toBe(2);
  });
});

describe('a handler that outlives its claim (claimTtlMs)', () => {
  it('is acked when it finishes, with a warning that a redelivery could have run it too', async () => {
    const logger = captureLogger();
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        claimTtlMs: 20,
        logger,
        onPayment: () => sleep(40),
      }),
    );
    await post(app, '/', ecpayCallback({ type: 'payment' })).expect(200, DOUYIN_ACK);
    expect(logger.records.find((r) => r.level === 'warn')?.msg).toMatch(/outlived its claim/);
  });
});

describe('configuration problems are 500s, loud in the log', () => {
  it('a trade-system callback to an endpoint configured for ecpay only → 500 NOT_CONFIGURED', async () => {
    const logger = captureLogger();
    const app = new Koa().use(douyinCallbacks({ token: douyin.token, logger, onEvent: () => {} }));
    await post(app, '/', tradeCallback({ type: 'payment' })).expect(
      500,
      douyinFailure(500, 'NOT_CONFIGURED'),
    );
    expect(logger.records.find((r) => r.level === 'error')?.msg).toMatch(/no platformPublicKey/);
  });

  it('an ecpay callback to an endpoint configured for the trade system only → 500 NOT_CONFIGURED', async () => {
    const app = new Koa().use(
      douyinCallbacks({
        platformPublicKey: douyin.platformPublicKey,
        logger: captureLogger(),
        onEvent: () => {},
      }),
    );
    await post(app, '/', ecpayCallback({ type: 'payment' })).expect(
      500,
      douyinFailure(500, 'NOT_CONFIGURED'),
    );
  });

  it('onVerified throwing vetoes the ack → 500 HOOK_FAILED, handler not run', async () => {
    let ran = 0;
    const app = new Koa().use(
      douyinCallbacks({
        token: douyin.token,
        logger: captureLogger(),
        onVerified: () => {
          throw new Error('could not persist the raw delivery');
        },
        onEvent: () => {
          ran++;
        },
      }),
    );
    await post(app, '/', ecpayCallback({ type: 'payment' })).expect(500, douyinFailure(500, 'HOOK_FAILED'));
    expect(ran).toBe(0);
  });

  it('refuses to start without credentials or handlers', () => {
    expect(() => douyinCallbacks({ onEvent: () => {} })).toThrow(/token.*platformPublicKey/);
    expect(() => douyinCallbacks({ token: '', onEvent: () => {} })).toThrow(/token/);
    expect(() => douyinCallbacks({ token: douyin.token })).toThrow(/at least one handler/);
    expect(() => douyinCallbacks({ platformPublicKey: 'not a key', onEvent: () => {} })).toThrow(
      /could not be parsed/,
    );
    expect(() => tiktokWebhooks({ appKey: '', appSecret: 's', onEvent: () => {} })).toThrow(/appKey/);
    expect(() => tiktokWebhooks({ appKey: 'k', appSecret: [], onEvent: () => {} })).toThrow(/appSecret/);
    expect(() => tiktokWebhooks({ appKey: 'k', appSecret: 's', on: {} })).toThrow(/at least one handler/);
    expect(() => algovoiWebhooks({ secret: '', onEvent: () => {} })).toThrow(/secret/);
    expect(() => douyinCallbacks({ token: 't', limit: 0, onEvent: () => {} })).toThrow(/limit/);
    expect(() => douyinCallbacks({ token: 't', toleranceSeconds: -1, onEvent: () => {} })).toThrow(
      /toleranceSeconds/,
    );
    expect(() => douyinCallbacks({ token: 't', path: 'notify', onEvent: () => {} })).toThrow(/path/);
  });
});
