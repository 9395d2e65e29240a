import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SignedDelivery, signedEcpayCallback } from '@ttpay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { deliver, type Running, startShopWithSimulator } from './helpers.js';
import { openRaw, postHead, type RawConnection, statusOf } from './raw-socket.js';

/**
 * The attacks of issue 15 against the shop's own HTTP server, over real sockets: a body trickled a byte
 * a second (it used to hold the request for 309 s), and a flood of idle connections (~20 000 used to
 * exhaust file descriptors until a valid callback got no answer). The limits are shortened through the
 * environment so the cut-offs happen within the test.
 */

let run: Running | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

const DOUYIN_ACK = '{"err_no":0,"err_tips":"success"}';

/**
 * An order created through the shop (on a connection that is closed afterwards, so it holds no slot),
 * and the signed payment callback Douyin would send for it.
 */
async function orderAndPaymentCallback(url: string) {
  const body = JSON.stringify({ subject: 'Oolong tea', amount: 9900 });
  const created = await new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = request(`${url}/orders`, { method: 'POST', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      );
    });
    req.on('error', reject);
    req.setHeader('content-type', 'application/json');
    req.end(body);
  });
  expect(created.status).toBe(201);
  const outOrderNo = String(created.json.outOrderNo);
  const callback = signedEcpayCallback({
    type: 'payment',
    msg: { cp_orderno: outOrderNo, total_amount: 9900 },
  });
  return { outOrderNo, callback };
}

/** One delivery on its own connection, as a platform sends it: the status, or the socket error's code. */
function deliverOnce(url: string, d: SignedDelivery): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent: false, headers: d.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(d.body);
  });
}

describe('server limits from the environment', () => {
  it('defaults: headers 10 s, whole request 15 s, keep-alive 5 s, 512 connections', async () => {
    expect((await loadConfig({})).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 512,
    });
  });

  it('HTTP_* variables override them; nonsense is refused by name', async () => {
    const config = await loadConfig({
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '3000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
      HTTP_MAX_CONNECTIONS: '64',
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 64,
    });
    for (const [name, value] of [
      ['HTTP_MAX_CONNECTIONS', '0'],
      ['HTTP_MAX_CONNECTIONS', 'lots'],
      ['HTTP_REQUEST_TIMEOUT_MS', '-1'],
      ['HTTP_HEADERS_TIMEOUT_MS', '20000'], // longer than the request timeout
    ] as const) {
      await expect(loadConfig({ [name]: value })).rejects.toThrow(name);
    }
  });
});

describe('a body trickled one byte a second', () => {
  it('is cut off at the request timeout with 408; no handler runs; the same delivery sent whole is applied', async () => {
    run = await startShopWithSimulator({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' });
    const { outOrderNo, callback } = await orderAndPaymentCallback(run.url);
    const conn = await openRaw(run.url);
    conn.socket.write(postHead('/douyin/notify', callback.body.length));
    let sent = 0;
    const closed = conn.closed.then(() => true);
    while (sent < callback.body.length) {
      conn.socket.write(callback.body.subarray(sent, sent + 1));
      sent++;
      if (await Promise.race([closed, sleep(1000).then(() => false)])) break;
    }
    await conn.closed;

    expect(statusOf(conn.received())).toBe(408);
    expect(conn.closedByServer()).toBe(true);
    expect(sent).toBeLessThan(callback.body.length);
    expect(await run.shop.orders.events()).toEqual([]);
    expect((await run.shop.orders.get(outOrderNo))?.status).toBe('created');

    // Not the delivery's fault: sent at once, it is verified, applied and acknowledged.
    expect(await deliver(`${run.url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect((await run.shop.orders.get(outOrderNo))?.status).toBe('paid');
  }, 20_000);
});

describe('a flood of idle connections', () => {
  it('beyond the cap they are closed on arrival; the ones held are cut at the headers timeout; a callback then gets through', async () => {
    const cap = 5;
    run = await startShopWithSimulator({
      HTTP_MAX_CONNECTIONS: String(cap),
      HTTP_HEADERS_TIMEOUT_MS: '3000',
      HTTP_REQUEST_TIMEOUT_MS: '3000',
    });
    const { url } = run;
    const { outOrderNo, callback } = await orderAndPaymentCallback(url);
    // The attacker: connections that send nothing. The first `cap` take every slot.
    const held: RawConnection[] = [];
    for (let i = 0; i < cap; i++) held.push(await openRaw(url));
    const flood: RawConnection[] = [];
    for (let i = 0; i < 40; i++) flood.push(await openRaw(url));
    await Promise.all(flood.map((c) => c.closed));

    // Every connection over the cap was closed by the server at once, without a byte.
    expect(flood.every((c) => c.closedByServer() && c.received() === '')).toBe(true);
    // While the slots are held, a delivery is refused at connect too: the platform will retry it.
    expect(['ECONNRESET', 'EPIPE']).toContain(await deliverOnce(`${url}/douyin/notify`, callback));

    // The held connections do not hold forever: each is answered 408 and closed at the headers timeout.
    await Promise.all(held.map((c) => c.closed));
    expect(held.map((c) => statusOf(c.received()))).toEqual(Array(cap).fill(408));
    expect(held.every((c) => c.closedByServer())).toBe(true);

    // The platform's retry is answered, and the payment applied.
    expect(await deliver(`${url}/douyin/notify`, callback)).toEqual({ status: 200, text: DOUYIN_ACK });
    expect((await run.shop.orders.get(outOrderNo))?.status).toBe('paid');
    // The cap at work is logged as a warning (not once per connection).
    const warnings = run.logs.lines.filter((l) => String(l.msg).startsWith('connection cap reached'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThan(flood.length);
  }, 20_000);
});
