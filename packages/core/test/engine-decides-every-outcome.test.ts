// The delivery engine on its own: no HTTP, no framework, fake timers where time matters, an in-memory
// store. Each case asserts the reply, the outcome, what the handler saw, the store and the log.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Delivery,
  type DeliveryEndpoint,
  type DeliveryOutcome,
  type DouyinEndpointOptions,
  douyinEndpoint,
  douyinReply,
  type HandlerContext,
  MemoryStore,
  type RejectedContext,
  type Reply,
  tikTokEndpoint,
} from '../src/delivery/index.js';
import { TtpayError } from '../src/index.js';
import type { Claim, IdempotencyStore, Lease } from '../src/store.js';
import { captureLogger } from './support/capture-logger.js';
import {
  deliveryOf,
  ecpayDelivery,
  PLATFORM_PUBLIC_KEY,
  type TestRequest,
  TIKTOK,
  TOKEN,
  tikTokDelivery,
  tradeDelivery,
} from './support/signed-deliveries.js';

type Context = HandlerContext<undefined, TestRequest>;
type Options = DouyinEndpointOptions<Context, RejectedContext<TestRequest>>;

const ACK = '{"err_no":0,"err_tips":"success"}';
const failure = (status: number, code: string) => JSON.stringify({ err_no: status, err_tips: code });

function receive(
  endpoint: DeliveryEndpoint<TestRequest>,
  delivery: Delivery<TestRequest>,
): Promise<{ reply: Reply; outcome: DeliveryOutcome }> {
  return endpoint.receive(delivery, (reply, outcome) => ({ reply, outcome }));
}

function douyin(options: Partial<Options> = {}) {
  const logger = captureLogger();
  const store = options.store ?? new MemoryStore();
  const endpoint = douyinEndpoint<undefined, TestRequest>({
    token: TOKEN,
    platformPublicKey: PLATFORM_PUBLIC_KEY,
    logger,
    store,
    onEvent: () => {},
    ...options,
  });
  return { endpoint, logger, store };
}

/** A store that answers as told, counting what it was asked. */
function scriptedStore(claim: (key: string) => Claim | Promise<Claim>): IdempotencyStore & {
  completed: Lease[];
  released: Lease[];
} {
  const completed: Lease[] = [];
  const released: Lease[] = [];
  return {
    completed,
    released,
    claim,
    complete: (lease) => {
      completed.push(lease);
    },
    release: (lease) => {
      released.push(lease);
    },
  };
}

describe('handled', () => {
  it('acknowledges after the handler ran with the event, the exact bytes and the request; the key is done', async () => {
    const seen: { key: string; rawBody: string; tx: unknown; request: TestRequest }[] = [];
    const { endpoint, logger, store } = douyin({
      onPayment: (event, context) => {
        seen.push({
          key: event.key,
          rawBody: context.rawBody.toString(),
          tx: context.tx,
          request: context.request,
        });
      },
    });
    const delivery = ecpayDelivery();
    const { reply, outcome } = await receive(endpoint, delivery);

    expect(reply).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: ACK,
    });
    expect(outcome).toMatchObject({
      kind: 'handled',
      event: { key: 'douyin:ecpay:payment:order_1:SUCCESS' },
    });
    expect(seen).toEqual([
      {
        key: 'douyin:ecpay:payment:order_1:SUCCESS',
        rawBody: (delivery.body as Buffer).toString(),
        tx: undefined,
        request: delivery.request,
      },
    ]);
    expect((store as MemoryStore).claim('douyin:ecpay:payment:order_1:SUCCESS', 1000)).toEqual({
      status: 'done',
    });
    expect(logger.records.map((r) => [r.level, r.msg])).toEqual([['info', 'ttpay: delivery handled']]);
  });

  it('routes a trade-system body (it has `version`) to the trade verifier on the same endpoint', async () => {
    const systems: string[] = [];
    const { endpoint } = douyin({ onPayment: (event) => void systems.push(event.system) });
    await receive(endpoint, tradeDelivery());
    await receive(endpoint, ecpayDelivery());
    expect(systems).toEqual(['trade', 'ecpay']);
  });

  it('answers TikTok Shop with 200 and no body', async () => {
    const endpoint = tikTokEndpoint<undefined, TestRequest>({
      ...TIKTOK,
      logger: captureLogger(),
      on: { ORDER_STATUS_CHANGE: () => {} },
    });
    const { reply, outcome } = await receive(endpoint, tikTokDelivery());
    expect(reply).toEqual({ status: 200, headers: {}, body: '' });
    expect(outcome.kind).toBe('handled');
  });
});

