// With an AtomicIdempotencyStore (processOnce: claim, handler and done-record in one transaction) the
// engine takes the leaseless path. A small in-memory fake stands in for PostgresStore here: a held key is
// in flight, a committed one done, a transaction that throws records nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Delivery,
  type DeliveryEndpoint,
  type DeliveryOutcome,
  douyinEndpoint,
  douyinReply,
  MemoryStore,
  type Reply,
} from '../src/delivery/index.js';
import type { AtomicIdempotencyStore, AtomicRun } from '../src/store.js';
import { captureLogger } from './support/capture-logger.js';
import { ecpayDelivery, type TestRequest, TOKEN } from './support/signed-deliveries.js';

const ACK = '{"err_no":0,"err_tips":"success"}';
const failure = (status: number, code: string) => JSON.stringify({ err_no: status, err_tips: code });
const KEY = 'douyin:ecpay:payment:order_1:SUCCESS';

interface FakeTx {
  readonly writes: string[];
}

/** processOnce in memory; `claimDelay` and `commitDelay` hold a transaction open where a test says. */
class FakeAtomicStore implements AtomicIdempotencyStore<FakeTx> {
  readonly done = new Set<string>();
  readonly held = new Set<string>();
  readonly committed: string[] = [];
  claimDelay: Promise<void> | undefined;
  commitDelay: Promise<void> | undefined;
  /** The lease path is never used with this store: the engine must prefer processOnce. */
  readonly #unused = new MemoryStore();

  async processOnce<R>(
    key: string,
    _ttlMs: number,
    work: (tx: FakeTx) => Promise<R>,
    onClaimed?: () => void,
  ): Promise<AtomicRun<R>> {
    await this.claimDelay;
    if (this.done.has(key)) return { status: 'done' };
    if (this.held.has(key)) return { status: 'in-flight' };
    this.held.add(key);
    onClaimed?.();
    try {
      const tx: FakeTx = { writes: [] };
      const result = await work(tx);
      await this.commitDelay;
      this.done.add(key);
      this.committed.push(...tx.writes);
      return { status: 'processed', result };
    } finally {
      this.held.delete(key);
    }
  }

  claim(): never {
    throw new Error('the lease path was taken');
  }
  complete(): never {
    throw new Error('the lease path was taken');
  }
  release(): void {
    this.#unused.size;
  }
}

function receive(
  endpoint: DeliveryEndpoint<TestRequest>,
  delivery: Delivery<TestRequest>,
): Promise<{ reply: Reply; outcome: DeliveryOutcome }> {
  return endpoint.receive(delivery, (reply, outcome) => ({ reply, outcome }));
}

function setUp(onPayment: (tx: FakeTx) => unknown = (tx) => void tx.writes.push('paid')) {
  const store = new FakeAtomicStore();
  const logger = captureLogger();
  let runs = 0;
  const endpoint = douyinEndpoint<FakeTx, TestRequest>({
    token: TOKEN,
    store,
    logger,
    handlerTimeoutMs: 1000,
    onPayment: (_event, context) => {
      runs++;
      return onPayment(context.tx);
    },
  });
  return { store, logger, endpoint, runs: () => runs };
}

