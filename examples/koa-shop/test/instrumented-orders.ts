import type {
  Anomaly,
  AppliedEvent,
  OrderChange,
  OrderRecord,
  OrderRepository,
} from '../src/orders/order-repository.js';

/**
 * One instance's view of a shared order database (`inner`, shared by every instance in the test, as a
 * real database would be), counting how often this instance's handlers got as far as applying each event
 * — every Douyin/TikTok handler run ends in `update(…, event)` — and able to slow or crash that step.
 */
export class InstrumentedOrders implements OrderRepository {
  /** Event key → how many times a handler of this instance reached `update` with it. */
  readonly handlerRuns: Map<string, number>;
  readonly hooks: { beforeApply: ((event: AppliedEvent) => Promise<void> | void) | undefined };

  constructor(
    readonly inner: OrderRepository,
    shared?: InstrumentedOrders,
  ) {
    this.handlerRuns = shared?.handlerRuns ?? new Map();
    this.hooks = shared?.hooks ?? { beforeApply: undefined };
  }

  /** Runs before each counted `update`: wait in it to hold a handler in flight, throw to crash it. */
  get beforeApply(): ((event: AppliedEvent) => Promise<void> | void) | undefined {
    return this.hooks.beforeApply;
  }
  set beforeApply(hook: ((event: AppliedEvent) => Promise<void> | void) | undefined) {
    this.hooks.beforeApply = hook;
  }

  /** Inside the store's transaction: the same counts and hooks, the writes in that transaction. */
  within(tx: unknown): OrderRepository {
    if (!this.inner.within) throw new Error('the wrapped repository cannot join a transaction');
    return new InstrumentedOrders(this.inner.within(tx), this);
  }

  runs(key: string): number {
    return this.handlerRuns.get(key) ?? 0;
  }

  async update(
    outOrderNo: string,
    change: OrderChange,
    event?: AppliedEvent,
  ): Promise<{ order: OrderRecord | undefined; changed: boolean }> {
    if (event) {
      this.handlerRuns.set(event.key, this.runs(event.key) + 1);
      await this.beforeApply?.(event);
    }
    return this.inner.update(outOrderNo, change, event);
  }

  get(outOrderNo: string): Promise<OrderRecord | undefined> {
    return this.inner.get(outOrderNo);
  }
  findByPlatformOrderId(platformOrderId: string): Promise<OrderRecord | undefined> {
    return this.inner.findByPlatformOrderId(platformOrderId);
  }
  findByCheckoutToken(token: string): Promise<OrderRecord | undefined> {
    return this.inner.findByCheckoutToken(token);
  }
  create(order: OrderRecord): Promise<void> {
    return this.inner.create(order);
  }
  recordAnomaly(anomaly: Anomaly): Promise<void> {
    return this.inner.recordAnomaly(anomaly);
  }
  anomalies(filter?: { outOrderNo?: string }): Promise<Anomaly[]> {
    return this.inner.anomalies(filter);
  }
  events(): Promise<AppliedEvent[]> {
    return this.inner.events();
  }
}
