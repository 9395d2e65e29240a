import type { SqlDatabase, SqlQuery } from '@ttpay/store-postgres';
import {
  type AlgoVoiSettlement,
  type Anomaly,
  type AppliedEvent,
  type OrderChange,
  OrderExistsError,
  type OrderRecord,
  type OrderRepository,
  type Queryable,
} from './order-repository.js';

const ORDER_COLUMNS = `out_order_no, channel, amount, currency, status, subject, platform_order_id,
  platform_status, platform_status_time, created_at, updated_at, paid_at, refunded_amount, refunds,
  settlements, algovoi`;
const PLACEHOLDERS = Array.from({ length: 16 }, (_, i) => `$${i + 1}`).join(', ');

/** Bounded answers for `GET /events` and anomaly lists: the newest first-N, oldest first. */
const LIST_LIMIT = 10_000;

/**
 * The shop's orders in PostgreSQL (or the embedded PGlite): one row per order, the applied events and
 * anomalies beside it. `update` reads the order `FOR UPDATE`, changes it and records the event in one
 * transaction. `within(tx)` gives the same repository on a transaction someone else opened — the one
 * @ttpay/store-postgres runs a webhook handler in (`ctx.payment.tx`), so the order change, the applied
 * event and the idempotency store's done-record commit together.
 */
export class SqlOrderRepository implements OrderRepository {
  readonly #query: SqlQuery;
  /** Runs `work` in a transaction: its own, or (within a transaction already) inline. */
  readonly #transaction: <R>(work: (query: SqlQuery) => Promise<R>) => Promise<R>;

  constructor(database: SqlDatabase<unknown>) {
    this.#query = database.query;
    this.#transaction = (work) => database.transaction((_tx, query) => work(query));
  }

  /** The repository on a transaction already open (`ctx.payment.tx`): every method runs inside it. */
  within(tx: unknown): SqlOrderRepository {
    return SqlOrderRepository.on(tx as Queryable);
  }

  /** A repository on one connection or transaction (`pg` client, PGlite transaction). */
  static on(tx: Queryable): SqlOrderRepository {
    const query: SqlQuery = async (text, values) => {
      const result = (await tx.query(text, values)) as {
        rows: Record<string, unknown>[];
        rowCount?: number | null;
        affectedRows?: number;
      };
      return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
    };
    return new SqlOrderRepository({ query, transaction: (work) => work(tx, query) });
  }

