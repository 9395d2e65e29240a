import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shop } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { captureLogger, createTestShop, testEnv } from './helpers.js';

/**
 * `POST /orders` reads its body with @koa/bodyparser: the codes of the hand-written reader it replaced
 * hold for the bodies no other test sends.
 */
let shop: Shop;
beforeAll(async () => {
  shop = await createTestShop(await loadConfig(await testEnv()), { logger: captureLogger().logger });
});
afterAll(() => shop.stop());

const post = (body: string, headers: Record<string, string> = {}) =>
  request(shop.app.callback())
    .post('/orders')
    .set({ 'content-type': 'application/json', ...headers })
    .send(body);

describe('POST /orders with a body that is no order', () => {
  it.each([
    ['empty', '', 'MALFORMED_JSON'],
    ['blank', '  ', 'MALFORMED_JSON'],
    ['a JSON string', '"tea"', 'MALFORMED_REQUEST'],
    ['a JSON number', '9900', 'MALFORMED_REQUEST'],
    ['null', 'null', 'MALFORMED_REQUEST'],
  ])('%s → 400 %s', async (_, body, code) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: code });
  });

  it('a body over 16 KiB declared up front → 413 BODY_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ subject: 'Tea', amount: 1, pad: 'x'.repeat(16 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'BODY_TOO_LARGE' });
  });

  it('an error reply never carries a stack', async () => {
    const res = await post('{"amount": NaN}');
    expect(res.body).toEqual({ error: 'MALFORMED_JSON', message: 'The body is not valid JSON.' });
  });
});