describe('verify once, parse once', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('parses a TikTok body once, and a trade body once plus its msg (the verifiers reuse the parse)', async () => {
    const tiktok = tikTokEndpoint<undefined, TestRequest>({
      ...TIKTOK,
      logger: captureLogger(),
      onEvent: () => {},
    });
    const { endpoint: douyinOne } = douyin();
    const tt = tikTokDelivery();
    const trade = tradeDelivery();
    const parse = vi.spyOn(JSON, 'parse');
    await receive(tiktok, tt);
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockClear();
    await receive(douyinOne, trade);
    expect(parse.mock.calls.map(([text]) => typeof text === 'string' && text.startsWith('{"msg"'))).toEqual([
      true,
      false,
    ]);
  });

  it('hands the adapter the text and JSON it parsed, once, before the handler runs', async () => {
    const order: string[] = [];
    const { endpoint } = douyin({ onPayment: () => void order.push('handler') });
    const delivery = ecpayDelivery();
    await receive(endpoint, {
      ...delivery,
      onParsed: (text, json) =>
        order.push(`parsed ${text === (delivery.body as Buffer).toString()} ${json.type}`),
    });
    expect(order).toEqual(['parsed true payment', 'handler']);
  });
});

describe('rejected', () => {
  it('a bad signature: 400, no handler, no claim, onRejected with the bytes, a warning', async () => {
    let ran = 0;
    const rejected: { code: string; rawBody: string | undefined }[] = [];
    const store = scriptedStore(() => {
      throw new Error('must not be asked');
    });
    const { endpoint, logger } = douyin({
      store,
      onEvent: () => void ran++,
      onRejected: (error, context) =>
        void rejected.push({ code: error.code, rawBody: context.rawBody?.toString() }),
    });
    const delivery = ecpayDelivery();
    const tampered = Buffer.from((delivery.body as Buffer).toString().replace('order_1', 'order_2'));
    const { reply, outcome } = await receive(endpoint, { ...delivery, body: tampered });

    expect(reply.status).toBe(400);
    expect(reply.body).toBe(failure(400, 'SIGNATURE_MISMATCH'));
    expect(outcome).toMatchObject({ kind: 'rejected', error: { code: 'SIGNATURE_MISMATCH' } });
    expect(ran).toBe(0);
    expect(rejected).toEqual([{ code: 'SIGNATURE_MISMATCH', rawBody: tampered.toString() }]);
    expect(logger.records).toEqual([
      {
        level: 'warn',
        obj: { platform: 'douyin', code: 'SIGNATURE_MISMATCH', status: 400 },
        msg: expect.stringMatching(/^ttpay: douyin delivery rejected: /),
      },
    ]);
  });

  it.each([
    ['GET', {}, '{}', 405, 'METHOD_NOT_ALLOWED'],
    ['POST', { 'content-type': 'text/plain' }, '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['POST', { 'content-type': 'application/json; charset=latin1' }, '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['POST', {}, '', 400, 'MALFORMED_BODY'],
    ['POST', {}, '[1]', 400, 'MALFORMED_BODY'],
    ['POST', {}, '{"msg":"{}"', 400, 'MALFORMED_BODY'],
  ])('%s %j %s → %i %s, before anything is verified', async (method, headers, body, status, code) => {
    const { endpoint } = douyin();
    const { reply, outcome } = await receive(endpoint, deliveryOf(body, headers, method));
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.body)).toEqual({ err_no: status, err_tips: code });
    expect(outcome.kind).toBe('rejected');
    if (code === 'METHOD_NOT_ALLOWED') expect(reply.headers.allow).toBe('POST');
  });

  it('checks encoding and declared length before reading the wire, and the limit after', async () => {
    const { endpoint } = douyin({ limit: 10 });
    let reads = 0;
    const reader = (bytes: string) => async () => {
      reads++;
      return Buffer.from(bytes);
    };
    const gz = await receive(endpoint, {
      ...deliveryOf(''),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: reader('{}'),
    });
    const declared = await receive(endpoint, {
      ...deliveryOf(''),
      headers: { 'content-type': 'application/json', 'content-length': '11' },
      body: reader('{}'),
    });
    expect([gz.reply.status, declared.reply.status, reads]).toEqual([415, 413, 0]);
    const overLimit = await receive(endpoint, { ...deliveryOf(''), body: reader('{"a":"12345678"}') });
    expect([overLimit.reply.body, reads]).toEqual([failure(413, 'BODY_TOO_LARGE'), 1]);
  });
});

