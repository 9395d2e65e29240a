import {
  type Anomaly,
  type AppliedEvent,
  type OrderChange,
  OrderExistsError,
  type OrderRecord,
  type OrderRepository,
} from '../src/orders/order-repository.js';

/**
 * A test double: orders in this process. Each method runs without an `await` inside, so each is atomic
 * in Node's single thread. `within(tx)` returns the repository itself: its writes do NOT join the
 * store's transaction — fine for tests about routes, jobs and shutdown, never for exactly-once ones
 * (those run on PostgreSQL through SqlOrderRepository).
 */
/** Bounded, so a long-running demo shop cannot grow without limit. */
const MAX_EVENTS = 10_000;

export class InMemoryOrderRepository implements OrderRepository {
  within(): OrderRepository {
    return this;
  }

  readonly #orders = new Map<string, OrderRecord>();
  readonly #byPlatformOrderId = new Map<string, string>();
  readonly #byCheckoutToken = new Map<string, string>();
  readonly #events: AppliedEvent[] = [];
  readonly #anomalies: Anomaly[] = [];

  async get(outOrderNo: string): Promise<OrderRecord | undefined> {
    return copy(this.#orders.get(outOrderNo));
  }

  async findByPlatformOrderId(platformOrderId: string): Promise<OrderRecord | undefined> {
    const outOrderNo = this.#byPlatformOrderId.get(platformOrderId);
    return outOrderNo === undefined ? undefined : copy(this.#orders.get(outOrderNo));
  }

  async findByCheckoutToken(token: string): Promise<OrderRecord | undefined> {
    const outOrderNo = this.#byCheckoutToken.get(token);
    return outOrderNo === undefined ? undefined : copy(this.#orders.get(outOrderNo));
  }

  async create(order: OrderRecord): Promise<void> {
    if (this.#orders.has(order.outOrderNo)) {
      throw new OrderExistsError(`Order ${order.outOrderNo} exists already.`);
    }
    this.#put(order);
  }

  async update(
    outOrderNo: string,
    change: OrderChange,
    event?: AppliedEvent,
  ): Promise<{ order: OrderRecord | undefined; changed: boolean }> {
    const current = this.#orders.get(outOrderNo);
    const next = change(copy(current));
    if (next === undefined) return { order: copy(current), changed: false };
    if (next.outOrderNo !== outOrderNo) throw new Error('update() must not change outOrderNo.');
    const stored = { ...next, updatedAt: new Date().toISOString() };
    this.#put(stored);
    if (event) this.#record(this.#events, event);
    return { order: copy(stored), changed: true };
  }

  async recordAnomaly(anomaly: Anomaly): Promise<void> {
    this.#record(this.#anomalies, anomaly);
  }

  async anomalies(filter: { outOrderNo?: string } = {}): Promise<Anomaly[]> {
    return this.#anomalies
      .filter((a) => filter.outOrderNo === undefined || a.outOrderNo === filter.outOrderNo)
      .map((a) => ({ ...a }));
  }

  async events(): Promise<AppliedEvent[]> {
    return this.#events.map((e) => ({ ...e }));
  }

  #put(order: OrderRecord): void {
    const stored = structuredClone(order);
    this.#orders.set(order.outOrderNo, stored);
    if (stored.platformOrderId) this.#byPlatformOrderId.set(stored.platformOrderId, stored.outOrderNo);
    if (stored.algovoi?.token) this.#byCheckoutToken.set(stored.algovoi.token, stored.outOrderNo);
  }

  #record<T extends object>(list: T[], item: T): void {
    list.push({ ...item });
    if (list.length > MAX_EVENTS) list.splice(0, list.length - MAX_EVENTS);
  }
}

function copy(order: OrderRecord | undefined): OrderRecord | undefined {
  return order === undefined ? undefined : structuredClone(order);
}
