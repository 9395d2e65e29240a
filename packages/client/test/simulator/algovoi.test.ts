import { AlgoVoiClient } from '@ttpay/client';
import { unsafeLoopbackTransportForTests } from '@ttpay/client/testing';
import { demoCredentials } from '@ttpay/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimulatorHarness, startHarness } from '../helpers/simulator.js';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.sim.clearFaults());

const link = {
  amount: '12.34',
  currency: 'USD',
  label: 'order 1',
  preferred_network: 'algorand_mainnet',
} as const;

describe('AlgoVoi against the simulator', () => {
  it('creates a link, reads it pending, then paid with the tx id after the gateway confirms', async () => {
    const { algovoi } = h.clients;
    const created = await algovoi.createPaymentLink(link);
    expect(created.checkout_url.endsWith(`/checkout/${created.token}`)).toBe(true);
    expect(Number(created.amount_microunits)).toBe(12_340_000);
    await expect(algovoi.verifyPayment(created.token)).resolves.toMatchObject({
      paid: false,
      status: 'pending',
    });
    await h.sim.algovoi.pay(created.token, { txId: 'ALGO_TX_1' });
    await expect(algovoi.verifyPayment(created.token)).resolves.toMatchObject({
      paid: true,
      status: 'paid',
      tx_id: 'ALGO_TX_1',
    });
  });

  it('an unknown checkout is HTTP_STATUS 404', async () => {
    await expect(h.clients.algovoi.verifyPayment('no-such-token')).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      status: 404,
    });
  });

  it('a wrong API key is HTTP_STATUS 401, and the key is not in the error', async () => {
    const wrong = new AlgoVoiClient({
      apiBase: 'https://pay.algovoi.example',
      apiKey: 'algv_wrong_key',
      tenantId: demoCredentials.algovoi.tenantId,
      transport: unsafeLoopbackTransportForTests({ baseUrl: h.sim.url }),
    });
    const error = await wrong.createPaymentLink(link).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 401 });
    expect(JSON.stringify(error)).not.toContain('algv_wrong_key');
  });

  it('verifyPayment is retried after a 503; createPaymentLink is not', async () => {
    const { token } = await h.clients.algovoi.createPaymentLink(link);
    const checkoutPath = `/checkout/${token}/status`;
    let before = h.received(checkoutPath);
    h.sim.fault({ platform: 'algovoi', path: '/checkout/', status: 503, times: 1 });
    await expect(h.clients.algovoi.verifyPayment(token)).resolves.toMatchObject({ status: 'pending' });
    expect(h.received(checkoutPath) - before).toBe(2);

    before = h.received('/v1/payment-links');
    h.sim.fault({ platform: 'algovoi', path: '/v1/payment-links', status: 503, times: 1 });
    await expect(h.clients.algovoi.createPaymentLink(link)).rejects.toMatchObject({ status: 503 });
    expect(h.received('/v1/payment-links') - before).toBe(1);
  });

  it('an abort stops a slow call', async () => {
    h.sim.fault({ platform: 'algovoi', delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(h.clients.algovoi.verifyPayment('tok', { signal: controller.signal })).rejects.toMatchObject(
      {
        code: 'ABORTED',
      },
    );
  });

  it('an abort after a create was sent leaves its outcome unknown', async () => {
    h.sim.fault({ platform: 'algovoi', delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      h.clients.algovoi.createPaymentLink(link, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
  });

  it('a create whose answer is lost is OUTCOME_UNKNOWN, and the gateway holds exactly the one link', async () => {
    h.sim.fault({ platform: 'algovoi', path: '/v1/payment-links', dropAnswer: true });
    const label = `lost answer ${Date.now()}`;
    await expect(h.clients.algovoi.createPaymentLink({ ...link, label })).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      platform: 'algovoi',
    });
    const created = h.sim.log.filter((e) => e.path === '/v1/payment-links' && e.direction === 'in');
    expect(created.at(-1)?.status).toBe(200);
  });
});
