import { randomBytes, randomInt } from 'node:crypto';
import type Router from '@koa/router';
import { signedAlgoVoiWebhook } from '@ttpay/testing';
import type { Context } from 'koa';
import { ALGOVOI_NETWORKS, type AlgoVoiCheckout, type AlgoVoiNetwork } from './algovoi-store.js';
import { assertDuplicates, isAlgoVoiAck } from './deliver-with-retries.js';
import { type FieldRule, firstProblem, integer, optional, text } from './field-rules.js';
import { parseJsonObject, readRawBody } from './read-body.js';
import { ALGOVOI_RETRY_SCHEDULE } from './retry-schedules.js';
import type { SimContext } from './sim-context.js';
import { SimulatorError } from './simulator-error.js';
import type { DeliveryResult, Simulator } from './types.js';

/** The gateway's webhook timeout is undocumented; 10 s is the simulator's assumption. */
const ALGOVOI_REPLY_TIMEOUT_MS = 10_000;

/** USDC, what the links settle in, has 6 decimals. */
const MICROUNITS = 1_000_000;

/**
 * The gateway's error replies are undocumented (docs/PROTOCOLS.md §4). The simulator answers a plain HTTP
 * status (401 bad API key, 403 wrong tenant, 400 not JSON, 422 invalid field, 404 unknown checkout) with
 * `{error, detail}`.
 */
function refuse(ctx: Context, status: number, error: string, detail: string): void {
  ctx.status = status;
  ctx.body = { error, detail };
}

const amountRule: FieldRule = (value, field) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return `${field} must be a finite number > 0`;
  }
  // At most 2 decimals, and no float noise: 0.1 + 0.2 (0.30000000000000004) is refused.
  return Number(value.toFixed(2)) === value ? undefined : `${field} must have at most 2 decimals`;
};

const httpsUrl: FieldRule = (value, field) => {
  if (typeof value !== 'string') return `${field} must be a string`;
  try {
    return new URL(value).protocol === 'https:' ? undefined : `${field} must be an https:// URL`;
  } catch {
    return `${field} must be an absolute URL`;
  }
};

/** `POST /v1/payment-links` body (docs/PROTOCOLS.md §4). */
const PAYMENT_LINK_RULES: Record<string, FieldRule> = {
  amount: amountRule,
  currency: (value, field) =>
    typeof value === 'string' && /^[A-Za-z]{3}$/.test(value)
      ? undefined
      : `${field} must be a 3-letter currency code`,
  label: optional(text(200)),
  // Assumption: the gateway picks algorand_mainnet when no network is named.
  preferred_network: optional((value, field) =>
    ALGOVOI_NETWORKS.includes(value as AlgoVoiNetwork)
      ? undefined
      : `${field} must be one of ${ALGOVOI_NETWORKS.join(', ')}`,
  ),
  redirect_url: optional(httpsUrl),
  expires_in_seconds: optional(integer(1)),
};

