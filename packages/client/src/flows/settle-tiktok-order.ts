import { type TikTokEvent, TtpayError } from '@ttpay/core';
import type { AlgoVoiClient } from '../algovoi/algovoi-client.js';
import type { AlgoVoiNetwork, PaymentLink } from '../algovoi/types.js';
import { isTtpayClientError } from '../client-error.js';
import type { TikTokShopClient } from '../tiktok/tiktok-shop-client.js';
import type { TikTokOrder } from '../tiktok/types.js';

export interface SettlementClients {
  tiktok: TikTokShopClient;
  algovoi: AlgoVoiClient;
}

/** Per-shop credentials for the TikTok calls, when one client serves several shops. */
export interface TikTokShopCredentials {
  accessToken?: string;
  shopCipher?: string;
}

export interface SettleTikTokOrderOptions {
  preferred_network: AlgoVoiNetwork;
  /**
   * Order statuses (of the order as fetched) that get a settlement link. Default `['AWAITING_SHIPMENT']`.
   * docs/PROTOCOLS.md does not say which statuses the seed settled; this default is ttpay's choice.
   */
  eligibleStatuses?: readonly string[];
  /** Default `TikTok Shop order <order_id>`. */
  label?: (order: TikTokOrder) => string;
  redirect_url?: string;
  expires_in_seconds?: number;
  shop?: TikTokShopCredentials;
  signal?: AbortSignal;
}

export type SettleSkipReason =
  | 'not-an-order-status-change'
  | 'order-on-hold'
  | 'order-not-found'
  | 'status-not-eligible';

export type SettleTikTokOrderResult =
  | {
      outcome: 'link-created';
      order_id: string;
      /** The order's `payment.total_amount` and `currency`, as fetched. */
      amount: string;
      currency: string;
      /** The order's package ids: `shipTikTokOrderPaidViaAlgoVoi` needs one. */
      package_ids: string[];
      link: PaymentLink;
    }
  | {
      /**
       * The gateway may or may not have created the link: its answer was lost (`OUTCOME_UNKNOWN`). Persist
       * this and do NOT call again for the order — a second create could leave the buyer two links. Find
       * the link by `label` in the gateway (or wait for its webhook naming that label), then record it.
       */
      outcome: 'link-outcome-unknown';
      order_id: string;
      amount: string;
      currency: string;
      package_ids: string[];
      label: string;
    }
  | { outcome: 'skipped'; reason: SettleSkipReason; order_id?: string; order_status?: string };

const DEFAULT_ELIGIBLE = ['AWAITING_SHIPMENT'];

/**
 * Step 1 of the seed adapter's flow, done right: a verified TikTok order-status webhook carries no
 * amount (docs/PROTOCOLS.md §3), so the order is fetched with a signed call, and its amount and currency go
 * into an AlgoVoi payment link. Returns what it did: persist `order_id → link.token, package_ids` and do
 * not call again for an order that already has a link — nor for one whose outcome is unknown: creating a
 * link is not idempotent, and the gateway documents no idempotency key (docs/PROTOCOLS.md §4.2).
 */
export async function settleTikTokOrderViaAlgoVoi(
  event: TikTokEvent,
  clients: SettlementClients,
  options: SettleTikTokOrderOptions,
): Promise<SettleTikTokOrderResult> {
  if (event.name !== 'ORDER_STATUS_CHANGE')
    return { outcome: 'skipped', reason: 'not-an-order-status-change' };
  const { order_id, is_on_hold_order } = event.data;
  // An on-hold order may still be cancelled by the buyer: no link yet; a later status change comes.
  if (is_on_hold_order === true) return { outcome: 'skipped', reason: 'order-on-hold', order_id };
  const signal = options.signal;
  const { orders } = await clients.tiktok.getOrders([order_id], {
    ...options.shop,
    ...(signal ? { signal } : {}),
  });
  const order = orders.find((o) => o?.id === order_id);
  if (order === undefined) return { outcome: 'skipped', reason: 'order-not-found', order_id };
  const status = typeof order.status === 'string' ? order.status : event.data.order_status;
  if (!(options.eligibleStatuses ?? DEFAULT_ELIGIBLE).includes(status)) {
    return { outcome: 'skipped', reason: 'status-not-eligible', order_id, order_status: status };
  }
  const { total_amount: amount, currency } = order.payment ?? {};
  if (typeof amount !== 'string' || typeof currency !== 'string') {
    throw new TtpayError(
      'MISSING_FIELD',
      `Order ${order_id} came without payment.total_amount and currency.`,
    );
  }
  const package_ids = (order.packages ?? [])
    .map((p) => p?.id)
    .filter((id): id is string => typeof id === 'string');
  // Deterministic by default, so a link whose creation answer was lost can be found by it.
  const label = options.label?.(order) ?? `TikTok Shop order ${order_id}`;
  let link: PaymentLink;
  try {
    link = await clients.algovoi.createPaymentLink(
      {
        amount,
        currency,
        label,
        preferred_network: options.preferred_network,
        ...(options.redirect_url === undefined ? {} : { redirect_url: options.redirect_url }),
        ...(options.expires_in_seconds === undefined
          ? {}
          : { expires_in_seconds: options.expires_in_seconds }),
      },
      signal ? { signal } : {},
    );
  } catch (error) {
    if (isTtpayClientError(error) && error.code === 'OUTCOME_UNKNOWN') {
      return { outcome: 'link-outcome-unknown', order_id, amount, currency, package_ids, label };
    }
    throw error;
  }
  return { outcome: 'link-created', order_id, amount, currency, package_ids, link };
}
