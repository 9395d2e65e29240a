import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isTtpayError,
  type TtpayEvent,
  verifyAlgoVoiWebhook,
  verifyEcpayCallback,
  verifyTikTokWebhook,
  verifyTradeCallback,
} from '@ttpay/core';
import { isTradeCallbackBody } from '@ttpay/core/internal';
import { demoCredentials } from '@ttpay/testing';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBinaryBuilt, parseJson, runBinary } from './cli-binary.js';

const { douyin, tiktok, algovoi } = demoCredentials;

/**
 * A tiny app that verifies with @ttpay/core and replies as each platform expects (PROTOCOLS.md §1.3,
 * §3, §4): Douyin 200 {"err_no":0} / 400 {"err_no":…}; TikTok and AlgoVoi 200 / 401.
 */
function shop(received: TtpayEvent[]): Koa {
  const app = new Koa();
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const douyinRoute = ctx.path === '/douyin/notify';
    try {
      if (douyinRoute) {
        const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        received.push(
          isTradeCallbackBody(body)
            ? verifyTradeCallback(
                { headers: ctx.headers, rawBody: raw },
                { publicKey: douyin.platformPublicKey },
              )
            : verifyEcpayCallback({ rawBody: raw }, { token: douyin.token }),
        );
        ctx.body = { err_no: 0, err_tips: 'success' };
      } else if (ctx.path === '/tiktok/webhook') {
        received.push(
          verifyTikTokWebhook({ rawBody: raw, headers: { authorization: ctx.get('authorization') } }, tiktok),
        );
        ctx.body = '';
      } else if (ctx.path === '/algovoi/webhook') {
        received.push(
          verifyAlgoVoiWebhook(
            { rawBody: raw, headers: ctx.req.headersDistinct },
            { secret: algovoi.webhookSecret },
          ),
        );
        ctx.body = '';
      } else {
        ctx.status = 404;
      }
    } catch (error) {
      const code = isTtpayError(error) ? error.code : 'MALFORMED_BODY';
      if (douyinRoute) {
        ctx.status = 400;
        ctx.body = { err_no: 400, err_tips: code };
      } else {
        ctx.status = 401;
      }
    }
  });
  return app;
}

let server: Server;
let base: string;
const received: TtpayEvent[] = [];

beforeAll(async () => {
  assertBinaryBuilt();
  server = shop(received).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
});

const send = (...args: string[]) => runBinary(['send', ...args]);

describe('ttpay send: acknowledged deliveries exit 0', () => {
  it('ecpay.payment with --data merged over the fixture msg', async () => {
    const r = await send(
      'ecpay.payment',
      '--to',
      `${base}/douyin/notify`,
      '--data',
      '{"cp_orderno":"order_cli_7"}',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ecpay.payment cp_orderno=order_cli_7 -> POST');
    expect(r.stdout).toMatch(/\[1\] 200 \{"err_no":0,"err_tips":"success"\}\s+acknowledged/);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      system: 'ecpay',
      type: 'payment',
      msg: { cp_orderno: 'order_cli_7' },
    });
  });

  it.each([
    ['ecpay.refund', '/douyin/notify', { system: 'ecpay', type: 'refund' }],
    ['ecpay.settle', '/douyin/notify', { system: 'ecpay', type: 'settle' }],
    ['trade.payment', '/douyin/notify', { system: 'trade', type: 'payment' }],
    ['trade.refund', '/douyin/notify', { system: 'trade', type: 'refund' }],
    ['trade.settle', '/douyin/notify', { system: 'trade', type: 'settle' }],
    ['tiktok.order-status-change', '/tiktok/webhook', { platform: 'tiktok', type: 1 }],
    ['tiktok.RETURN_STATUS_CHANGE', '/tiktok/webhook', { platform: 'tiktok', type: 12 }],
    ['tiktok.4', '/tiktok/webhook', { platform: 'tiktok', type: 4 }],
    ['algovoi.paid', '/algovoi/webhook', { platform: 'algovoi', type: 'payment.confirmed' }],
  ])('%s', async (event, path, expected) => {
    const r = await send(event, '--to', `${base}${path}`);
    expect(r.code).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject(expected);
  });

  it('--times 3 sends the same bytes three times (one event key)', async () => {
    const r = await send('tiktok.1', '--to', `${base}/tiktok/webhook`, '--times', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[3\] 200 \(empty body\)\s+acknowledged/);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((e) => e.key)).size).toBe(1);
  });

  it('--json prints one JSON object with every reply', async () => {
    const r = await send(
      'algovoi.paid',
      '--to',
      `${base}/algovoi/webhook`,
      '--data',
      '{"payment_link_token":"tok_j"}',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)).toEqual({
      event: 'algovoi.paid',
      ref: 'payment_link_token=tok_j',
      url: `${base}/algovoi/webhook`,
      acknowledged: true,
      responses: [{ status: 200, body: '', acknowledged: true }],
    });
  });

  it('custom credentials: --token, --app-key/--app-secret, --secret, --private-key', async () => {
    // The app only knows the demo credentials, so passing the demo values explicitly must still verify…
    const keyFile = join(tmpdir(), `ttpay-cli-platform-${process.pid}.pem`);
    writeFileSync(keyFile, douyin.platformPrivateKey);
    expect((await send('ecpay.payment', '--to', `${base}/douyin/notify`, '--token', douyin.token)).code).toBe(
      0,
    );
    expect(
      (await send('trade.payment', '--to', `${base}/douyin/notify`, '--private-key', keyFile)).code,
    ).toBe(0);
    const tiktokArgs = ['--app-key', tiktok.appKey, '--app-secret', tiktok.appSecret];
    expect((await send('tiktok.1', '--to', `${base}/tiktok/webhook`, ...tiktokArgs)).code).toBe(0);
    expect(
      (await send('algovoi.paid', '--to', `${base}/algovoi/webhook`, '--secret', algovoi.webhookSecret)).code,
    ).toBe(0);
    // …and other values must not.
    const wrong = await send('ecpay.refund', '--to', `${base}/douyin/notify`, '--token', 'not_the_token');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('SIGNATURE_MISMATCH');
    expect(wrong.stdout).not.toContain('not_the_token');
    const wrongKey = await send('tiktok.1', '--to', `${base}/tiktok/webhook`, '--app-secret', 'other_secret');
    expect(wrongKey.code).toBe(1);
  });
});