describe('the atomic store path', () => {
  it('runs the handler inside the transaction (tx), commits its writes with the done-record, then acknowledges', async () => {
    const { store, endpoint } = setUp();
    const { reply, outcome } = await receive(endpoint, ecpayDelivery());
    expect(reply.body).toBe(ACK);
    expect(outcome.kind).toBe('handled');
    expect(store.committed).toEqual(['paid']);
    expect(store.done.has(KEY)).toBe(true);
  });

  it('done: a duplicate of a committed delivery is acknowledged without the handler', async () => {
    const { store, endpoint, runs } = setUp();
    await receive(endpoint, ecpayDelivery());
    const { reply, outcome } = await receive(endpoint, ecpayDelivery());
    expect([reply.body, outcome.kind, runs(), store.committed]).toEqual([ACK, 'duplicate', 1, ['paid']]);
  });

  it('in flight: a duplicate while another transaction holds the key is answered retry-later at once', async () => {
    let finish!: () => void;
    const { endpoint, runs } = setUp(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const first = receive(endpoint, ecpayDelivery());
    await vi.waitFor(() => expect(runs()).toBe(1));
    const second = await receive(endpoint, ecpayDelivery());
    expect(second.reply.body).toBe(failure(503, 'IN_FLIGHT'));
    expect(second.outcome).toMatchObject({ kind: 'duplicate', state: 'in-flight' });
    finish();
    expect((await first).reply.body).toBe(ACK);
  });

  it('the handler throws: 500 HANDLER_FAILED, rolled back (nothing recorded), the redelivery runs it again', async () => {
    let calls = 0;
    const { store, endpoint } = setUp((tx) => {
      tx.writes.push(`attempt ${++calls}`);
      if (calls === 1) throw new Error('constraint violated');
    });
    const first = await receive(endpoint, ecpayDelivery());
    expect(first.reply.body).toBe(failure(500, 'HANDLER_FAILED'));
    expect(first.outcome).toMatchObject({
      kind: 'failed',
      error: { cause: new Error('constraint violated') },
    });
    expect([store.committed, store.done.has(KEY)]).toEqual([[], false]);
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
    expect(store.committed).toEqual(['attempt 2']);
  });

  it('the store fails: 503 STORE_FAILED, nothing to release', async () => {
    const { store, endpoint } = setUp();
    store.processOnce = async () => {
      throw new Error('connection reset');
    };
    const { reply } = await receive(endpoint, ecpayDelivery());
    expect(reply.body).toBe(failure(503, 'STORE_FAILED'));
  });

  it('hands the handler’s reply data to the acknowledgement', async () => {
    const { endpoint } = setUp(() => douyinReply({ out_refund_no: 'r_9' }));
    const { reply } = await receive(endpoint, ecpayDelivery());
    expect(JSON.parse(reply.body)).toEqual({
      err_no: 0,
      err_tips: 'success',
      data: { out_refund_no: 'r_9' },
    });
  });
});

describe('the atomic store path against the deadline (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('deadline before the claim: 503 STORE_UNAVAILABLE; the claim that lands later does not run the handler', async () => {
    const { store, endpoint, runs } = setUp();
    let claimNow!: () => void;
    store.claimDelay = new Promise((resolve) => {
      claimNow = resolve;
    });
    const pending = receive(endpoint, ecpayDelivery());
    await vi.advanceTimersByTimeAsync(1000);
    const { reply, outcome } = await pending;
    expect(reply.body).toBe(failure(503, 'STORE_UNAVAILABLE'));
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'STORE_UNAVAILABLE' } });
    claimNow();
    await vi.advanceTimersByTimeAsync(0);
    // Rolled back: nothing ran, nothing recorded, the key is free for the redelivery.
    expect([runs(), store.committed, store.done.has(KEY), store.held.has(KEY)]).toEqual([
      0,
      [],
      false,
      false,
    ]);
    store.claimDelay = undefined;
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
  });

  it('deadline after the claim: 503 HANDLER_TIMEOUT (never acknowledged before commit); the late commit is logged, then done', async () => {
    const { store, endpoint, logger } = setUp();
    let commitNow!: () => void;
    store.commitDelay = new Promise((resolve) => {
      commitNow = resolve;
    });
    const pending = receive(endpoint, ecpayDelivery());
    await vi.advanceTimersByTimeAsync(1000);
    const { reply, outcome } = await pending;
    expect(reply.body).toBe(failure(503, 'HANDLER_TIMEOUT'));
    expect(outcome.kind).toBe('running');
    expect(store.committed).toEqual([]);
    commitNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.committed).toEqual(['paid']);
    expect(logger.records.map((r) => r.msg)).toContain('ttpay: delivery handled');
    store.commitDelay = undefined;
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
  });

  it('a slow handler keeps its key past the deadline: a redelivery meanwhile is IN_FLIGHT and never runs it twice', async () => {
    let finish!: () => void;
    const { store, endpoint, runs } = setUp(
      (tx) =>
        new Promise<void>((resolve) => {
          finish = () => {
            tx.writes.push('paid');
            resolve();
          };
        }),
    );
    const pending = receive(endpoint, ecpayDelivery());
    await vi.advanceTimersByTimeAsync(1000);
    expect((await pending).reply.body).toBe(failure(503, 'HANDLER_TIMEOUT'));
    const meanwhile = await receive(endpoint, ecpayDelivery());
    expect(meanwhile.reply.body).toBe(failure(503, 'IN_FLIGHT'));
    expect(meanwhile.outcome).toMatchObject({ kind: 'duplicate', state: 'in-flight' });
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
    expect([runs(), store.committed]).toEqual([1, ['paid']]);
  });

  it('a handler that throws after the deadline: rolled back, logged and told to onError (HANDLER_FAILED); the redelivery runs it', async () => {
    const store = new FakeAtomicStore();
    const logger = captureLogger();
    const errors: string[] = [];
    let calls = 0;
    let fail!: () => void;
    const endpoint = douyinEndpoint<FakeTx, TestRequest>({
      token: TOKEN,
      store,
      logger,
      handlerTimeoutMs: 1000,
      onError: (error) => void errors.push(error.code),
      onPayment: (_event, context) => {
        calls++;
        context.tx.writes.push(`attempt ${calls}`);
        if (calls > 1) return;
        return new Promise<void>((_resolve, reject) => {
          fail = () => reject(new Error('constraint violated'));
        });
      },
    });
    const pending = receive(endpoint, ecpayDelivery());
    await vi.advanceTimersByTimeAsync(1000);
    expect((await pending).reply.body).toBe(failure(503, 'HANDLER_TIMEOUT'));
    expect(errors).toEqual([]);
    fail();
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual(['HANDLER_FAILED']);
    expect(logger.records.find((r) => r.level === 'error')?.obj).toMatchObject({ code: 'HANDLER_FAILED' });
    expect([store.committed, store.held.has(KEY)]).toEqual([[], false]);
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
    expect(store.committed).toEqual(['attempt 2']);
  });
});
