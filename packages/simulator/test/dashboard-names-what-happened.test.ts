import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedEcpayCallback, withBadSignature } from '@ttpay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { replyCode } from '../src/simulator/dashboard/reply-code.js';
import { describeFetchFailure } from '../src/simulator/fetch-failure.js';
import {
  createEcpayOrder,
  deliveryOf,
  press,
  type Rig,
  settled,
  startRig,
  state,
} from './dashboard-test-helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('replyCode: the code an app put in its reply', () => {
  it.each([
    ['{"err_no":400,"err_tips":"SIGNATURE_MISMATCH"}', 'SIGNATURE_MISMATCH'],
    ['{"err_no":503,"err_tips":"IN_FLIGHT"}', 'IN_FLIGHT'],
    ['{"error":"SIGNATURE_MISMATCH"}', 'SIGNATURE_MISMATCH'],
    ['{"error":"UNAUTHORIZED","message":"a token is required"}', 'UNAUTHORIZED'],
    ['{"err_no":1000}', '1000'],
    ['{"code":"ORDER_NOT_FOUND"}', 'ORDER_NOT_FOUND'],
  ])('%s → %s', (body, code) => {
    expect(replyCode(body)).toBe(code);
  });

  it.each([
    '{"err_no":0,"err_tips":"success"}',
    '',
    'busy',
    '{"error":{"nested":true}}',
    '{"error":"a sentence with spaces, not a code"}',
    '[1,2]',
  ])('%j has none', (body) => {
    expect(replyCode(body)).toBeUndefined();
  });
});

describe('describeFetchFailure: why no reply came, named', () => {
  it('names a timeout and a refused connection instead of "TypeError: fetch failed"', async () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(describeFetchFailure(timeout, 2500)).toEqual({
      code: 'TIMEOUT',
      message: 'no reply within 2500 ms',
    });
    const refused = await fetch(`http://127.0.0.1:${await closedPort()}/`).catch((e: unknown) => e);
    expect(describeFetchFailure(refused, 1000)).toEqual({
      code: 'ECONNREFUSED',
      message: 'connection refused: nothing listens at that address (ECONNREFUSED)',
    });
  });
});

describe('the journal names what happened', () => {
  it('a refused connection: status 0 with ECONNREFUSED, in the journal and in the DeliveryResult', async () => {
    rig = await startRig(1e-7); // Douyin's day of retries in about 9 ms
    await createEcpayOrder(rig.sim, 'order_9101');
    const dead = `http://127.0.0.1:${await closedPort()}/douyin/notify`;
    const result = await rig.sim.douyin.pay('order_9101', { url: dead });
    expect(result.acknowledged).toBe(false);
    expect(result.responses[0]).toEqual({
      status: 0,
      body: 'connection refused: nothing listens at that address (ECONNREFUSED)',
      error: 'ECONNREFUSED',
    });
    const delivery = await deliveryOf(rig.sim, 'order_9101', (d) => d.state === 'gave-up');
    expect(delivery.attempts[0]?.reply).toEqual({
      status: 0,
      body: 'connection refused: nothing listens at that address (ECONNREFUSED)',
      error: 'ECONNREFUSED',
    });
  });

  it("an app's refusal: the attempt carries the code it answered (SIGNATURE_MISMATCH)", async () => {
    rig = await startRig();
    await createEcpayOrder(rig.sim, 'order_9102');
    await rig.sim.douyin.pay('order_9102');
    const paid = await deliveryOf(rig.sim, 'order_9102', (d) => d.state === 'acknowledged');
    expect(paid.attempts[0]?.reply?.code).toBeUndefined();
    await press(rig.sim, `/_sim/api/deliveries/${paid.id}/resend`, { break: 'bad-signature' });
    const refused = await deliveryOf(rig.sim, 'order_9102', (d) => d.attempts.length === 2 && settled(d));
    expect(refused.attempts[1]).toMatchObject({
      kind: 'bad-signature',
      acknowledged: false,
      reply: { status: 400, code: 'SIGNATURE_MISMATCH' },
    });
  });

  it('lists the API calls the app made, newest first, without the controls or any query string', async () => {
    rig = await startRig();
    await createEcpayOrder(rig.sim, 'order_9103');
    await press(rig.sim, '/_sim/faults', { platform: 'tiktok', status: 503 });
    await fetch(`${rig.sim.url}/order/202309/orders?ids=1&access_token=secret-ish`);
    const { apiCalls } = await state(rig.sim);
    expect(apiCalls.map((c) => `${c.platform} ${c.method} ${c.path} ${c.status} ${c.code ?? '-'}`)).toEqual([
      'tiktok GET /order/202309/orders 503 -',
      'douyin POST /api/apps/ecpay/v1/create_order 200 0',
    ]);
    expect(JSON.stringify(apiCalls)).not.toContain('secret-ish');
  });
});

