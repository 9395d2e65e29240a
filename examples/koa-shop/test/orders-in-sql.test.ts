// The shop's orders in SQL, on both engines it runs on: the embedded PGlite (the default) and a real
// PostgreSQL (DATABASE_URL). One behaviour, checked on each.
import type { SqlDatabase } from '@ttpay/store-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, freshSchema, urlInSchema } from '../../../test/support/postgres.js';
import { openDatabase, type ShopDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { MIGRATIONS } from '../src/db/migrations.js';
import { OrderExistsError, type OrderRecord } from '../src/orders/order-repository.js';
import { SqlOrderRepository } from '../src/orders/sql-order-repository.js';

function order(outOrderNo: string, extra: Partial<OrderRecord> = {}): OrderRecord {
  const now = new Date().toISOString();
  return {
    outOrderNo,
    channel: 'douyin-ecpay',
    amount: 9900,
    currency: 'CNY',
    status: 'created',
    subject: 'Oolong tea, 250 g',
    createdAt: now,
    updatedAt: now,
    refundedAmount: 0,
    refunds: [],
    settlements: [],
    ...extra,
  };
}

const engines: Array<{ name: string; open: () => Promise<{ db: ShopDatabase; done: () => Promise<void> }> }> =
  [
    {
      name: 'PGlite (embedded, in memory)',
      open: async () => {
        const db = await openDatabase({ dataDir: 'memory://' });
        return { db, done: () => db.close() };
      },
    },
    {
      name: 'PostgreSQL (DATABASE_URL)',
      open: async () => {
        const admin = await connectPostgres();
        const schema = await freshSchema(admin, 'orders');
        const db = await openDatabase({ databaseUrl: urlInSchema(schema.name), dataDir: 'unused' });
        return {
          db,
          done: async () => {
            await db.close();
            await schema.drop();
            await admin.end();
          },
        };
      },
    },
  ];

describe.each(engines)('orders on $name', ({ open }) => {
  let db: ShopDatabase;
  let done: () => Promise<void>;
  let orders: SqlOrderRepository;

  beforeAll(async () => {
    ({ db, done } = await open());
    orders = new SqlOrderRepository(db.sql);
  });
  afterAll(async () => {
    await done?.();
  });

  it('creates, reads back every field, and refuses a second order with the same number', async () => {
    const o = order('o-1', {
      platformOrderId: 'N1',
      algovoi: {
        payer: 'Acme Fulfilment Ltd',
        amount: '12.34',
        currency: 'USD',
        label: 'Settlement of o-1 — Acme Fulfilment Ltd',
        link: 'created',
        requestedAt: new Date().toISOString(),
        token: 'tok_1',
        checkoutUrl: 'https://pay.example/checkout/tok_1',
        linkCreatedAt: new Date().toISOString(),
      },
    });
    await orders.create(o);
    expect(await orders.get('o-1')).toEqual(o);
    expect(await orders.findByPlatformOrderId('N1')).toEqual(o);
    expect(await orders.findByCheckoutToken('tok_1')).toEqual(o);
    await expect(orders.create(order('o-1'))).rejects.toBeInstanceOf(OrderExistsError);
    expect(await orders.get('nope')).toBeUndefined();
  });

  it('update reads, changes and records the event atomically: 40 concurrent refunds all count', async () => {
    await orders.create(order('o-2', { amount: 100_000 }));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        orders.update(
          'o-2',
          (o) =>
            o && {
              ...o,
              refundedAmount: o.refundedAmount + 10,
              refunds: [...o.refunds, { refundNo: `r${i}`, amount: 10, status: 'SUCCESS', at: o.updatedAt }],
            },
          {
            platform: 'douyin',
            type: 'ecpay.refund',
            key: `refund-${i}`,
            ref: `r${i}`,
            at: new Date().toISOString(),
          },
        ),
      ),
    );
    const after = await orders.get('o-2');
    expect(after?.refundedAmount).toBe(400);
    expect(after?.refunds).toHaveLength(40);
    const keys = (await orders.events()).map((e) => e.key).filter((k) => k.startsWith('refund-'));
    expect(new Set(keys).size).toBe(40);
  });

  it('an update that changes nothing records no event', async () => {
    await orders.create(order('o-3'));
    const before = (await orders.events()).length;
    const result = await orders.update('o-3', () => undefined, {
      platform: 'douyin',
      type: 'ecpay.payment',
      key: 'k-none',
      ref: 'o-3',
      at: new Date().toISOString(),
    });
    expect(result.changed).toBe(false);
    expect((await orders.events()).length).toBe(before);
  });

  it('within(tx): the writes belong to the caller’s transaction and vanish with its rollback', async () => {
    await orders.create(order('o-4'));
    await expect(
      db.sql.transaction(async (tx) => {
        const inTx = orders.within(tx);
        await inTx.update('o-4', (o) => o && { ...o, status: 'paid' }, {
          platform: 'douyin',
          type: 'ecpay.payment',
          key: 'k-rolled-back',
          ref: 'o-4',
          at: new Date().toISOString(),
        });
        expect((await inTx.get('o-4'))?.status).toBe('paid'); // visible inside
        throw new Error('the handler failed after writing');
      }),
    ).rejects.toThrow('the handler failed');
    expect((await orders.get('o-4'))?.status).toBe('created');
    expect((await orders.events()).some((e) => e.key === 'k-rolled-back')).toBe(false);
  });

  it('lists open Douyin orders in order-number order after a cursor, and anomalies by order', async () => {
    const old = new Date(Date.now() - 3_600_000).toISOString();
    await orders.create(order('o-old', { createdAt: old }));
    await orders.create(order('o-tiktok-old', { createdAt: old, channel: 'tiktok' }));
    await orders.create(order('o-paid-old', { createdAt: old, status: 'paid' }));
    const waiting = (await orders.openPayments(undefined, 100, 60_000)).map((o) => o.outOrderNo);
    expect((await orders.openPayments('o-old', 100, 60_000)).map((o) => o.outOrderNo)).not.toContain('o-old');
    expect(waiting).toContain('o-old');
    expect(waiting).not.toContain('o-tiktok-old');
    expect(waiting).not.toContain('o-paid-old');
    expect(waiting).not.toContain('o-1'); // just created

    await orders.recordAnomaly({
      kind: 'amount-mismatch',
      platform: 'douyin',
      key: 'k',
      ref: 'o-old',
      outOrderNo: 'o-old',
      detail: 'paid 1 fen',
      at: new Date().toISOString(),
    });
    expect(await orders.anomalies({ outOrderNo: 'o-old' })).toMatchObject([
      { kind: 'amount-mismatch', key: 'k' },
    ]);
    expect(await orders.anomalies({ outOrderNo: 'o-1' })).toEqual([]);
  });

  it('lists refunds and settlements in progress (PROCESSING, old enough) by number after a cursor', async () => {
    const old = new Date(Date.now() - 3_600_000).toISOString();
    const refund = (refundNo: string, status: string, at = old) => ({ refundNo, amount: 100, status, at });
    await orders.create(
      order('o-money', {
        status: 'paid',
        platformOrderId: 'N-money',
        refunds: [refund('rf-b', 'PROCESSING'), refund('rf-a', 'PROCESSING'), refund('rf-done', 'SUCCESS')],
        settlements: [{ settleNo: 'st-a', amount: null, status: 'PROCESSING', at: old }],
      }),
    );
    await orders.create(
      order('o-young', {
        status: 'paid',
        refunds: [refund('rf-young', 'PROCESSING', new Date().toISOString())],
      }),
    );
    await orders.create(
      order('o-tiktok-money', { channel: 'tiktok', refunds: [refund('rf-tiktok', 'PROCESSING')] }),
    );

    expect(await orders.inProgress('refunds', undefined, 10, 60_000)).toEqual([
      { number: 'rf-a', outOrderNo: 'o-money', channel: 'douyin-ecpay', platformOrderId: 'N-money' },
      { number: 'rf-b', outOrderNo: 'o-money', channel: 'douyin-ecpay', platformOrderId: 'N-money' },
    ]);
    expect((await orders.inProgress('refunds', 'rf-a', 10, 60_000)).map((r) => r.number)).toEqual(['rf-b']);
    expect((await orders.inProgress('refunds', undefined, 1, 60_000)).map((r) => r.number)).toEqual(['rf-a']);
    expect((await orders.inProgress('settlements', undefined, 10, 60_000)).map((s) => s.number)).toEqual([
      'st-a',
    ]);
  });

  it('migrations run once: a second run applies nothing', async () => {
    expect(await migrate(db.sql)).toEqual([]);
  });
});

describe('migrations on a real PostgreSQL', () => {
  let admin: pg.Pool;
  let schema: { name: string; drop: () => Promise<void> };
  beforeAll(async () => {
    admin = await connectPostgres();
    schema = await freshSchema(admin, 'migrate');
  });
  afterAll(async () => {
    await schema?.drop();
    await admin?.end();
  });

  it('four instances starting at once apply each migration exactly once', async () => {
    const pools = Array.from(
      { length: 4 },
      () => new pg.Pool({ connectionString: urlInSchema(schema.name) }),
    );
    try {
      const { pgDatabase } = await import('@ttpay/store-postgres');
      const results = await Promise.all(pools.map((p) => migrate(pgDatabase(p) as SqlDatabase<unknown>)));
      expect(results.flat()).toEqual(MIGRATIONS.map((m) => m.version));
      const { rows } = await admin.query(
        `SELECT version FROM "${schema.name}".shop_migrations ORDER BY version`,
      );
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
