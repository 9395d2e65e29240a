import { randomDigits } from './random-ids.js';
import { SimulatorError } from './simulator-error.js';
import { SELLER_DELIVERY_OPTION_ID, TIKTOK_DELIVERY_OPTION_ID } from './tiktok-carriers.js';
import type { SimTikTokOrderInput } from './types.js';

export interface TikTokOrder {
  id: string;
  status: string;
  /** `TIKTOK`: TikTok's carriers (ship with a handover method); `SELLER`: the seller's carrier. */
  shipping_type: 'TIKTOK' | 'SELLER';
  delivery_option_id: string;
  create_time: number;
  update_time: number;
  /** Unix seconds the buyer paid at TikTok's checkout; absent while `UNPAID`. */
  paid_time?: number;
  /** True while a buyer's cancellation request waits for the seller. */
  is_buyer_request_cancel: boolean;
  payment: {
    currency: string;
    /** Decimal strings, as the API sends them (docs/PROTOCOLS.md §3). */
    total_amount: string;
    sub_total: string;
    shipping_fee: string;
    tax: string;
  };
  packages: { id: string; shipped: boolean }[];
}

/** Shipping calls recorded per order (`sim.tiktok.shipments`). */
export interface TikTokShipment {
  action: 'ship_package' | 'mark_package_as_shipped' | 'update_shipping_info';
  order_id: string;
  package_id?: string;
  tracking_number?: string;
  shipping_provider_id?: string;
  handover_method?: string;
  at: number;
}

/** A buyer's cancellation request (docs/PROTOCOLS.md §3.7). */
export interface TikTokCancellation {
  cancel_id: string;
  order_id: string;
  cancel_type: 'BUYER_CANCEL';
  role: 'BUYER';
  cancel_status: string;
  cancel_reason: string;
  create_time: number;
  update_time: number;
  /** The seller has this long to answer (Unix seconds). */
  deadline: number;
  reject_reason?: string;
}

const seconds = () => Math.floor(Date.now() / 1000);

/** An access token lives 7 days (docs/PROTOCOLS.md §3.5). */
export const ACCESS_TOKEN_SECONDS = 7 * 86_400;
/** The simulator gives the seller two days to answer a cancellation request (its own assumption). */
const CANCELLATION_RESPONSE_SECONDS = 2 * 86_400;

/** The orders, packages, shipments, cancellations and access tokens of the one simulated shop. */
export class TikTokStore {
  readonly orders = new Map<string, TikTokOrder>();
  readonly shipments = new Map<string, TikTokShipment[]>();
  readonly cancellations = new Map<string, TikTokCancellation>();
  /**
   * Tokens the Open API accepts → when each expires (Unix seconds): the configured one plus any issued
   * by /api/v2/token/refresh. An expired one is answered 105002.
   */
  readonly accessTokens = new Map<string, number>();

  issueAccessToken(token: string): number {
    const expiresAt = seconds() + ACCESS_TOKEN_SECONDS;
    this.accessTokens.set(token, expiresAt);
    return expiresAt;
  }

  /** Every token issued so far is expired from now on (`sim.tiktok.expireAccessTokens()`). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 0);
  }

  /** The buyer pays at TikTok's checkout: `UNPAID` → `AWAITING_SHIPMENT`, with `paid_time`. */
  pay(order: TikTokOrder): void {
    if (order.status !== 'UNPAID') {
      throw new SimulatorError('INVALID_STATE', `TikTok order "${order.id}" is ${order.status}, not UNPAID.`);
    }
    order.paid_time = seconds();
    this.setStatus(order, 'AWAITING_SHIPMENT');
  }

  /**
   * The buyer asks to cancel a paid order before the carrier has it — awaiting shipment, or shipped by the
   * seller and awaiting collection (approving then may fail in the platform: "The order has already been
   * shipped…", 25001045): a pending request for the seller.
   */
  requestCancellation(order: TikTokOrder, reason: string): TikTokCancellation {
    if (!['AWAITING_SHIPMENT', 'ON_HOLD', 'AWAITING_COLLECTION'].includes(order.status)) {
      throw new SimulatorError(
        'INVALID_STATE',
        `TikTok order "${order.id}" is ${order.status}: a buyer asks to cancel only before the carrier has it.`,
      );
    }
    if (order.is_buyer_request_cancel) {
      throw new SimulatorError(
        'INVALID_STATE',
        `TikTok order "${order.id}" has a pending cancellation already.`,
      );
    }
    const now = seconds();
    const cancellation: TikTokCancellation = {
      cancel_id: randomDigits(19),
      order_id: order.id,
      cancel_type: 'BUYER_CANCEL',
      role: 'BUYER',
      cancel_status: 'CANCELLATION_REQUEST_PENDING',
      cancel_reason: reason,
      create_time: now,
      update_time: now,
      deadline: now + CANCELLATION_RESPONSE_SECONDS,
    };
    this.cancellations.set(cancellation.cancel_id, cancellation);
    order.is_buyer_request_cancel = true;
    order.update_time = now;
    return cancellation;
  }

