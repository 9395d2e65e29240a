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

const seconds = () => Math.floor(Date.now() / 1000);

/** The orders, packages, shipments and access tokens of the one simulated shop. */
export class TikTokStore {
  readonly orders = new Map<string, TikTokOrder>();
  readonly shipments = new Map<string, TikTokShipment[]>();
  /** Tokens the Open API accepts: the configured one plus any issued by /api/v2/token/refresh. */
  readonly accessTokens = new Set<string>();

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
    this.orders.set(id, {
      id,
      status: input.status ?? 'AWAITING_SHIPMENT',
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
      payment: { ...order.payment },
      packages: order.packages.map((p) => ({ id: p.id })),
    };
  }
}
