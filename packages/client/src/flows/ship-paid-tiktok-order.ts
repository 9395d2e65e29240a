import { TtpayError } from '@ttpay/core';
import { checkString } from '../argument-checks.js';
import type { SettlementClients, TikTokShopCredentials } from './settle-tiktok-order.js';

export interface ShipPaidTikTokOrderInput {
  /** The checkout token (from step 1's `link.token`, or a verified gateway webhook). */
  token: string;
  /** The TikTok order the link was made for (persisted in step 1). */
  order_id: string;
  /** Default: the order's only package, read with `getOrders`. */
  package_id?: string;
  /** The gateway webhook's `tx_id`; the checkout's own `tx_id`, when it has one, must agree. */
  tx_id?: string;
}

export interface ShipPaidTikTokOrderOptions {
  /** The TikTok shipping provider id to report the on-chain transaction under. */
  shipping_provider_id: string;
  shop?: TikTokShopCredentials;
  signal?: AbortSignal;
}

export type ShipPaidTikTokOrderResult =
  | {
      outcome: 'shipped';
      order_id: string;
      package_id: string;
      /** The transaction id, posted as the tracking number. */
      tracking_number: string;
      shipping_provider_id: string;
      checkout_status: string;
    }
  | { outcome: 'not-paid'; order_id: string; checkout_status: string };

/**
 * Step 2, on the gateway's paid webhook: a webhook is only a hint (PROTOCOLS.md §4), so the checkout is
 * read back first; only a paid checkout posts its transaction id (1–200 characters) to TikTok Shop as
 * the package's tracking number through the signed `shipPackage` call, which succeeds only on `code: 0`.
 * Returns what it did: persist `shipped` and do not call again for that order.
 */
export async function shipTikTokOrderPaidViaAlgoVoi(
  input: ShipPaidTikTokOrderInput,
  clients: SettlementClients,
  options: ShipPaidTikTokOrderOptions,
): Promise<ShipPaidTikTokOrderResult> {
  checkString(input?.order_id, 'order_id');
  checkString(options?.shipping_provider_id, 'shipping_provider_id');
  const signal = options.signal;
  const call = { ...options.shop, ...(signal ? { signal } : {}) };
  const verification = await clients.algovoi.verifyPayment(input.token, signal ? { signal } : {});
  if (!verification.paid) {
    return { outcome: 'not-paid', order_id: input.order_id, checkout_status: verification.status };
  }
  if (input.tx_id !== undefined && verification.tx_id !== undefined && input.tx_id !== verification.tx_id) {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      'tx_id from the webhook differs from the checkout’s tx_id: nothing was shipped; investigate before retrying.',
    );
  }
  const txId = verification.tx_id ?? input.tx_id;
  if (txId === undefined) {
    throw new TtpayError(
      'MISSING_FIELD',
      'The checkout is paid but names no tx_id: pass the gateway webhook’s tx_id as input.tx_id.',
    );
  }
  checkString(txId, 'tx_id', { maxLength: 200 });
  const packageId = input.package_id ?? (await onlyPackage(input.order_id, clients, call));
  await clients.tiktok.shipPackage(
    packageId,
    { self_shipment: { tracking_number: txId, shipping_provider_id: options.shipping_provider_id } },
    call,
  );
  return {
    outcome: 'shipped',
    order_id: input.order_id,
    package_id: packageId,
    tracking_number: txId,
    shipping_provider_id: options.shipping_provider_id,
    checkout_status: verification.status,
  };
}

async function onlyPackage(
  orderId: string,
  clients: SettlementClients,
  call: TikTokShopCredentials & { signal?: AbortSignal },
): Promise<string> {
  const { orders } = await clients.tiktok.getOrders([orderId], call);
  const ids = (orders.find((o) => o.id === orderId)?.packages ?? []).map((p) => p?.id);
  if (ids.length !== 1 || typeof ids[0] !== 'string') {
    throw new TtpayError(
      'INVALID_ARGUMENT',
      `Order ${orderId} has ${ids.length} packages: pass package_id to say which one to ship.`,
    );
  }
  return ids[0];
}