describe('ttpay send: rejected or failed deliveries exit 1', () => {
  it.each([
    ['ecpay.payment', 'bad-signature', '/douyin/notify', /\[1\] 400 .*SIGNATURE_MISMATCH.*NOT acknowledged/],
    ['ecpay.payment', 'no-signature', '/douyin/notify', /\[1\] 400 .*MISSING_SIGNATURE/],
    ['trade.refund', 'tampered', '/douyin/notify', /\[1\] 400 .*SIGNATURE_MISMATCH/],
    ['trade.payment', 'reserialised', '/douyin/notify', /\[1\] 400 .*SIGNATURE_MISMATCH/],
    ['tiktok.1', 'bad-signature', '/tiktok/webhook', /\[1\] 401 /],
    ['tiktok.11', 'truncated', '/tiktok/webhook', /\[1\] 401 /],
    ['algovoi.paid', 'no-signature', '/algovoi/webhook', /\[1\] 401 /],
  ])('%s --broken %s', async (event, variant, path, line) => {
    const r = await send(event, '--to', `${base}${path}`, '--broken', variant);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`(broken: ${variant})`);
    expect(r.stdout).toMatch(line);
    expect(r.stdout).toMatch(/1 of 1 not acknowledged/);
    expect(received).toHaveLength(0);
  });

  it('a re-serialised ecpay callback still verifies (its signature covers msg, not the body bytes)', async () => {
    const r = await send('ecpay.payment', '--to', `${base}/douyin/notify`, '--broken', 'reserialised');
    expect(r.code).toBe(0);
  });

  it('Douyin needs err_no 0, not just HTTP 200', async () => {
    const r = await send('ecpay.payment', '--to', `${base}/tiktok/webhook`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[1\] 401/);
  });

  it('an app that is not running', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const r = await send('tiktok.1', '--to', `http://127.0.0.1:${port}/tiktok/webhook`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/could not reach the app \(ECONNREFUSED\)\s+NOT acknowledged/);
  });
});

describe('ttpay send: bad input exits 2', () => {
  it.each([
    [['ecpay.payment'], /--to <url> is required/],
    [['ecpay.paid', '--to', 'http://127.0.0.1:1/'], /unknown event "ecpay.paid"/],
    [
      ['tiktok.order-shipped', '--to', 'http://127.0.0.1:1/'],
      /unknown TikTok Shop webhook type "order-shipped"/,
    ],
    [['ecpay.payment', '--to', 'not a url'], /--to must be an absolute http\(s\) URL/],
    [['ecpay.payment', '--to', 'http://127.0.0.1:1/', '--data', '{nope'], /--data is not valid JSON/],
    [['ecpay.payment', '--to', 'http://127.0.0.1:1/', '--data', '[]'], /--data must be a JSON object/],
    [['ecpay.payment', '--to', 'http://127.0.0.1:1/', '--times', '0'], /--times must be a whole number/],
    [
      ['ecpay.payment', '--to', 'http://127.0.0.1:1/', '--broken', 'mangled'],
      /unknown --broken variant "mangled"/,
    ],
    [['tiktok.1', '--to', 'http://127.0.0.1:1/', '--token', 'x'], /--token does not apply to tiktok.1/],
    [
      ['trade.payment', '--to', 'http://127.0.0.1:1/', '--private-key', '/no/such.pem'],
      /cannot read --private-key/,
    ],
    [[], /needs an event/],
  ])('ttpay send %j', async (args, message) => {
    const r = await send(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("Run 'ttpay send --help' for usage.");
  });
});
