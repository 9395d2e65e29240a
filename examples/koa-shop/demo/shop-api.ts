import type { AppliedEvent, OrderRecord } from '#shop/orders/order-repository';

export interface JsonReply {
  status: number;
  json: Record<string, unknown>;
}

export type OrderView = OrderRecord & { anomalies: unknown[] };

/** The shop's HTTP API as a client sees it (the demo talks to the shop over HTTP only). */
export class ShopApi {
  constructor(readonly url: string) {}

  async post(path: string, body: unknown): Promise<JsonReply> {
    return reply(
      await fetch(`${this.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  }

  /** A signed delivery (from @ttpay/testing's fixtures), sent byte for byte. */
  async deliver(
    path: string,
    delivery: { body: Buffer; headers: Record<string, string> },
  ): Promise<JsonReply> {
    return reply(
      await fetch(`${this.url}${path}`, { method: 'POST', headers: delivery.headers, body: delivery.body }),
    );
  }

  async order(outOrderNo: string): Promise<OrderView | undefined> {
    const res = await fetch(`${this.url}/orders/${encodeURIComponent(outOrderNo)}`);
    return res.status === 200 ? ((await res.json()) as OrderView) : undefined;
  }

  async events(): Promise<AppliedEvent[]> {
    return (await (await fetch(`${this.url}/events`)).json()) as AppliedEvent[];
  }

  /** Polls the order until `ready` holds (a job finished) or `timeoutMs` passes. */
  async waitForOrder(
    outOrderNo: string,
    ready: (order: OrderView) => boolean,
    timeoutMs = 10_000,
  ): Promise<OrderView | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const order = await this.order(outOrderNo);
      if (order && ready(order)) return order;
      if (Date.now() > deadline) return order;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function reply(res: Response): Promise<JsonReply> {
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}
