import { readFileSync } from 'node:fs';
import { demoCredentials, signedEcpayCallback } from '@ttpay/testing';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectPostgres, freshSchema, urlInSchema } from '../../../test/support/postgres.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');

let admin: import('pg').Pool | undefined;
let schema: { name: string; drop: () => Promise<void> } | undefined;
let close: (() => Promise<void>) | undefined;
const savedEnv = { DATABASE_URL: process.env.DATABASE_URL, DOUYIN_TOKEN: process.env.DOUYIN_TOKEN };

beforeAll(async () => {
  admin = await connectPostgres(); // fails with how to start PostgreSQL when there is none
  schema = await freshSchema(admin, 'readme');
});

afterAll(async () => {
  await close?.();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await schema?.drop();
  await admin?.end();
});

it('the README shows test/readme-example.ts verbatim', () => {
  expect(readme).toContain(['```ts', example.trimEnd(), '```'].join('\n'));
});

it('the README example runs against PostgreSQL: a payment and its duplicate make one row', async () => {
  process.env.DATABASE_URL = urlInSchema(schema?.name ?? '');
  process.env.DOUYIN_TOKEN = demoCredentials.douyin.token;
  const { app, pool, store } = await import('./readme-example.js');
  close = async () => {
    await store.close();
    await pool.end();
  };
  const d = signedEcpayCallback({ type: 'payment', msg: { total_amount: 9900 } });
  for (let i = 0; i < 2; i++) {
    await request(app.callback())
      .post('/douyin/notify')
      .set(d.headers)
      .serialize((body) => body)
      .send(d.body)
      .expect(200, '{"err_no":0,"err_tips":"success"}');
  }
  const { rows } = await pool.query('SELECT out_order_no, amount FROM paid_orders');
  expect(rows).toEqual([{ out_order_no: JSON.parse(JSON.parse(d.rawBody).msg).cp_orderno, amount: '9900' }]);
});