describe('duplicate', () => {
  it('of a handled delivery: acknowledged without the handler; onDuplicate says done', async () => {
    let ran = 0;
    const states: string[] = [];
    const { endpoint } = douyin({
      onEvent: () => void ran++,
      onDuplicate: (_e, _c, state) => void states.push(state),
    });
    await receive(endpoint, ecpayDelivery());
    const { reply, outcome } = await receive(endpoint, ecpayDelivery());
    expect(reply.body).toBe(ACK);
    expect(outcome).toMatchObject({ kind: 'duplicate', state: 'done' });
    expect([ran, states]).toEqual([1, ['done']]);
  });

  it('of a delivery still being handled: 503 IN_FLIGHT, the handler runs once', async () => {
    let release!: () => void;
    let ran = 0;
    const { endpoint } = douyin({
      onEvent: () => {
        ran++;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const first = receive(endpoint, ecpayDelivery());
    await vi.waitFor(() => expect(ran).toBe(1));
    const second = await receive(endpoint, ecpayDelivery());
    expect(second.reply).toMatchObject({ status: 503, body: failure(503, 'IN_FLIGHT') });
    expect(second.outcome).toMatchObject({ kind: 'duplicate', state: 'in-flight' });
    release();
    expect((await first).reply.body).toBe(ACK);
    expect(ran).toBe(1);
  });
});

describe('failed', () => {
  it('a handler that throws: 500 HANDLER_FAILED, the claim released, onError with the cause, the redelivery runs it', async () => {
    const boom = new Error('db down');
    let calls = 0;
    const errors: { code: string; cause: unknown }[] = [];
    const { endpoint, logger } = douyin({
      onPayment: () => {
        calls++;
        if (calls === 1) throw boom;
      },
      onError: (error) => void errors.push({ code: error.code, cause: error.cause }),
    });
    const first = await receive(endpoint, ecpayDelivery());
    expect(first.reply.body).toBe(failure(500, 'HANDLER_FAILED'));
    expect(first.outcome).toMatchObject({ kind: 'failed', error: { code: 'HANDLER_FAILED' } });
    expect(errors).toEqual([{ code: 'HANDLER_FAILED', cause: boom }]);
    expect(logger.records.find((r) => r.level === 'error')?.obj).toMatchObject({
      code: 'HANDLER_FAILED',
      err: boom,
    });
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
    expect(calls).toBe(2);
  });

  it('an event nobody handles: 501 UNHANDLED_EVENT (a warning), never claimed', async () => {
    const store = scriptedStore(() => ({ status: 'done' }));
    const { endpoint, logger } = douyin({ store, onEvent: undefined, onRefund: () => {} });
    const { reply } = await receive(endpoint, ecpayDelivery());
    expect(reply.body).toBe(failure(501, 'UNHANDLED_EVENT'));
    expect(logger.records.map((r) => r.level)).toEqual(['warn']);
  });

  it('onVerified throwing vetoes the acknowledgement: 500 HOOK_FAILED, the handler never runs', async () => {
    let ran = 0;
    const { endpoint } = douyin({
      onEvent: () => void ran++,
      onVerified: () => {
        throw new Error('could not persist the raw delivery');
      },
    });
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(failure(500, 'HOOK_FAILED'));
    expect(ran).toBe(0);
  });

  it.each([
    ['a plain error', new Error('socket closed'), 'STORE_FAILED'],
    [
      'a store error saying it is unreachable',
      new TtpayError('STORE_UNAVAILABLE' as never, 'timeout'),
      'STORE_UNAVAILABLE',
    ],
  ])('a claim that throws %s: 503 %s, the handler never runs', async (_what, thrown, code) => {
    let ran = 0;
    const store = scriptedStore(() => {
      throw thrown;
    });
    const { endpoint } = douyin({ store, onEvent: () => void ran++ });
    const { reply, outcome } = await receive(endpoint, ecpayDelivery());
    expect(reply.body).toBe(failure(503, code));
    expect(outcome).toMatchObject({ kind: 'failed', error: { code, cause: thrown } });
    expect(ran).toBe(0);
  });

  it('a claim answered with something that is not a Claim: 503 STORE_FAILED, the handler never runs', async () => {
    const store = scriptedStore(() => 'claimed' as unknown as Claim);
    const { endpoint } = douyin({ store });
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(failure(503, 'STORE_FAILED'));
  });
});

describe('configuration problems', () => {
  it('a callback of a system the endpoint has no credential for: 500 NOT_CONFIGURED, logged as an error naming it', async () => {
    const ecpayOnly = douyin({ platformPublicKey: undefined });
    expect((await receive(ecpayOnly.endpoint, tradeDelivery())).reply.body).toBe(
      failure(500, 'NOT_CONFIGURED'),
    );
    expect(ecpayOnly.logger.records.find((r) => r.level === 'error')?.msg).toMatch(/no platformPublicKey/);
    const tradeOnly = douyin({ token: undefined });
    expect((await receive(tradeOnly.endpoint, ecpayDelivery())).reply.body).toBe(
      failure(500, 'NOT_CONFIGURED'),
    );
    expect(tradeOnly.logger.records.find((r) => r.level === 'error')?.msg).toMatch(/no token/);
  });
});

describe('handled, unrecorded', () => {
  it('complete() failing after the handler succeeded is still acknowledged (the work is done), logged as an error', async () => {
    const memory = new MemoryStore();
    const store: IdempotencyStore = {
      claim: (key, ms) => memory.claim(key, ms),
      complete: () => {
        throw new Error('disk full');
      },
      release: (lease) => memory.release(lease),
    };
    const { endpoint, logger } = douyin({ store });
    const { reply, outcome } = await receive(endpoint, ecpayDelivery());
    expect(reply.body).toBe(ACK);
    expect(outcome).toMatchObject({ kind: 'handled', unrecorded: { cause: new Error('disk full') } });
    expect(logger.records.find((r) => r.level === 'error')?.msg).toMatch(
      /failed to mark the key done; acknowledged anyway/,
    );
  });
});

describe('handler reply data', () => {
  it('douyinReply(data) from a handler goes under `data` in the acknowledgement', async () => {
    const { endpoint } = douyin({
      onRefund: () => douyinReply({ out_refund_no: 'r_1', order_entry_schema: { path: 'p' } }),
    });
    const { reply, outcome } = await receive(
      endpoint,
      ecpayDelivery('refund', { cp_refundno: 'R1', status: 'SUCCESS' }),
    );
    expect(JSON.parse(reply.body)).toEqual({
      err_no: 0,
      err_tips: 'success',
      data: { out_refund_no: 'r_1', order_entry_schema: { path: 'p' } },
    });
    expect(outcome).toMatchObject({ kind: 'handled', replyData: { out_refund_no: 'r_1' } });
  });

  it('anything else a handler returns stays out of the reply', async () => {
    const { endpoint } = douyin({ onPayment: () => ({ data: { secret: 'row' } }) });
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
  });

  it('reply data JSON cannot hold fails the handler, before anything is recorded', async () => {
    const { endpoint, store } = douyin({ onPayment: () => douyinReply({ amount: 1n }) });
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(failure(500, 'HANDLER_FAILED'));
    expect((store as MemoryStore).claim('douyin:ecpay:payment:order_1:SUCCESS', 1)).toMatchObject({
      status: 'claimed',
    });
  });

  it('a duplicate of a handled delivery is a plain acknowledgement until stores keep reply data (the documented seam)', async () => {
    const { endpoint } = douyin({ onPayment: () => douyinReply({ out_refund_no: 'r_1' }) });
    await receive(endpoint, ecpayDelivery());
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
  });
});

describe('deadlines (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a handler still running at handlerTimeoutMs: 503 HANDLER_TIMEOUT, it keeps its claim, its late end is logged', async () => {
    let finish!: () => void;
    const { endpoint, logger } = douyin({
      handlerTimeoutMs: 1000,
      onPayment: () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    });
    const pending = receive(endpoint, ecpayDelivery());
    await vi.advanceTimersByTimeAsync(999);
    let answered = false;
    void pending.then(() => {
      answered = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const { reply, outcome } = await pending;
    expect(reply.body).toBe(failure(503, 'HANDLER_TIMEOUT'));
    expect(outcome).toMatchObject({ kind: 'running' });
    // Still claimed: a redelivery meanwhile is in flight.
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(failure(503, 'IN_FLIGHT'));
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(logger.records.filter((r) => r.msg === 'ttpay: delivery handled')).toHaveLength(1);
    expect((await receive(endpoint, ecpayDelivery())).reply.body).toBe(ACK);
  });

  it('a claim never answered: 503 STORE_UNAVAILABLE at the deadline; a claim landing later is released at once', async () => {
    let land!: (claim: Claim) => void;
    const store = scriptedStore(
      () =>
        new Promise<Claim>((resolve) => {
          land = resolve;
        }),
    );
    let ran = 0;
    const { endpoint } = douyin({ store, handlerTimeoutMs: 500, onEvent: () => void ran++ });
    const pending = receive(endpoint, ecpayDelivery());
    await vi.advanceTimersByTimeAsync(500);
    expect((await pending).reply.body).toBe(failure(503, 'STORE_UNAVAILABLE'));
    const lease = { key: 'douyin:ecpay:payment:order_1:SUCCESS', token: 't1' };
    land({ status: 'claimed', lease });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.released).toEqual([lease]);
    expect(ran).toBe(0);
  });

  it('a handler done at the deadline whose complete() hangs: acknowledged, logged as STORE_UNAVAILABLE', async () => {
    const memory = new MemoryStore();
    const store: IdempotencyStore = {
      claim: (key, ms) => memory.claim(key, ms),
      complete: () => new Promise<void>(() => {}),
      release: (lease) => memory.release(lease),
    };
    const { endpoint, logger } = douyin({
      store,
      handlerTimeoutMs: 200,
      onPayment: () => douyinReply({ n: 1 }),
    });
    const pending = receive(endpoint, ecpayDelivery());
    await vi.advanceTimersByTimeAsync(200);
    const { reply, outcome } = await pending;
    expect(JSON.parse(reply.body)).toEqual({ err_no: 0, err_tips: 'success', data: { n: 1 } });
    expect(outcome).toMatchObject({ kind: 'handled', unrecorded: { pending: true } });
    expect(logger.records.find((r) => r.level === 'error')?.obj).toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('a handler that outlives its claim (claimTtlMs) is acknowledged when it ends, with a warning', async () => {
    const { endpoint, logger } = douyin({
      claimTtlMs: 20,
      onPayment: () => new Promise((resolve) => setTimeout(resolve, 40)),
    });
    const pending = receive(endpoint, ecpayDelivery());
    await vi.advanceTimersByTimeAsync(40);
    expect((await pending).reply.body).toBe(ACK);
    expect(logger.records.find((r) => r.level === 'warn')).toMatchObject({
      obj: { claimTtlMs: 20, tookMs: 40 },
      msg: expect.stringMatching(/outlived its claim/),
    });
  });

  it('overlapping slow deliveries are each answered at their own deadline (one shared timer)', async () => {
    const { endpoint } = douyin({ handlerTimeoutMs: 100, onEvent: () => new Promise(() => {}) });
    const answeredAt: Record<string, number> = {};
    const t0 = performance.now();
    const send = (name: string, order: string) =>
      void receive(
        endpoint,
        ecpayDelivery('payment', { cp_orderno: order, status: 'SUCCESS', total_amount: 1 }),
      ).then(({ reply }) => {
        answeredAt[name] = performance.now() - t0;
        expect(reply.body).toBe(failure(503, 'HANDLER_TIMEOUT'));
      });
    send('a', 'o_a');
    await vi.advanceTimersByTimeAsync(30);
    send('b', 'o_b');
    await vi.advanceTimersByTimeAsync(200);
    expect(answeredAt).toEqual({ a: 100, b: 130 });
  });
});

describe('construction', () => {
  it('refuses to start without a credential, a handler, or with a store that is not one', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof TtpayError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => douyinEndpoint({ onEvent: () => {} }))).toBe('INVALID_ARGUMENT');
    expect(code(() => douyinEndpoint({ token: TOKEN }))).toBe('INVALID_ARGUMENT');
    expect(
      code(() => douyinEndpoint({ token: TOKEN, onEvent: () => {}, store: {} as IdempotencyStore })),
    ).toBe('INVALID_ARGUMENT');
    expect(code(() => douyinEndpoint({ token: TOKEN, onEvent: () => {}, limit: 0 }))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
