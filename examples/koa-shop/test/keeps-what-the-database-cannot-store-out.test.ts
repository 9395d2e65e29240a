// Hygiene: text PostgreSQL cannot store (NUL; a lone surrogate the driver would silently replace) is
// refused on POST /orders before any write, and a platform-signed callback carrying it is acknowledged
// and recorded as an anomaly — stored escaped — instead of a 500 the platform would retry for a day.
// And the idempotency table is purged by a scheduled job.
import { signedEcpayCallback, signedTikTokWebhook } from '@ttpay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, postJson, type Running, startShopWithSimulator, until } from './helpers.js';

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';
let run: Running;
beforeAll(async () => {
  run = await startShopWithSimulator();
});
afterAll(() => run?.close());

const orderCount = async () =>
  Number((await run.shop.database.sql.query('SELECT count(*) AS n FROM orders')).rows[0]?.n);

describe('POST /orders', () => {
  it.each([
    ['a NUL in the subject', { subject: 'Tea\u0000', amount: 100 }],
    ['a NUL in the body', { subject: 'Tea', body: 'x\u0000y', amount: 100 }],
    ['a lone surrogate in the subject', { subject: 'Tea \ud800', amount: 100 }],
  ])('%s → 400 UNSTORABLE_TEXT, nothing written', async (_, body) => {
    const before = await orderCount();
    const reply = await postJson(`${run.url}/orders`, body);
    expect(reply).toMatchObject({ status: 400, json: { error: 'UNSTORABLE_TEXT' } });
    expect(await orderCount()).toBe(before);
  });
});

describe('a signed callback carrying text the database cannot store', () => {
  it('ecpay payment with a NUL in cp_orderno: acknowledged, recorded as an anomaly, escaped', async () => {
    const callback = signedEcpayCallback({
      type: 'payment',
      msg: { cp_orderno: 'dy_\u0000evil', total_amount: 100 },
    });
    expect(await deliver(`${run.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    const anomalies = await run.shop.orders.anomalies();
    expect(anomalies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'unstorable-text', platform: 'douyin', ref: 'dy_\ufffdevil' }),
      ]),
    );
    // A redelivery is a duplicate: acknowledged again, recorded once.
    expect(await deliver(`${run.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect((await run.shop.orders.anomalies()).filter((a) => a.kind === 'unstorable-text')).toHaveLength(1);
  });

  it('TikTok order id with a NUL: acknowledged (200), no order and no job, an anomaly', async () => {
    const webhook = signedTikTokWebhook({
      type: 1,
      data: { order_id: '123\u0000', order_status: 'AWAITING_SHIPMENT' },
    });
    expect((await deliver(`${run.url}/tiktok/webhook`, webhook)).status).toBe(200);
    const anomalies = (await run.shop.orders.anomalies()).filter((a) => a.platform === 'tiktok');
    expect(anomalies).toEqual([expect.objectContaining({ kind: 'unstorable-text' })]);
    await run.shop.jobs.idle();
  });
});

it('the purge job deletes the idempotency keys whose lease or done-record ran out, and runs on a schedule', async () => {
  const sql = run.shop.database.sql;
  await sql.query(
    `INSERT INTO ttpay_idempotency (key, state, token, expires_at) VALUES
       ('purge-test:expired', 'done', 't1', now() - interval '1 minute'),
       ('purge-test:live', 'done', 't2', now() + interval '1 day')`,
  );
  await run.shop.jobs.add(undefined, 'purge-idempotency', {}, 'now');
  await until(async () => {
    const { rows } = await sql.query(`SELECT key FROM ttpay_idempotency WHERE key LIKE 'purge-test:%'`);
    return rows.length === 1 ? rows : undefined;
  }, 10_000);
  const { rows } = await sql.query(`SELECT key FROM ttpay_idempotency WHERE key LIKE 'purge-test:%'`);
  expect(rows.map((r) => r.key)).toEqual(['purge-test:live']);
  const schema = (await sql.query('SELECT current_schema() AS s')).rows[0]?.s as string;
  const schedules = await sql.query(`SELECT name, cron FROM "${schema}_jobs".schedule`);
  expect(schedules.rows).toEqual([{ name: 'purge-idempotency', cron: '17 * * * *' }]);
});
