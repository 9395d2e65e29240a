import { verifyAlgoVoiWebhook } from '@ttpay/core';
import { demoCredentials } from '@ttpay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { postJson, type Receiver, startReceiver } from './simulator-test-helpers.js';

const { algovoi } = demoCredentials;
let sim: Simulator;
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver(() => ({ status: 200, body: '{"ok":true}' }));
  sim = await startSimulator({ timeScale: 0.0001, algovoi: { webhookUrl: receiver.url } });
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

const AUTH = { authorization: `Bearer ${algovoi.apiKey}`, 'x-tenant-id': algovoi.tenantId };
const LINK = {
  amount: 12.34,
  currency: 'USD',
  label: 'TikTok order 576461413038785752',
  preferred_network: 'algorand_mainnet',
  redirect_url: 'https://shop.example/thanks',
};
const createLink = (body: unknown, headers: Record<string, string> = AUTH) =>
  postJson(`${sim.url}/v1/payment-links`, body, headers);
const tokenOf = (checkoutUrl: unknown) => new URL(String(checkoutUrl)).pathname.split('/').at(-1)!;

describe('the simulated AlgoVoi gateway', () => {
  it('creates a payment link whose checkout is pending, then paid with tx_id after sim.algovoi.pay', async () => {
    const created = await createLink(LINK);
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      checkout_url: expect.stringMatching(new RegExp(`^${sim.url}/checkout/`)),
      chain: 'algorand_mainnet',
      amount_microunits: 12_340_000,
    });
    const token = tokenOf(created.json.checkout_url);
    const status = () => fetch(`${sim.url}/checkout/${token}/status`).then((r) => r.json());
    expect(await status()).toEqual({
      status: 'pending',
      network: 'algorand_mainnet',
      amount_microunits: 12_340_000,
    });

    const result = await sim.algovoi.pay(token, { txId: 'TXALGO1' });
    expect(result).toMatchObject({ acknowledged: true, attempts: 1 });
    const received = receiver.requests[0]!;
    // The published verifier's header and body (docs/PROTOCOLS.md §4.3), checked by @ttpay/core.
    expect(received.headers['x-algovoi-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64},v2=[0-9a-f]{96}$/);
    const event = verifyAlgoVoiWebhook(
      { rawBody: received.body, headers: received.headers },
      { secret: algovoi.webhookSecret },
    );
    expect(event).toMatchObject({
      type: 'payment.confirmed',
      key: `algovoi:${event.id}`,
      data: { tx_id: 'TXALGO1', payment_link_token: token, payment_link_label: LINK.label },
    });

    expect(await status()).toEqual({
      status: 'paid',
      tx_id: 'TXALGO1',
      network: 'algorand_mainnet',
      amount_microunits: 12_340_000,
    });
    // GET /checkout/{token} is the buyer's page, not the API.
    const page = await fetch(`${sim.url}/checkout/${token}`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(sim.algovoi.pay(token)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('re-signs each retry with its own t= (same body, same event id)', async () => {
    await receiver.close();
    let calls = 0;
    receiver = await startReceiver(() => ({ status: calls++ === 0 ? 500 : 200, body: '' }));
    const created = await createLink(LINK);
    const token = tokenOf(created.json.checkout_url);
    const result = await sim.algovoi.pay(token, { url: receiver.url });
    expect(result).toMatchObject({ acknowledged: true, attempts: 2 });
    const [first, second] = receiver.requests;
    expect(first!.body.equals(second!.body)).toBe(true);
    for (const r of [first!, second!]) {
      expect(
        verifyAlgoVoiWebhook({ rawBody: r.body, headers: r.headers }, { secret: algovoi.webhookSecret })
          .platform,
      ).toBe('algovoi');
    }
  });

  it('loseWebhook: the checkout is paid (its status says so), and nothing is sent', async () => {
    const created = await createLink(LINK);
    const token = tokenOf(created.json.checkout_url);
    expect(await sim.algovoi.pay(token, { loseWebhook: true })).toMatchObject({ attempts: 0 });
    expect(receiver.requests).toEqual([]);
    expect(await (await fetch(`${sim.url}/checkout/${token}/status`)).json()).toMatchObject({
      status: 'paid',
    });
    expect(sim.algovoi.checkouts()).toEqual(
      expect.arrayContaining([expect.objectContaining({ token, label: LINK.label, status: 'paid' })]),
    );
  });

  it('refuses a missing or wrong API key (401) and a wrong or missing tenant (403)', async () => {
    expect((await createLink(LINK, { 'x-tenant-id': algovoi.tenantId })).status).toBe(401);
    expect((await createLink(LINK, { ...AUTH, authorization: 'Bearer algv_wrong' })).status).toBe(401);
    expect((await createLink(LINK, { ...AUTH, authorization: algovoi.apiKey })).status).toBe(401);
    expect(
      (await createLink(LINK, { ...AUTH, 'x-tenant-id': '00000000-0000-4000-8000-000000000002' })).status,
    ).toBe(403);
    expect((await createLink(LINK, { authorization: AUTH.authorization })).status).toBe(403);
  });

  it.each([
    ['three decimals', { amount: 12.345 }],
    ['zero', { amount: 0 }],
    ['a negative amount', { amount: -1 }],
    ['an amount as a string', { amount: '12.34' }],
    ['float noise (0.1 + 0.2)', { amount: 0.1 + 0.2 }],
    ['a currency that is not 3 letters', { currency: 'US' }],
    ['an unknown network', { preferred_network: 'ethereum_mainnet' }],
    ['a plain-http redirect_url', { redirect_url: 'http://shop.example/thanks' }],
  ])('rejects %s with 422', async (_name, change) => {
    const res = await createLink({ ...LINK, ...change });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: 'invalid_request', detail: expect.any(String) });
  });

  it('answers 404 for an unknown checkout', async () => {
    expect((await fetch(`${sim.url}/checkout/nope`)).status).toBe(404);
    expect((await fetch(`${sim.url}/checkout/nope/status`)).status).toBe(404);
    await expect(sim.algovoi.pay('nope')).rejects.toMatchObject({ code: 'UNKNOWN_CHECKOUT' });
  });
});