/** Algorand transaction ids are 52 base32 characters. */
function algorandTxId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = '';
  for (let i = 0; i < 52; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

/** The AlgoVoi payment-link gateway (docs/PROTOCOLS.md §4). */
export function registerAlgoVoiGateway(router: Router, sim: SimContext): void {
  const { apiKey, tenantId } = sim.options.algovoi;

  router.post('/v1/payment-links', async (ctx) => {
    const raw = await readRawBody(ctx);
    const bearer = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim();
    if (bearer !== apiKey)
      return refuse(ctx, 401, 'unauthorized', 'Authorization must be "Bearer <api key>"');
    if (ctx.get('x-tenant-id') !== tenantId)
      return refuse(ctx, 403, 'forbidden', "X-Tenant-Id is missing or not this API key's tenant");
    const body = parseJsonObject(raw);
    if (!body) return refuse(ctx, 400, 'invalid_json', 'the body must be a JSON object');
    const problem = firstProblem(body, PAYMENT_LINK_RULES);
    if (problem) return refuse(ctx, 422, 'invalid_request', problem);

    const amount = body.amount as number;
    const token = randomBytes(16).toString('base64url');
    const network = (body.preferred_network as AlgoVoiNetwork | undefined) ?? 'algorand_mainnet';
    const now = Date.now();
    const checkout: AlgoVoiCheckout = {
      token,
      status: 'pending',
      amount,
      currency: (body.currency as string).toUpperCase(),
      ...(typeof body.label === 'string' ? { label: body.label } : {}),
      network,
      ...(typeof body.redirect_url === 'string' ? { redirect_url: body.redirect_url } : {}),
      checkout_url: `${sim.baseUrl()}/checkout/${token}`,
      amount_microunits: Math.round(amount * MICROUNITS),
      created_at: now,
      ...(typeof body.expires_in_seconds === 'number'
        ? { expires_at: now + body.expires_in_seconds * 1000 }
        : {}),
    };
    sim.algovoi.checkouts.set(token, checkout);
    ctx.status = 200;
    // `chain` is the network id: the gateway's own spelling is undocumented.
    ctx.body = {
      checkout_url: checkout.checkout_url,
      chain: network,
      amount_microunits: checkout.amount_microunits,
    };
  });

  // The state of a checkout, as AlgoVoi's own SDKs and connectors read it (docs/PROTOCOLS.md §4.4).
  router.get('/checkout/:token/status', (ctx) => {
    const checkout = sim.algovoi.get(String(ctx.params.token));
    if (!checkout) return refuse(ctx, 404, 'not_found', 'no such checkout');
    ctx.status = 200;
    ctx.body = {
      status: checkout.status,
      ...(checkout.tx_id ? { tx_id: checkout.tx_id } : {}),
      network: checkout.network,
      amount_microunits: checkout.amount_microunits,
    };
  });

  // The buyer's hosted checkout page: a page for a person, not an API (the state is at /status).
  router.get('/checkout/:token', (ctx) => {
    const checkout = sim.algovoi.get(String(ctx.params.token));
    if (!checkout) return refuse(ctx, 404, 'not_found', 'no such checkout');
    ctx.status = 200;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = `<!doctype html><title>AlgoVoi checkout (simulated)</title><p>${escapeHtml(
      checkout.label ?? 'Payment',
    )}: ${checkout.amount.toFixed(2)} ${checkout.currency} — ${checkout.status}</p>`;
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `sim.algovoi`. */
export function createAlgoVoiControl(sim: SimContext): Simulator['algovoi'] {
  async function pay(
    token: string,
    opts: { txId?: string; url?: string; duplicates?: number; loseWebhook?: boolean } = {},
  ): Promise<DeliveryResult> {
    assertDuplicates(opts.duplicates);
    const checkout = sim.algovoi.get(token);
    if (!checkout) throw new SimulatorError('UNKNOWN_CHECKOUT', `No AlgoVoi checkout "${token}".`);
    if (checkout.status !== 'pending') {
      throw new SimulatorError('INVALID_STATE', `Checkout "${token}" is ${checkout.status}, not pending.`);
    }
    const txId = opts.txId ?? algorandTxId();
    // The seed adapter's guard: tx_id 1–200 characters (docs/PROTOCOLS.md §4).
    if (typeof txId !== 'string' || txId.length < 1 || txId.length > 200) {
      throw new SimulatorError('INVALID_ARGUMENT', 'txId must be 1–200 characters.');
    }
    const url = opts.url ?? sim.options.algovoi.webhookUrl;
    if (!url && opts.loseWebhook !== true) {
      throw new SimulatorError(
        'NO_DELIVERY_URL',
        'No AlgoVoi webhook URL: start the simulator with algovoi.webhookUrl or pass { url }.',
      );
    }
    checkout.status = 'paid';
    checkout.tx_id = txId;
    checkout.paid_at = Date.now();
    if (opts.loseWebhook === true || !url)
      return { url: url ?? '', attempts: 0, acknowledged: false, responses: [] };
    // The published verifier's event (docs/PROTOCOLS.md §4.3), keyed on its id: the same body on every
    // attempt, signed afresh with the attempt's own t= (whether the gateway re-signs a retry is
    // undocumented, §6; signing once would make a retry after 300 s stale).
    const created = Math.floor(checkout.paid_at / 1000);
    const rawBody = JSON.stringify({
      id: `evt_${randomBytes(12).toString('hex')}`,
      type: 'payment.confirmed',
      created,
      api_version: '2024-01-01',
      data: {
        tenant_label: sim.options.algovoi.tenantId,
        resource_id: `pay_${checkout.token}`,
        chain: checkout.network,
        asset: { id: 'usdc', label: 'USDC', decimals: 6 },
        amount_microunits: checkout.amount_microunits,
        amount_pretty: `${checkout.amount.toFixed(2)} USDC`,
        tx_id: txId,
        payer_address: `SIMPAYER${randomInt(1e9)}`,
        payment_link_token: checkout.token,
        ...(checkout.label === undefined ? {} : { payment_link_label: checkout.label }),
      },
    });
    const secret = sim.options.algovoi.webhookSecret;
    return sim.deliverer.deliver({
      url,
      platform: 'algovoi',
      schedule: ALGOVOI_RETRY_SCHEDULE,
      attempt: () => signedAlgoVoiWebhook({ rawBody, secret }),
      isAck: isAlgoVoiAck,
      duplicates: opts.duplicates,
      timeoutMs: ALGOVOI_REPLY_TIMEOUT_MS,
    });
  }

  function checkout(token: string): Record<string, unknown> | undefined {
    const found = sim.algovoi.get(token);
    return found ? { ...found } : undefined;
  }

  function checkouts(): Record<string, unknown>[] {
    return [...sim.algovoi.checkouts.keys()].map((token) => ({ ...sim.algovoi.get(token) }));
  }

  return { pay, checkout, checkouts };
}
