import { verifyEcpayCallback } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { DOUYIN_ACK, ecpayCall, type Receiver, type Reply, startReceiver } from './simulator-test-helpers.js';

let sim: Simulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

async function paidOrder(reply: (n: number) => Reply, timeScale = 0.0001) {
  receiver = await startReceiver(reply);
  sim = await startSimulator({ timeScale });
  const created = await ecpayCall(sim, 'create_order', {
    out_order_no: 'order_4001',
    total_amount: 100,
    subject: 'Tea',
    body: 'A demo order',
    valid_time: 900,
    notify_url: receiver.url,
  });
  expect(created.json.err_no).toBe(0);
  return { sim, receiver };
}

describe('Douyin callbacks are retried on the platform schedule until the reply is 200 {"err_no":0}', () => {
  it('a receiver that fails twice (a 500, then 200 with err_no 1) is acked on the third attempt', async () => {
    const { sim, receiver } = await paidOrder((n) =>
      n === 1
        ? { status: 500, body: 'oops' }
        : n === 2
          ? { status: 200, body: '{"err_no":1,"err_tips":"busy"}' }
          : // Key order and spacing differ from the canonical reply: the JSON is parsed, not compared.
            { status: 200, body: '{ "err_tips": "success", "err_no": 0 }' },
    );
    const result = await sim.douyin.pay('order_4001');

    expect(result.attempts).toBe(3);
    expect(result.acknowledged).toBe(true);
    expect(result.responses.map((r) => r.status)).toEqual([500, 200, 200]);
    expect(receiver.requests).toHaveLength(3);
    // Every retry carries the same signed body, which still verifies.
    expect(receiver.requests[1]!.body.equals(receiver.requests[0]!.body)).toBe(true);
    expect(receiver.requests[2]!.body.equals(receiver.requests[0]!.body)).toBe(true);
    expect(
      verifyEcpayCallback({ rawBody: receiver.requests[2]!.body }, { token: demoCredentials.douyin.token })
        .type,
    ).toBe('payment');
  });

  it('"success" as plain text, or err_no as the string "0", is not an acknowledgement', async () => {
    const { sim } = await paidOrder((n) =>
      n === 1
        ? { status: 200, body: 'success' }
        : n === 2
          ? { status: 200, body: '{"err_no":"0"}' }
          : DOUYIN_ACK,
    );
    const result = await sim.douyin.pay('order_4001');
    expect(result).toMatchObject({ attempts: 3, acknowledged: true });
  });

  it('duplicates: n sends the acknowledged delivery n more times, byte for byte', async () => {
    const { sim, receiver } = await paidOrder(() => DOUYIN_ACK);
    const result = await sim.douyin.pay('order_4001', { duplicates: 2 });

    expect(result).toMatchObject({ attempts: 3, acknowledged: true });
    expect(receiver.requests).toHaveLength(3);
    for (const r of receiver.requests) expect(r.body.equals(receiver.requests[0]!.body)).toBe(true);
  });

  it('gives up unacknowledged after the 16 attempts of the schedule (1 + 15 retries)', async () => {
    const { sim, receiver } = await paidOrder(() => ({ status: 503, body: '' }), 0.000001);
    const result = await sim.douyin.pay('order_4001');

    expect(result).toMatchObject({ attempts: 16, acknowledged: false });
    expect(receiver.requests).toHaveLength(16);
    const out = sim.log.filter((e) => e.direction === 'out');
    expect(out).toHaveLength(16);
    expect(out[0]).toMatchObject({ platform: 'douyin', method: 'POST', path: '/notify', status: 503 });
  });

  it('waits the scaled schedule between attempts: 15 s and 15 s at timeScale 0.002 is about 60 ms', async () => {
    const { sim, receiver } = await paidOrder((n) => (n < 3 ? { status: 500 } : DOUYIN_ACK), 0.002);
    const started = Date.now();
    await sim.douyin.pay('order_4001');
    const elapsed = Date.now() - started;
    expect(receiver.requests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(2000);
  });

  it('an unreachable receiver is retried too (status 0 in the responses)', async () => {
    const { sim, receiver } = await paidOrder(() => DOUYIN_ACK, 0.000001);
    await receiver.close();
    const result = await sim.douyin.pay('order_4001');
    expect(result.acknowledged).toBe(false);
    expect(result.responses.every((r) => r.status === 0)).toBe(true);
  });
});
