// A store with no connection free (PostgresStore's pool full) says STORE_BUSY: the engine answers 503
// STORE_BUSY — its own code, not "unavailable" and not "failed" — on both store paths and every platform,
// and logs a burst of them as one line per 10 s with the count of the ones held back (fake timers).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Delivery,
  type DeliveryEndpoint,
  type DeliveryOutcome,
  douyinEndpoint,
  type Reply,
  tikTokEndpoint,
} from '../src/delivery/index.js';
import { TtpayError } from '../src/index.js';
import type { AtomicIdempotencyStore, AtomicRun, Claim, IdempotencyStore } from '../src/store.js';
import { captureLogger } from './support/capture-logger.js';
import {
  ecpayDelivery,
  type TestRequest,
  TIKTOK,
  TOKEN,
  tikTokDelivery,
} from './support/signed-deliveries.js';

const BUSY_BODY = JSON.stringify({ err_no: 503, err_tips: 'STORE_BUSY' });
const ACK = '{"err_no":0,"err_tips":"success"}';

function receive(
  endpoint: DeliveryEndpoint<TestRequest>,
  delivery: Delivery<TestRequest>,
): Promise<{ reply: Reply; outcome: DeliveryOutcome }> {
  return endpoint.receive(delivery, (reply, outcome) => ({ reply, outcome }));
}

const busyError = () => new TtpayError('STORE_BUSY', 'every connection of the pool is in use (max 2)');

/** A lease-path store whose claims throw what `fail` returns while it returns something. */
function leaseStore(fail: () => unknown): IdempotencyStore & { claims: number } {
  const store = {
    claims: 0,
    claim(): Claim {
      store.claims++;
      const thrown = fail();
      if (thrown !== undefined) throw thrown;
      return { status: 'claimed', lease: { key: 'douyin:ecpay:payment:order_1:SUCCESS', token: 't' } };
    },
    complete() {},
    release() {},
  };
  return store;
}

/** An atomic store whose processOnce throws before it holds the key while `fail` returns something. */
function atomicStore(fail: () => unknown): AtomicIdempotencyStore<undefined> {
  return {
    async processOnce<R>(
      _key: string,
      _ttlMs: number,
      work: (tx: undefined) => Promise<R>,
      onClaimed?: () => void,
    ): Promise<AtomicRun<R>> {
      const thrown = fail();
      if (thrown !== undefined) throw thrown;
      onClaimed?.();
      return { status: 'processed', result: await work(undefined) };
    },
    claim: () => {
      throw new Error('the lease path was taken');
    },
    complete: () => {},
    release: () => {},
  };
}

function douyin(store: IdempotencyStore) {
  const logger = captureLogger();
  const errors: string[] = [];
  let runs = 0;
  const endpoint = douyinEndpoint<undefined, TestRequest>({
    token: TOKEN,
    store,
    logger,
    onPayment: () => void runs++,
    onError: (error) => void errors.push(error.code),
  });
  return { endpoint, logger, errors, runs: () => runs };
}

describe('STORE_BUSY is its own answer', () => {
  it.each([
    ['the lease path (claim throws it)', () => leaseStore(busyError)],
    ['the atomic path (processOnce throws it before the claim)', () => atomicStore(busyError)],
  ])('%s: 503 STORE_BUSY, the handler never runs, onError gets STORE_BUSY', async (_path, makeStore) => {
    const { endpoint, errors, runs } = douyin(makeStore());
    const { reply, outcome } = await receive(endpoint, ecpayDelivery());
    expect(reply).toMatchObject({ status: 503, body: BUSY_BODY });
    expect(outcome).toMatchObject({
      kind: 'failed',
      error: { code: 'STORE_BUSY', message: 'The idempotency store had no connection free to claim.' },
    });
    expect([runs(), errors]).toEqual([0, ['STORE_BUSY']]);
  });

  it('a transactional commit that finds no connection: 503 STORE_BUSY (the handler ran; nothing committed)', async () => {
    let completes = 0;
    const store = {
      ...leaseStore(() => undefined),
      async completeWithin<R>(_lease: unknown, _ttl: number, work: (tx: undefined) => Promise<R>) {
        completes++;
        await work(undefined);
        throw busyError();
      },
    };
    const { endpoint, errors, runs } = douyin(store);
    const { reply } = await receive(endpoint, ecpayDelivery());
    expect([reply.body, completes, runs(), errors]).toEqual([BUSY_BODY, 1, 1, ['STORE_BUSY']]);
  });

  it('TikTok Shop gets 503 {"error":"STORE_BUSY"}', async () => {
    const endpoint = tikTokEndpoint<undefined, TestRequest>({
      ...TIKTOK,
      store: leaseStore(busyError),
      logger: captureLogger(),
      onEvent: () => {},
    });
    const { reply } = await receive(endpoint, tikTokDelivery());
    expect(reply).toMatchObject({ status: 503, body: '{"error":"STORE_BUSY"}' });
  });

  it('only a TtpayError says STORE_BUSY: any other object with that code is STORE_FAILED', async () => {
    const lookalike = Object.assign(new Error('pool full'), { code: 'STORE_BUSY' });
    const { endpoint } = douyin(leaseStore(() => lookalike));
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(
      JSON.stringify({ err_no: 503, err_tips: 'STORE_FAILED' }),
    );
  });

  it('once a connection is free, the redelivery is handled', async () => {
    let full = true;
    const { endpoint, runs } = douyin(atomicStore(() => (full ? busyError() : undefined)));
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(BUSY_BODY);
    full = false;
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
    expect(runs()).toBe(1);
  });
});

describe('a burst of STORE_BUSY is logged once per 10 s, with a count (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('30 refusals: one warning naming the remedy; 10 s later the next one carries suppressed: 29', async () => {
    const { endpoint, logger, errors } = douyin(atomicStore(busyError));
    const busyLines = () => logger.records.filter((r) => r.obj.code === 'STORE_BUSY');
    for (let i = 0; i < 30; i++) {
      expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(BUSY_BODY);
      await vi.advanceTimersByTimeAsync(100); // 3 s in all: inside one interval
    }
    expect(busyLines()).toHaveLength(1);
    expect(busyLines()[0]).toMatchObject({ level: 'warn', obj: { suppressed: 0 } });
    expect(busyLines()[0]?.msg).toMatch(/size its pool above the deliveries handled at once/);
    expect(logger.records.filter((r) => r.level === 'error')).toEqual([]);
    // Every refusal still reaches the hooks: only the log is bounded.
    expect(errors).toHaveLength(30);

    await vi.advanceTimersByTimeAsync(7_000); // 10 s after the first line
    await receive(endpoint, ecpayDelivery());
    expect(busyLines()).toHaveLength(2);
    expect(busyLines()[1]?.obj).toMatchObject({ suppressed: 29 });
    await receive(endpoint, ecpayDelivery());
    expect(busyLines()).toHaveLength(2);
  });

  it('other store failures are not held back: each STORE_UNAVAILABLE is its own error line', async () => {
    const unavailable = () => new TtpayError('STORE_UNAVAILABLE', 'connection terminated');
    const { endpoint, logger } = douyin(atomicStore(unavailable));
    for (let i = 0; i < 3; i++) await receive(endpoint, ecpayDelivery());
    expect(
      logger.records.filter((r) => r.level === 'error' && r.obj.code === 'STORE_UNAVAILABLE'),
    ).toHaveLength(3);
  });
});