  /** The cancellation as Search Cancellations returns it. */
  renderCancellation(c: TikTokCancellation): Record<string, unknown> {
    return {
      order_id: c.order_id,
      cancel_id: c.cancel_id,
      cancel_type: c.cancel_type,
      cancel_status: c.cancel_status,
      role: c.role,
      cancel_reason: c.cancel_reason,
      create_time: c.create_time,
      update_time: c.update_time,
      ...(c.cancel_status === 'CANCELLATION_REQUEST_PENDING'
        ? { seller_next_action_response: [{ action: 'SELLER_RESPOND_CANCEL', deadline: c.deadline }] }
        : {}),
    };
  }

  addOrder(input: SimTikTokOrderInput): string {
    if (typeof input?.total_amount !== 'string' || !/^\d+(\.\d+)?$/.test(input.total_amount)) {
      throw new SimulatorError('INVALID_ARGUMENT', 'total_amount must be a decimal string such as "12.34".');
    }
    if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency)) {
      throw new SimulatorError('INVALID_ARGUMENT', 'currency must be an ISO 4217 code such as "USD".');
    }
    const isText = (v: unknown) => typeof v === 'string' && v !== '';
    if (input.id !== undefined && !isText(input.id))
      throw new SimulatorError('INVALID_ARGUMENT', 'id must be a string.');
    if (input.status !== undefined && !isText(input.status)) {
      throw new SimulatorError('INVALID_ARGUMENT', 'status must be a string such as "AWAITING_SHIPMENT".');
    }
    if (
      input.package_ids !== undefined &&
      (!Array.isArray(input.package_ids) || !input.package_ids.every(isText))
    ) {
      throw new SimulatorError('INVALID_ARGUMENT', 'package_ids must be a list of strings.');
    }
    if (
      input.shipping_type !== undefined &&
      input.shipping_type !== 'TIKTOK' &&
      input.shipping_type !== 'SELLER'
    ) {
      throw new SimulatorError('INVALID_ARGUMENT', 'shipping_type must be "TIKTOK" or "SELLER".');
    }
    const id = input.id ?? randomDigits(18);
    if (this.orders.has(id))
      throw new SimulatorError('INVALID_ARGUMENT', `TikTok order "${id}" already exists.`);
    const packageIds = input.package_ids ?? [randomDigits(18)];
    for (const pkg of packageIds) {
      if (this.orderOfPackage(pkg))
        throw new SimulatorError('INVALID_ARGUMENT', `Package "${pkg}" already exists.`);
    }
    const now = seconds();
    const status = input.status ?? 'AWAITING_SHIPMENT';
    this.orders.set(id, {
      id,
      status,
      // Past UNPAID the buyer has paid at TikTok's checkout (docs/PROTOCOLS.md §3.8).
      ...(status === 'UNPAID' ? {} : { paid_time: now }),
      is_buyer_request_cancel: false,
      shipping_type: input.shipping_type ?? 'TIKTOK',
      delivery_option_id:
        input.shipping_type === 'SELLER' ? SELLER_DELIVERY_OPTION_ID : TIKTOK_DELIVERY_OPTION_ID,
      create_time: now,
      update_time: now,
      payment: {
        currency: input.currency,
        total_amount: input.total_amount,
        sub_total: input.total_amount,
        shipping_fee: '0',
        tax: '0',
      },
      packages: packageIds.map((pkg) => ({ id: pkg, shipped: false })),
    });
    return id;
  }

  orderOfPackage(packageId: string): TikTokOrder | undefined {
    for (const order of this.orders.values()) {
      if (order.packages.some((p) => p.id === packageId)) return order;
    }
    return undefined;
  }

  setStatus(order: TikTokOrder, status: string): void {
    order.status = status;
    order.update_time = seconds();
  }

  recordShipment(shipment: Omit<TikTokShipment, 'at'>): void {
    const list = this.shipments.get(shipment.order_id) ?? [];
    list.push({ ...shipment, at: Date.now() });
    this.shipments.set(shipment.order_id, list);
  }

  /** The order as GET /order/202309/orders returns it. */
  render(order: TikTokOrder): Record<string, unknown> {
    return {
      id: order.id,
      status: order.status,
      shipping_type: order.shipping_type,
      delivery_option_id: order.delivery_option_id,
      create_time: order.create_time,
      update_time: order.update_time,
      ...(order.paid_time === undefined ? {} : { paid_time: order.paid_time }),
      is_buyer_request_cancel: order.is_buyer_request_cancel,
      payment: { ...order.payment },
      packages: order.packages.map((p) => ({ id: p.id })),
    };
  }
}