describe('POST /_sim/api/deliveries (ttpay send --via-simulator)', () => {
  let silent: Server | undefined;
  afterEach(async () => {
    silent?.closeAllConnections();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    silent = undefined;
  });

  it('sends the given bytes as one journaled delivery, copies at once, and answers every reply', async () => {
    rig = await startRig();
    const d = signedEcpayCallback({ type: 'payment', msg: { cp_orderno: 'order_9104' } });
    const send = (delivery: typeof d, extra: Record<string, unknown> = {}) =>
      press(rig!.sim, '/_sim/api/deliveries', {
        platform: 'douyin',
        url: `${rig!.app.url}/douyin/notify`,
        headers: delivery.headers,
        body_base64: delivery.body.toString('base64'),
        ...extra,
      });
    const sent = await send(d, { copies: 3 });
    expect(sent.status).toBe(200);
    const bursts = sent.json.bursts as { status: number; body: string }[][];
    expect(bursts).toHaveLength(1);
    expect(bursts[0]?.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(rig.app.payments.get('order_9104')).toBe(1);
    const journaled = await deliveryOf(rig.sim, 'order_9104');
    expect(journaled).toMatchObject({
      id: sent.json.id,
      state: 'acknowledged',
      scheme: 'ecpay',
      type: 'payment',
    });
    expect(journaled.attempts.map((a) => a.kind)).toEqual(['cli', 'cli', 'cli']);
    // The exact bytes given, not a re-serialisation.
    expect(journaled.attempts[0]?.request.body).toBe(d.rawBody);

    const broken = await send(
      withBadSignature(signedEcpayCallback({ type: 'payment', msg: { cp_orderno: 'order_9105' } })),
    );
    expect((broken.json.bursts as { status: number }[][])[0]?.[0]?.status).toBe(400);
    const refused = await deliveryOf(rig.sim, 'order_9105');
    expect(refused.state).toBe('not-acknowledged');
    expect(refused.attempts[0]?.reply?.code).toBe('SIGNATURE_MISMATCH');
  });

  it('names a timeout, and refuses malformed requests with 400', async () => {
    rig = await startRig();
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const d = signedEcpayCallback({ type: 'payment', msg: { cp_orderno: 'order_9106' } });
    const sent = await press(rig.sim, '/_sim/api/deliveries', {
      platform: 'douyin',
      url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/n`,
      headers: d.headers,
      body_base64: d.body.toString('base64'),
      timeout_ms: 300,
    });
    expect((sent.json.bursts as unknown[][])[0]?.[0]).toEqual({
      status: 0,
      body: 'no reply within 300 ms',
      error: 'TIMEOUT',
    });
    for (const bad of [
      { platform: 'stripe', url: 'http://127.0.0.1:1/', headers: {}, body_base64: '' },
      { platform: 'douyin', url: 'ftp://x/', headers: {}, body_base64: '' },
      { platform: 'douyin', url: 'http://127.0.0.1:1/', headers: { 'bad header': 'x' }, body_base64: '' },
      { platform: 'douyin', url: 'http://127.0.0.1:1/', headers: {}, body_base64: '!!' },
      { platform: 'douyin', url: 'http://127.0.0.1:1/', headers: {}, body_base64: '', copies: 0 },
    ]) {
      const reply = await press(rig.sim, '/_sim/api/deliveries', bad);
      expect(reply.status, JSON.stringify(bad)).toBe(400);
      expect(reply.json.error).toBe('INVALID_ARGUMENT');
    }
    expect((await state(rig.sim)).deliveries.filter((x) => x.url.includes(':1/'))).toEqual([]);
  });
});