  async get(outOrderNo: string): Promise<OrderRecord | undefined> {
    if (!isStorable(outOrderNo)) return undefined; // no order can have it: text cannot hold it
    const { rows } = await this.#query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE out_order_no = $1`, [
      outOrderNo,
    ]);
    return rows[0] && toOrder(rows[0]);
  }

  async findByPlatformOrderId(platformOrderId: string): Promise<OrderRecord | undefined> {
    if (!isStorable(platformOrderId)) return undefined; // no order can have it: text cannot hold it
    const { rows } = await this.#query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE platform_order_id = $1`, [
      platformOrderId,
    ]);
    return rows[0] && toOrder(rows[0]);
  }

  async findByCheckoutToken(token: string): Promise<OrderRecord | undefined> {
    if (!isStorable(token)) return undefined; // no order can have it: text cannot hold it
    const { rows } = await this.#query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE checkout_token = $1`, [
      token,
    ]);
    return rows[0] && toOrder(rows[0]);
  }

  async create(order: OrderRecord): Promise<void> {
    try {
      await this.#query(`INSERT INTO orders (${ORDER_COLUMNS}) VALUES (${PLACEHOLDERS})`, toRow(order));
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505') {
        throw new OrderExistsError(`Order ${order.outOrderNo} exists already.`);
      }
      throw error;
    }
  }

  /**
   * Read, change, write, in one transaction, the row locked from the read on. An order that does not
   * exist yet is inserted with ON CONFLICT DO NOTHING: when a concurrent first write won, its row is read
   * again (now locked) and `change` decides on it — first writes are ordered like updates, never
   * last-writer-wins.
   */
  update(
    outOrderNo: string,
    change: OrderChange,
    event?: AppliedEvent,
  ): Promise<{ order: OrderRecord | undefined; changed: boolean }> {
    return this.#transaction(async (query) => {
      let collided = false;
      for (;;) {
        const { rows } = await query(
          `SELECT ${ORDER_COLUMNS} FROM orders WHERE out_order_no = $1 FOR UPDATE`,
          [outOrderNo],
        );
        const current = rows[0] && toOrder(rows[0]);
        const next = change(current === undefined ? undefined : structuredClone(current));
        if (next === undefined) return { order: current, changed: false };
        if (next.outOrderNo !== outOrderNo) throw new Error('update() must not change outOrderNo.');
        const stored: OrderRecord = { ...next, updatedAt: new Date().toISOString() };
        if (current) {
          await query(
            `UPDATE orders SET (${ORDER_COLUMNS}) = (${PLACEHOLDERS}) WHERE out_order_no = $1`,
            toRow(stored),
          );
        } else {
          // No conflict target: a concurrent first write may collide on platform_order_id first.
          const inserted = await query(
            `INSERT INTO orders (${ORDER_COLUMNS}) VALUES (${PLACEHOLDERS}) ON CONFLICT DO NOTHING`,
            toRow(stored),
          );
          if (inserted.rowCount === 0) {
            if (collided) throw new Error(`Order ${outOrderNo} collides with another order's unique field.`);
            collided = true;
            continue; // a concurrent first write committed: decide again on it, locked
          }
        }
        if (event) {
          await query(
            'INSERT INTO applied_events (platform, type, key, ref, at) VALUES ($1, $2, $3, $4, $5)',
            [event.platform, storable(event.type), storable(event.key), storable(event.ref), event.at],
          );
        }
        return { order: stored, changed: true };
      }
    });
  }

  async recordAnomaly(anomaly: Anomaly): Promise<void> {
    await this.#query(
      'INSERT INTO anomalies (kind, platform, key, ref, out_order_no, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [
        anomaly.kind,
        anomaly.platform,
        anomaly.key === undefined ? null : storable(anomaly.key),
        storable(anomaly.ref),
        anomaly.outOrderNo === undefined ? null : storable(anomaly.outOrderNo),
        storable(anomaly.detail),
        anomaly.at,
      ],
    );
  }

  async anomalies(filter: { outOrderNo?: string } = {}): Promise<Anomaly[]> {
    const { rows } = await this.#query(
      `SELECT * FROM (
         SELECT id, kind, platform, key, ref, out_order_no, detail, at FROM anomalies
         WHERE $1::text IS NULL OR out_order_no = $1 ORDER BY id DESC LIMIT ${LIST_LIMIT}
       ) newest ORDER BY id`,
      [filter.outOrderNo ?? null],
    );
    return rows.map((r) => ({
      kind: r.kind as Anomaly['kind'],
      platform: r.platform as Anomaly['platform'],
      ...(r.key === null ? {} : { key: r.key as string }),
      ref: r.ref as string,
      ...(r.out_order_no === null ? {} : { outOrderNo: r.out_order_no as string }),
      detail: r.detail as string,
      at: iso(r.at),
    }));
  }

  async events(): Promise<AppliedEvent[]> {
    const { rows } = await this.#query(
      `SELECT * FROM (SELECT id, platform, type, key, ref, at FROM applied_events ORDER BY id DESC LIMIT ${LIST_LIMIT}) newest ORDER BY id`,
    );
    return rows.map((r) => ({
      platform: r.platform as AppliedEvent['platform'],
      type: r.type as string,
      key: r.key as string,
      ref: r.ref as string,
      at: iso(r.at),
    }));
  }

  /**
   * Douyin orders still `created` and older than `olderThanMs`, after `after` in order-number order, at
   * most `limit`: reconciliation's fair rotation (`reconcilePayments` of @ttpay/client).
   */
  async openPayments(
    after: string | undefined,
    limit: number,
    olderThanMs: number,
  ): Promise<{ outOrderNo: string; channel: OrderRecord['channel']; createdAt: string }[]> {
    const { rows } = await this.#query(
      `SELECT out_order_no, channel, created_at FROM orders
       WHERE status = 'created' AND channel IN ('douyin-ecpay', 'douyin-trade')
         AND created_at <= now() - make_interval(secs => $1::double precision / 1000)
         AND ($2::text IS NULL OR out_order_no > $2)
       ORDER BY out_order_no LIMIT $3`,
      [olderThanMs, after ?? null, limit],
    );
    return rows.map((r) => ({
      outOrderNo: r.out_order_no as string,
      channel: r.channel as OrderRecord['channel'],
      createdAt: iso(r.created_at),
    }));
  }

  /**
   * Douyin refunds (`refunds`) or settlements (`settlements`) still `PROCESSING` and recorded longer than
   * `olderThanMs` ago, after `after` in number order, at most `limit`: the reconciliation's rotations.
   */
  async inProgress(
    kind: 'refunds' | 'settlements',
    after: string | undefined,
    limit: number,
    olderThanMs: number,
  ): Promise<InProgress[]> {
    const number = kind === 'refunds' ? 'refundNo' : 'settleNo';
    const { rows } = await this.#query(
      `SELECT m->>'${number}' AS number, o.out_order_no, o.channel, o.platform_order_id
       FROM orders o, jsonb_array_elements(o.${kind}) m
       WHERE o.${kind} @? '$[*] ? (@.status == "PROCESSING")'
         AND o.channel IN ('douyin-ecpay', 'douyin-trade') AND m->>'status' = 'PROCESSING'
         AND (m->>'at')::timestamptz <= now() - make_interval(secs => $1::double precision / 1000)
         AND ($2::text IS NULL OR m->>'${number}' > $2)
       ORDER BY m->>'${number}' LIMIT $3`,
      [olderThanMs, after ?? null, limit],
    );
    return rows.map((r) => ({
      number: r.number as string,
      outOrderNo: r.out_order_no as string,
      channel: r.channel as OrderRecord['channel'],
      ...(r.platform_order_id === null ? {} : { platformOrderId: r.platform_order_id as string }),
    }));
  }
}

/** A refund or settlement in progress, as the reconciliation rotation asks about it. */
export interface InProgress {
  /** The shop's refund or settlement number. */
  number: string;
  outOrderNo: string;
  channel: OrderRecord['channel'];
  platformOrderId?: string;
}

/** Text PostgreSQL can store as given: no NUL, no lone surrogate (the driver would replace it silently). */
export function isStorable(text: string): boolean {
  return !text.includes('\0') && text.isWellFormed();
}

/** What an anomaly or applied event records of text that is not storable: NUL and lone surrogates as U+FFFD. */
export function storable(text: string): string {
  return text.replaceAll('\0', '\uFFFD').toWellFormed();
}

function toRow(o: OrderRecord): unknown[] {
  return [
    o.outOrderNo,
    o.channel,
    o.amount,
    o.currency,
    o.status,
    o.subject ?? null,
    o.platformOrderId ?? null,
    o.platformStatus ?? null,
    o.platformStatusTime ?? null,
    o.createdAt,
    o.updatedAt,
    o.paidAt ?? null,
    o.refundedAmount,
    JSON.stringify(o.refunds),
    JSON.stringify(o.settlements),
    o.algovoi === undefined ? null : JSON.stringify(o.algovoi),
  ];
}

function toOrder(r: Record<string, unknown>): OrderRecord {
  return {
    outOrderNo: r.out_order_no as string,
    channel: r.channel as OrderRecord['channel'],
    amount: r.amount === null ? null : Number(r.amount),
    currency: r.currency as string,
    status: r.status as OrderRecord['status'],
    ...(r.subject === null ? {} : { subject: r.subject as string }),
    ...(r.platform_order_id === null ? {} : { platformOrderId: r.platform_order_id as string }),
    ...(r.platform_status === null ? {} : { platformStatus: r.platform_status as string }),
    ...(r.platform_status_time === null ? {} : { platformStatusTime: Number(r.platform_status_time) }),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    ...(r.paid_at === null ? {} : { paidAt: iso(r.paid_at) }),
    refundedAmount: Number(r.refunded_amount),
    refunds: json(r.refunds) as OrderRecord['refunds'],
    settlements: json(r.settlements) as OrderRecord['settlements'],
    ...(r.algovoi === null ? {} : { algovoi: json(r.algovoi) as AlgoVoiSettlement }),
  };
}

/** jsonb arrives parsed from both engines; text (a driver configured otherwise) is parsed here. */
function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
